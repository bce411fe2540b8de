"""The tracking code is shown once, on the receipt, and kept nowhere readable: not in the session table,
not in a cookie once shown, not in the logs. Expired sessions are cleared every night."""

import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint

CODE = re.compile(r'<p class="tracking-code[^"]*">\s*([0-9A-Z-]+)\s*</p>')


def sessions_in_the_database() -> str:
    """Every session row, raw and decoded, as one text to search."""
    return " ".join(f"{s.session_data} {s.get_decoded()!r}" for s in Session.objects.all())


def _file(browser, park, **query):
    url = reverse("complaints:report", args=[park.code])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    data = {
        "category": "not_handled",
        "subject": "政务服务中心",
        "description": "材料齐全却不予受理。",
        "contact_name": "李女士",
        "contact_phone": "13911112222",
    }
    response = browser.post(url, data)
    assert response.status_code == 302 and response.url == reverse("complaints:receipt")
    return response


def _code_variants(code: str) -> set[str]:
    return {code, code.replace("-", "")}


@pytest.mark.parametrize("who", ["public", "window clerk"])
def test_the_code_is_shown_once_and_kept_nowhere(public, client, world, who, caplog):
    caplog.set_level(logging.DEBUG)
    if who == "public":
        browser, query = public, {}
    else:
        client.force_login(world["inspector"])
        browser, query = client, {"from": "window"}
    _file(browser, world["park_a"], **query)
    after_submitting = sessions_in_the_database()

    receipt = browser.get(reverse("complaints:receipt"))
    page = receipt.content.decode()
    code = CODE.search(page).group(1)
    assert Complaint.objects.count() == 1
    after_the_receipt = sessions_in_the_database()
    for variant in _code_variants(code):
        assert variant not in after_submitting
        assert variant not in after_the_receipt
        assert variant not in caplog.text
        assert all(variant not in morsel.value for morsel in browser.cookies.values())

    again = browser.get(reverse("complaints:receipt")).content.decode()
    assert code not in again
    assert "只显示一次" in again and "已经显示过" in again
    assert Complaint.objects.get().park.name in again  # the receipt itself is still there


def test_the_receipt_still_opens_the_complaint_with_its_code(public, world):
    _file(public, world["park_a"])
    code = CODE.search(public.get(reverse("complaints:receipt")).content.decode()).group(1)
    complaint = Complaint.objects.get()
    assert public.get(reverse("complaints:tracked", args=[complaint.pk])).status_code == 200
    other = type(public)(REMOTE_ADDR="203.0.113.9")
    response = other.post(reverse("complaints:track"), {"code": code})
    assert response.status_code == 302


def test_a_receipt_cookie_of_another_complaint_or_forged_shows_no_code(public, world):
    _file(public, world["park_a"])
    public.cookies["complaint_receipt"] = "1:ABCD-EFGH-JKMN-PQRS:forged"
    page = public.get(reverse("complaints:receipt")).content.decode()
    assert "ABCD" not in page


def test_expired_sessions_are_cleared_every_night(db):
    from django.contrib.sessions.backends.db import SessionStore
    from django_celery_beat.models import PeriodicTask

    from core.tasks import clear_sessions

    expired, live = SessionStore(), SessionStore()
    expired["x"], live["x"] = 1, 2
    expired.set_expiry(-60)
    expired.create()
    live.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timezone.timedelta(days=1))
    clear_sessions()
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]

    # A database installed before this task existed gets it at its next migrate.
    PeriodicTask.objects.filter(task="core.clear_sessions").delete()
    call_command("migrate", verbosity=0)
    job = PeriodicTask.objects.get(task="core.clear_sessions")
    assert (job.crontab.hour, job.crontab.minute) == ("3", "30") and job.enabled


def test_codes_left_in_sessions_before_the_upgrade_are_forgotten(db):
    import importlib

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore

    old = SessionStore()
    old["complaint_receipt"] = {"pk": 7, "code": "ABCD-EFGH-JKMN-PQRS"}
    old["tracked_complaints"] = [7]
    old.create()
    other = SessionStore()
    other["_auth_user_id"] = "1"
    other.create()
    migration = importlib.import_module("complaints.migrations.0002_sessions_keep_no_tracking_code")
    migration.forget_tracking_codes(apps, None)
    assert "ABCD" not in sessions_in_the_database()
    assert SessionStore(old.session_key).load() == {"complaint_receipt": 7, "tracked_complaints": [7]}
    assert SessionStore(other.session_key).load() == {"_auth_user_id": "1"}


def test_a_code_typed_into_the_look_up_stays_out_of_error_reports(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.views.debug import SafeExceptionReporterFilter

    from complaints.views.public import TrackView

    request = rf.post(reverse("complaints:track"), {"code": "ABCD-EFGH-JKMN-PQRS"}, REMOTE_ADDR="203.0.113.77")
    request.user, request.session = AnonymousUser(), SessionStore()
    TrackView.as_view()(request)
    reported = SafeExceptionReporterFilter().get_post_parameters(request)
    assert "ABCD" not in str(reported)
