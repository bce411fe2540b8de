"""Logs never carry who complained: the whole life of a complaint — filed on the public page with a name,
a phone and an attachment, followed with the tracking code, accepted, assigned, answered, rated — and the
public API's intake and look-up run with every logger at DEBUG, and no record names the complainant,
their phone, the tracking code or the attachment's file name."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.conftest import png_file

NAME = "欧阳明珠"
PHONE = "13987654321"
ENTERPRISE = "明珠精密机械有限公司"
FILE_NAME = "欧阳明珠的举报证据.png"
API_NAME = "司马青云"
API_PHONE = "13611223344"
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


@pytest.fixture
def every_log_record(caplog):
    """Every logger at DEBUG and propagating to the root, where caplog listens; restored afterwards."""
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    loggers += [logging.getLogger(name) for name in ("django.request", "django.security", "celery", "celery.app.trace")]
    saved = [(logger, logger.level, logger.propagate, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
        logger.disabled = False
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, level, propagate, disabled in saved:
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def _texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), repr(record.args), record.exc_text or "", record.stack_info or ""]
    if record.exc_info and record.exc_info[1] is not None:
        texts.append(repr(record.exc_info[1]))
    return texts


def _leaks(records, secrets: dict[str, str]) -> list[str]:
    found = []
    for record in records:
        for text in _texts(record):
            for what, secret in secrets.items():
                if secret and secret in text:
                    found.append(f"{what} in {record.name} {record.levelname}: {text[:200]}")
    return found


def _secrets_of(code: str, **named) -> dict[str, str]:
    return {"tracking code": code, "tracking code without dashes": code.replace("-", ""), **named}


def test_the_life_of_a_named_complaint_leaves_no_identity_in_the_logs(
    world, every_log_record, django_capture_on_commit_callbacks, mailoutbox
):
    caplog = every_log_record
    for role in ("inspector", "officer"):  # their notices go out by e-mail through Celery too
        world[role].email = f"{role}@example.gov.cn"
        world[role].save(update_fields=["email"])
    public = Client(REMOTE_ADDR="203.0.113.77")
    report = reverse("complaints:report", args=[world["park_a"].code])
    assert public.get(report).status_code == 200
    # A first try with a bad phone is refused and shown again, then filed.
    data = {
        "category": "not_handled",
        "subject": "政务服务中心审批科",
        "description": "材料齐全却三次不予受理。",
        "demand": "尽快受理",
        "contact_name": NAME,
        "contact_phone": "12345",
        "enterprise_name": ENTERPRISE,
    }
    assert public.post(report, data).status_code == 200
    filed = public.post(report, {**data, "contact_phone": PHONE, "files": [png_file(FILE_NAME)]})
    assert filed.status_code == 302
    receipt = public.get(filed.url).content.decode()
    code = CODE.search(receipt).group()
    complaint = Complaint.objects.get()
    assert complaint.complainant.name == NAME and complaint.attachments.get().original_name == FILE_NAME

    public = Client(REMOTE_ADDR="203.0.113.78")  # later, from another computer
    assert public.post(reverse("complaints:track"), {"code": "0000-0000-0000-0000"}).status_code == 404
    tracked = public.post(reverse("complaints:track"), {"code": code.lower()})
    assert tracked.status_code == 302
    assert public.get(tracked.url).status_code == 200

    # What runs after commit (the e-mail copies through Celery) runs here too.
    with django_capture_on_commit_callbacks(execute=True):
        staff = Client()
        staff.force_login(world["inspector"])
        detail = reverse("complaints:detail", args=[complaint.pk])
        assert NAME in staff.get(detail).content.decode()  # the inspector does see who complained
        assert staff.get(reverse("complaints:list"), {"export": "csv"}).status_code == 200
        assert staff.get(reverse("complaints:attachment", args=[complaint.attachments.get().pk])).status_code == 200
        assert staff.post(detail, {"step": "accept", "note": "已受理"}).status_code == 302
        assigned = staff.post(detail, {"step": "assign", "officer": world["officer"].pk, "share_attachments": "on"})
        assert assigned.status_code == 302
        officer = Client()
        officer.force_login(world["officer"])
        assert officer.get(detail).status_code == 200
        assert officer.post(detail, {"step": "start"}).status_code == 302
        assert officer.post(detail, {"step": "reply", "text": "已督促审批科当日办结。"}).status_code == 302

    assert public.post(tracked.url, {"action": "rate", "rating": "satisfied", "comment": "满意"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.events.filter(kind="rated").exists()
    assert mailoutbox, "no e-mail went out: the Celery path was not walked"

    leaks = _leaks(
        caplog.records,
        _secrets_of(code, name=NAME, phone=PHONE, enterprise=ENTERPRISE, **{"file name": FILE_NAME}),
    )
    assert caplog.records, "nothing was captured: the scan would prove nothing"
    assert not leaks, "\n".join(leaks)


def test_the_public_api_leaves_no_identity_in_the_logs(world, every_log_record):
    caplog = every_log_record
    api = Client(REMOTE_ADDR="203.0.113.79")
    body = {
        "park": world["park_a"].code,
        "category": "not_handled",
        "subject": "规划建设局",
        "description": "验收一拖再拖。",
        "contact_name": API_NAME,
        "contact_phone": API_PHONE,
    }
    refused = api.post(reverse("public-complaint"), {**body, "contact_phone": "12"}, content_type="application/json")
    assert refused.status_code == 400
    filed = api.post(reverse("public-complaint"), body, content_type="application/json")
    assert filed.status_code == 201
    code = filed.json()["tracking_code"]
    assert api.post(reverse("public-track"), {"code": code}, content_type="application/json").status_code == 200
    missing = api.post(reverse("public-track"), {"code": "0000-0000-0000-0001"}, content_type="application/json")
    assert missing.status_code == 404

    leaks = _leaks(caplog.records, _secrets_of(code, name=API_NAME, phone=API_PHONE))
    assert caplog.records, "nothing was captured: the scan would prove nothing"
    assert not leaks, "\n".join(leaks)
