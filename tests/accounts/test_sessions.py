"""Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after the login whatever
happens in between. Time is moved by rewriting the session's stamps, not by sleeping."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import token_issue
from accounts.sessions import LOGGED_IN_AT, SEEN_AT

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


@pytest.fixture
def browser(world):
    client = Client()
    response = client.post(reverse("login"), {"username": world["inspector"].username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _move_stamps(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = int(now - ago)
    session.save()


def _stamps(client):
    session = client.session
    return session.get(LOGGED_IN_AT), session.get(SEEN_AT)


def test_a_login_stamps_the_session(browser):
    logged_in_at, seen_at = _stamps(browser)
    assert logged_in_at and seen_at and abs(time.time() - logged_in_at) < 60


def test_an_idle_session_ends_and_the_login_page_says_why_and_keeps_next(browser, settings):
    settings.SESSION_IDLE_MINUTES = 30
    _move_stamps(browser, **{SEEN_AT: 31 * 60})
    response = browser.get("/complaints/?status=open")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/complaints/%3Fstatus%3Dopen"
    login_page = browser.get(response["Location"]).content.decode()
    assert "长时间未操作" in login_page
    assert 'value="/complaints/?status=open"' in login_page
    assert "_auth_user_id" not in browser.session


def test_a_session_used_within_the_idle_time_goes_on(browser, settings):
    settings.SESSION_IDLE_MINUTES = 30
    _move_stamps(browser, **{SEEN_AT: 29 * 60})
    assert browser.get(reverse("home")).status_code == 200


def test_activity_is_recorded_at_most_once_a_minute(browser):
    _move_stamps(browser, **{SEEN_AT: 20})
    before = _stamps(browser)
    browser.get(reverse("home"))
    assert _stamps(browser) == before  # the session was not written for this request
    _move_stamps(browser, **{SEEN_AT: 120})
    logged_in_at, _seen = _stamps(browser)
    browser.get(reverse("home"))
    after_logged_in_at, after_seen = _stamps(browser)
    assert abs(time.time() - after_seen) < 5
    assert after_logged_in_at == logged_in_at  # activity never moves the login time


def test_the_absolute_limit_holds_however_active_the_session_is(browser, settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    _move_stamps(browser, **{LOGGED_IN_AT: 8 * 60 * 60 + 5, SEEN_AT: 60})
    response = browser.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "请重新登录" in browser.get(response["Location"]).content.decode()


def test_logging_in_again_after_idling_starts_a_new_absolute_limit(browser, world):
    _move_stamps(browser, **{LOGGED_IN_AT: 7 * 60 * 60, SEEN_AT: 31 * 60})
    assert browser.get(reverse("home")).status_code == 302
    browser.post(reverse("login"), {"username": world["inspector"].username, "password": PASSWORD})
    assert browser.get(reverse("home")).status_code == 200
    logged_in_at, _seen = _stamps(browser)
    assert abs(time.time() - logged_in_at) < 60


def test_a_session_api_request_after_idling_is_refused(browser):
    assert browser.get(reverse("enterprise-list")).status_code == 200
    _move_stamps(browser, **{SEEN_AT: 31 * 60})
    refused = browser.get(reverse("enterprise-list"))
    assert refused.status_code == 403 and refused.json()["code"] == "not_authenticated"


def test_api_token_requests_do_not_idle(world):
    _instance, token = token_issue(user=world["inspector"])
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("enterprise-list")).status_code == 200
    assert "sessionid" not in api.cookies  # a token request neither needs nor creates a session
    assert api.get(reverse("enterprise-list")).status_code == 200


def test_a_session_from_before_the_stamps_gets_them_on_its_next_request(world):
    client = Client()
    client.force_login(world["inspector"])
    session = client.session
    session.pop(LOGGED_IN_AT, None)
    session.pop(SEEN_AT, None)
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert all(_stamps(client))
