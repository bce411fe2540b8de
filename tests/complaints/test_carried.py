"""An anonymous complainant's browser carries its tracked complaints and its receipt in signed, HttpOnly cookies,
not in a session: filing a complaint writes no session row (issue 13), and a shared computer still forgets the
complaints after 30 minutes."""

import time

from django.contrib.sessions.models import Session
from django.urls import reverse

from complaints.models import Complaint
from complaints.views.carried import FORGET_AFTER, RECEIPT_COOKIE, TRACKED_COOKIE

ANONYMOUS = {
    "category": "not_handled",
    "subject": "政务服务中心",
    "description": "材料齐全却不予受理。",
    "is_anonymous": "on",
}


def _file(browser, world):
    response = browser.post(reverse("complaints:report", args=[world["park_a"].code]), ANONYMOUS)
    assert response.status_code == 302
    return Complaint.objects.latest("pk")


def test_an_anonymous_complaint_creates_no_session_row(public, world):
    complaint = _file(public, world)
    assert public.get(reverse("complaints:receipt")).status_code == 200
    assert public.get(reverse("complaints:tracked", args=[complaint.pk])).status_code == 200
    assert not Session.objects.exists()


def test_the_cookies_are_signed_http_only_and_forgotten_after_30_minutes(public, world):
    _file(public, world)
    tracked, receipt = public.cookies[TRACKED_COOKIE], public.cookies[RECEIPT_COOKIE]
    assert tracked["httponly"] and receipt["httponly"]
    assert tracked["max-age"] == FORGET_AFTER and tracked["path"] == "/"
    assert receipt["path"] == reverse("complaints:receipt") and receipt["samesite"] == "Strict"
    public.get(reverse("complaints:receipt"))
    assert public.cookies[RECEIPT_COOKIE]["max-age"] == FORGET_AFTER


def test_a_tracked_complaint_opens_without_its_code_for_30_minutes_only(public, world, monkeypatch):
    complaint = _file(public, world)
    url = reverse("complaints:tracked", args=[complaint.pk])
    assert public.get(url).status_code == 200
    later = time.time() + FORGET_AFTER + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert public.get(url).status_code == 404  # even if the browser kept the cookie
    assert public.get(reverse("complaints:receipt")).status_code == 302


def test_a_forged_or_edited_tracked_cookie_opens_nothing(public, world):
    complaint = _file(public, world)
    other = _file(type(public)(REMOTE_ADDR="203.0.113.8"), world)
    value = public.cookies[TRACKED_COOKIE].value
    public.cookies[TRACKED_COOKIE] = value.replace(str(complaint.pk), str(other.pk), 1)
    assert public.get(reverse("complaints:tracked", args=[other.pk])).status_code == 404
    public.cookies[TRACKED_COOKIE] = f"{other.pk}"
    assert public.get(reverse("complaints:tracked", args=[other.pk])).status_code == 404


def test_a_browser_keeps_the_last_twenty_complaints_it_filed(public, world, settings):
    settings.COMPLAINT_SUBMIT_RATE = "100/h"
    filed = [_file(public, world) for _ in range(21)]
    assert public.get(reverse("complaints:tracked", args=[filed[-1].pk])).status_code == 200
    assert public.get(reverse("complaints:tracked", args=[filed[1].pk])).status_code == 200
    assert public.get(reverse("complaints:tracked", args=[filed[0].pk])).status_code == 404


def test_a_logged_in_clerk_keeps_tracked_complaints_in_the_session(client, world):
    client.force_login(world["inspector"])
    response = client.post(reverse("complaints:report", args=[world["park_a"].code]) + "?from=window", ANONYMOUS)
    assert response.status_code == 302
    assert TRACKED_COOKIE not in client.cookies or not client.cookies[TRACKED_COOKIE].value
    assert client.session["tracked_complaints"] == [Complaint.objects.get().pk]
