"""One limiter for every way to present a password (django-axes): failures only, per (account, address),
reset by a success, visible to and cleared by a commission admin."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

LIMIT = 3
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
OFFICE = "192.0.2.10"
STRANGER = "198.18.7.7"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(username, password, address=OFFICE, url=None):
    return Client(REMOTE_ADDR=address).post(
        url or reverse("login"), {"username": username, "password": password, "next": "/complaints/"}
    )


def test_wrong_passwords_lock_that_account_from_that_address_in_chinese(world):
    name = world["inspector"].username
    statuses = [_login(name, "guess").status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    locked = _login(name, PASSWORD)
    assert locked.status_code == 429  # not even the right password gets through from here
    page = locked.content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert f'value="{name}"' in page  # the form keeps the username
    assert 'name="password"' in page and 'value="/complaints/"' in page  # the same login page, next kept
    assert "_auth_user_id" not in locked.client.session


def test_a_stranger_cannot_lock_out_the_administrator(world):
    admin = world["admin"].username
    for _ in range(LIMIT + 2):
        _login(admin, "guess", address=STRANGER)
    assert _login(admin, PASSWORD, address=STRANGER).status_code == 429
    assert _login(admin, PASSWORD, address=OFFICE).status_code == 302


def test_the_right_password_is_not_a_failure_and_clears_the_count(world):
    name = world["inspector"].username
    for _ in range(LIMIT - 1):
        assert _login(name, "guess").status_code == 200
    assert _login(name, PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        assert _login(name, "guess").status_code == 200
    assert _login(name, PASSWORD).status_code == 302


def test_successful_logins_never_lock_anybody_out(world):
    name = world["admin"].username
    _login(name, "guess")  # one typo early in the day
    assert [_login(name, PASSWORD).status_code for _ in range(12)] == [302] * 12
    assert not AccessAttempt.objects.exists()


def test_the_admin_login_is_no_door_of_its_own(world):
    """The admin has no login page: passwords posted there are never checked (no oracle beside the lock),
    the browser is sent to the portal's login, whose lock and second factor apply."""
    admin = world["admin"].username
    admin_login = reverse("admin:login")
    responses = [_login(admin, "guess", url=admin_login) for _ in range(LIMIT + 2)]
    assert {response.status_code for response in responses} == {302}
    assert all(response["Location"].startswith(reverse("login")) for response in responses)
    assert not AccessAttempt.objects.exists()
    right = _login(admin, PASSWORD, url=admin_login)
    assert right.status_code == 302 and "_auth_user_id" not in right.wsgi_request.session


def test_a_commission_admin_sees_and_clears_a_lockout(world):
    name = world["officer"].username
    for _ in range(LIMIT):
        _login(name, "guess")
    assert _login(name, PASSWORD).status_code == 429

    staff = Client()
    staff.force_login(world["admin"])
    index = staff.get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index
    listing = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and name in listing.content.decode()
    assert "已锁定" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=name)
    cleared = staff.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "clear_lockouts", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert "已解除 1 个锁定" in cleared.content.decode()
    assert not AccessAttempt.objects.exists()
    assert _login(name, PASSWORD).status_code == 302

    failures = staff.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert failures.status_code == 200 and name in failures.content.decode()


def test_only_commission_admins_see_the_lockouts(world):
    for role in ("inspector", "officer", "enterprise_user"):
        other = Client()
        other.force_login(world[role])
        response = other.get(reverse("admin:axes_accessattempt_changelist"))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_a_locked_out_pair_cannot_add_failures_that_extend_the_lock(world, settings):
    name = world["inspector"].username
    for _ in range(LIMIT + 5):
        _login(name, "guess")
    assert AccessAttempt.objects.get(username=name).failures_since_start == LIMIT
