import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.choices import Role
from complaints import services
from tests.factories import UserFactory

_ips = itertools.count(1)


@pytest.fixture
def client_ip():
    """A client address of this test's own, so per-client rate limits of other tests do not interfere."""
    n = next(_ips)
    return f"198.51.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def public(client_ip):
    """A browser of the public: no login, its own address."""
    return Client(REMOTE_ADDR=client_ip)


@pytest.fixture
def officer_b(world):
    """A second officer of park A, to whom nothing is assigned."""
    return UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]])


def png_file(name="photo.png", size=200):
    body = b"\x89PNG\r\n\x1a\n" + b"\x00" * (size - 8)
    return SimpleUploadedFile(name, body, content_type="image/png")


@pytest.fixture
def file_complaint(world):
    """File a complaint in park A through the service; returns (complaint, tracking code)."""

    def make(**overrides):
        data = {
            "park": world["park_a"],
            "category": "not_handled",
            "subject": "某审批科",
            "description": "申请材料齐全但一直不予受理。",
            "demand": "请尽快办理",
            "contact_name": "举报人甲",
            "contact_phone": "13900001234",
            "enterprise_name": "甲科技有限公司",
        }
        data.update(overrides)
        submission = services.complaint_submit(**data)
        return submission.complaint, submission.tracking_code

    return make
