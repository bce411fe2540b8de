"""Server errors reach the people on duty (ADMINS, by e-mail; Sentry when SENTRY_DSN is set) without the
personal data of the request: not the complainant's name or phone, not the tracking code typed or carried
in the receipt cookie."""

import copy
import json

import pytest
import sentry_sdk
from django.test import Client
from django.urls import reverse

from complaints import services
from core.sentry import before_send, sentry_options

NAME = "欧阳明珠"
PHONE = "13987654321"
CODE = "7KQ2-M9XD-4RTA-8HNV"


@pytest.fixture
def on_duty(settings):
    settings.ADMINS = [("值班员", "ops@example.gov.cn")]
    return settings.ADMINS


def _broken(message):
    def raise_(*args, **kwargs):
        raise RuntimeError(message)

    return raise_


def _secrets_in(text: str) -> list[str]:
    secrets = {"name": NAME, "phone": PHONE, "code": CODE, "code without dashes": CODE.replace("-", "")}
    return [what for what, secret in secrets.items() if secret in text]


def test_a_server_error_while_filing_a_complaint_mails_the_admins_without_who_complained(
    world, on_duty, monkeypatch, mailoutbox
):
    monkeypatch.setattr(services, "complaint_submit", _broken(f"storage full while filing for {PHONE}"))
    browser = Client(REMOTE_ADDR="203.0.113.91", raise_request_exception=False)
    response = browser.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {
            "category": "not_handled",
            "subject": "审批科",
            "description": "材料齐全却三次不予受理。",
            "contact_name": NAME,
            "contact_phone": PHONE,
        },
    )
    assert response.status_code == 500
    [mail] = mailoutbox
    assert mail.to == ["ops@example.gov.cn"]
    assert "RuntimeError" in mail.body and "/report/" in mail.subject
    assert response["X-Request-ID"] in mail.body  # the way from the mail to the log lines
    assert _secrets_in(mail.subject + mail.body) == []


def test_a_server_error_while_tracking_mails_the_admins_without_the_tracking_code(
    world, on_duty, monkeypatch, mailoutbox
):
    monkeypatch.setattr(services, "complaint_find_by_code", _broken(f"lookup failed for {CODE}"))
    browser = Client(REMOTE_ADDR="203.0.113.92", raise_request_exception=False)
    browser.cookies["complaint_receipt"] = CODE  # the receipt cookie carries a code too
    response = browser.post(reverse("complaints:track") + f"?code={CODE}", {"code": CODE})
    assert response.status_code == 500
    [mail] = mailoutbox
    assert "RuntimeError" in mail.body
    assert _secrets_in(mail.subject + mail.body) == []


def test_a_server_error_of_the_public_api_mails_the_admins_without_the_body(world, on_duty, monkeypatch, mailoutbox):
    monkeypatch.setattr(services, "complaint_submit", _broken("storage full"))
    browser = Client(REMOTE_ADDR="203.0.113.94", raise_request_exception=False)
    response = browser.post(
        reverse("public-complaint"),
        {
            "park": world["park_a"].code,
            "category": "other",
            "subject": "某科",
            "description": "说明",
            "contact_name": NAME,
            "contact_phone": PHONE,
        },
        content_type="application/json",
    )
    assert response.status_code == 500 and response.json()["code"] == "server_error"
    [mail] = mailoutbox
    assert "RuntimeError" in mail.body
    assert _secrets_in(mail.subject + mail.body) == []


def test_no_mail_goes_out_when_no_admins_are_set(world, settings, monkeypatch, mailoutbox):
    settings.ADMINS = []
    monkeypatch.setattr(services, "complaint_find_by_code", _broken("lookup failed"))
    browser = Client(REMOTE_ADDR="203.0.113.93", raise_request_exception=False)
    assert browser.post(reverse("complaints:track"), {"code": CODE}).status_code == 500
    assert mailoutbox == []


SENTRY_EVENT = {
    "level": "error",
    "request": {
        "url": f"https://qinglian.example.gov.cn/track/?code={CODE}",
        "method": "POST",
        "query_string": f"code={CODE}",
        "data": {"code": CODE, "contact_name": NAME, "contact_phone": PHONE},
        "cookies": {"complaint_receipt": CODE, "sessionid": "abc"},
        "headers": {
            "Cookie": f"complaint_receipt={CODE}",
            "User-Agent": "Mozilla/5.0",
            "Referer": f"https://qinglian.example.gov.cn/track/?code={CODE}",
            "X-Forwarded-For": "203.0.113.5",
        },
        "env": {"REMOTE_ADDR": "203.0.113.5", "SERVER_PORT": "443"},
    },
    "user": {"id": 7, "username": "inspector1", "email": "zhang@example.gov.cn", "ip_address": "203.0.113.5"},
    "exception": {
        "values": [
            {
                "type": "ValueError",
                "value": f"no complaint for {CODE} ({PHONE})",  # a name in free text is not recognisable
                "stacktrace": {"frames": [{"function": "post", "vars": {"code": CODE, "contact_name": NAME, "n": 3}}]},
            }
        ]
    },
    "breadcrumbs": {
        "values": [
            {"category": "query", "message": f"SELECT … WHERE phone = '{PHONE}'", "data": {"params": [PHONE]}},
            {"category": "complaints", "message": f"tracked {CODE.replace('-', '')}"},
        ]
    },
    "logentry": {"message": "Looked up %s", "params": [CODE]},
    "extra": {"contact_phone": PHONE, "park": "PARK-A"},
}


def test_the_sentry_scrubber_removes_personal_data_and_keeps_what_debugging_needs():
    event = before_send(copy.deepcopy(SENTRY_EVENT), {})
    text = json.dumps(event, ensure_ascii=False)
    assert _secrets_in(text) == []
    assert "zhang@example.gov.cn" not in text and "203.0.113.5" not in text and "sessionid" not in text
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert event["exception"]["values"][0]["stacktrace"]["frames"][0]["function"] == "post"
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"] == "https://qinglian.example.gov.cn/track/"
    assert event["user"] == {"id": 7}
    assert event["extra"]["park"] == "PARK-A"


def test_sentry_sends_nothing_without_a_dsn_and_never_default_personal_data(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
    options = sentry_options("https://public@sentry.example.gov.cn/3")
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["before_send"] is before_send
