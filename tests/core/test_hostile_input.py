"""Hostile input answers a clear 4xx in Chinese, never a 500: wrong JSON types, NUL characters, JSON nested
thousands deep, request bodies larger than anything the portal accepts, and hostile admin addresses."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from complaints import services
from parks.models import Enterprise

pytestmark = pytest.mark.django_db


def browser(user=None, address="203.0.113.7"):
    """A client that answers 500 instead of raising, as a real server would."""
    client = Client(raise_request_exception=False, REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


# --- the public tracking API -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [1, 1.5, True, None, ["ABCD"], {"a": 1}])
def test_a_tracking_code_that_is_not_text_is_a_400_in_the_error_shape(code):
    response = browser().post(reverse("public-track"), {"code": code}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "查询码" in body["fields"]["code"][0]


def test_a_tracking_request_that_is_not_an_object_is_a_400():
    response = browser().post(reverse("public-track"), [1, 2], content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_malformed_code_as_text_is_still_the_same_404_as_an_unknown_one():
    response = browser().post(reverse("public-track"), {"code": "<x>"}, content_type="application/json")
    assert response.status_code == 404


# --- NUL characters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/report/?q=%00", "/report/?q=a%00b", "/report/?%00=1", "/report/%00/", "/track/%00", "/parks/?q=%00"],
)
def test_a_nul_character_in_the_address_is_a_400_page_in_chinese(world, url):
    response = browser(world["admin"]).get(url)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_character_in_an_api_query_is_a_400_in_the_error_shape(world):
    response = browser(world["admin"]).get("/api/enterprises/?search=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert "空字符" in response.json()["detail"]


def test_a_nul_character_in_a_posted_complaint_form_is_refused_and_nothing_is_saved(world):
    from complaints.models import Complaint

    response = browser().post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {"category": "not_handled", "subject": "标题\x00", "description": "内容", "is_anonymous": "on"},
    )
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_nul_character_in_an_edit_form_is_refused_and_nothing_changes(world):
    enterprise = world["ent_a"]
    name = enterprise.name
    response = browser(world["admin"]).post(
        reverse("parks:enterprise-update", args=[enterprise.pk]),
        {"name": "改名\x00", "credit_code": enterprise.credit_code, "park": enterprise.park_id},
    )
    assert response.status_code == 400
    enterprise.refresh_from_db()
    assert enterprise.name == name


def test_a_nul_character_in_a_cookie_is_a_400_not_a_database_error(world):
    client = browser()
    client.cookies["sessionid"] = "\x00" * 32
    response = client.get("/track/")
    assert response.status_code == 400


def test_a_nul_character_anywhere_in_a_json_body_is_a_400(world):
    client = browser(world["admin"])
    for body in ({"code": "A\x00"}, {"a\x00": "x"}, {"code": ["\x00"]}):
        response = client.post(reverse("public-track"), body, content_type="application/json")
        assert response.status_code == 400, body
        assert "空字符" in response.json()["detail"]


# --- JSON nested thousands deep -----------------------------------------------------------------------------


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_json_nested_5000_deep_is_a_400_on_any_api_endpoint(world, opening, closing):
    deep = opening * 5000 + "1" + closing * 5000
    anonymous = browser().post(reverse("public-track"), deep, content_type="application/json")
    assert anonymous.status_code == 400
    assert anonymous.json()["code"] == "parse_error"
    assert "嵌套" in anonymous.json()["detail"]
    staff = browser(world["admin"]).post("/api/enterprises/", deep, content_type="application/json")
    assert staff.status_code == 400


def test_ordinary_nesting_is_still_read(world):
    response = browser().post(reverse("public-track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, content_type="application/json")
    assert response.status_code == 404


# --- request bodies larger than anything the portal accepts ------------------------------------------------------


class BodyThatMustNotBeRead(io.RawIOBase):
    """A request body that fails the test if more than a few bytes are read from it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def read(self, size=-1):
        self.read_bytes += size if size and size > 0 else 10**9
        assert self.read_bytes <= 64, "the request body was read"
        return b"x" * (size if size and size > 0 else 0)

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 65)


@pytest.mark.parametrize("path", ["/report/PARK-A/", "/imports/enterprises/", "/api/public/complaints/"])
def test_a_body_larger_than_the_limit_is_refused_with_413_before_it_is_read(world, settings, path):
    body = BodyThatMustNotBeRead()
    response = browser(world["admin"]).generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(400 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    text = response.content.decode()
    assert f"{settings.REQUEST_MAX_MB} MB" in text


def test_the_413_of_the_api_is_in_the_error_shape(world):
    response = browser().generic(
        "POST",
        reverse("public-track"),
        content_type="application/json",
        CONTENT_LENGTH=str(400 * 1024 * 1024),
        **{"wsgi.input": BodyThatMustNotBeRead()},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_malformed_content_length_is_a_400(world):
    response = browser().generic("POST", "/track/", content_type="text/plain", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_the_request_limit_lets_the_largest_legitimate_upload_through(settings):
    legitimate = max(settings.PORTAL_UPLOAD_MAX_MB * settings.PORTAL_UPLOAD_MAX_FILES, settings.IMPORT_MAX_MB)
    assert legitimate < settings.REQUEST_MAX_MB


def test_a_json_body_larger_than_the_form_data_limit_is_a_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"code": "' + "A" * 2000 + '"}'
    response = browser().post(reverse("public-track"), body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


# --- the Django admin ----------------------------------------------------------------------------------------


def test_the_admin_history_of_a_complaint_opens(world):
    submission = services.complaint_submit(
        park=world["park_a"],
        category="not_handled",
        subject="某审批科",
        description="申请材料齐全但一直不予受理。",
        demand="请尽快办理",
        contact_name="举报人甲",
        contact_phone="13900001234",
        enterprise_name="",
    )
    url = reverse("admin:complaints_complaint_history", args=[submission.complaint.pk])
    response = browser(world["admin"]).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?park__id__exact=abc",
        "?submitted_at__year=x",
        "?no_such_field=1",
        "?submitted_at__month=13&submitted_at__year=2026",
    ],
)
def test_the_admin_export_with_a_bad_filter_in_the_address_is_a_400(world, query):
    client = browser(world["admin"])
    url = reverse("admin:complaints_complaint_export") + query
    assert client.get(url).status_code == 400
    assert client.post(url, {"format": "0", "resource": "0"}).status_code == 400


def test_the_admin_export_still_exports_the_filtered_rows(world):
    client = browser(world["admin"])
    url = reverse("admin:parks_enterprise_export") + f"?park__id__exact={world['park_a'].pk}"
    response = client.post(url, {"format": "0", "resource": "0", "enterpriseresource_name": "on"})
    assert response.status_code == 200
    assert Enterprise.objects.get(park=world["park_a"]).name in response.content.decode("utf-8-sig")
