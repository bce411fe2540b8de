"""API tokens (django-rest-knox): stored hashed, expiring, issued only through the same lockout as the login page,
revoked on logout, password change and deactivation; their owner lists and revokes them."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, User

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
LIMIT = 3
OFFICE = "192.0.2.20"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _obtain(username, password, address=OFFICE, as_json=True):
    client = Client(REMOTE_ADDR=address)
    data = {"username": username, "password": password}
    if as_json:
        return client.post(reverse("api-token"), data, content_type="application/json")
    return client.post(reverse("api-token"), data)


def _token_of(user, password=PASSWORD, **kwargs) -> str:
    response = _obtain(user.username, password, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _api(token):
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_issued_for_username_and_password_and_only_its_hash_is_kept(world, settings):
    before = timezone.now()
    response = _obtain(world["inspector"].username, PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64
    assert "no-store" in response["Cache-Control"]
    stored = ApiToken.objects.get(user=world["inspector"])
    assert token not in (stored.digest, stored.token_key) and token.startswith(stored.token_key)
    expiry = stored.expiry
    ttl = datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    assert before + ttl <= expiry <= timezone.now() + ttl
    assert _api(token).get(reverse("enterprise-list")).status_code == 200
    # a form post works as well as JSON
    assert _obtain(world["officer"].username, PASSWORD, as_json=False).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"username": "nobody", "password": "x"},
        {"username": "", "password": ""},
        {},
        {"username": ["a"], "password": {"b": 1}},
        {"username": "a\x00b", "password": "x"},
        {"username": "a" * 5000, "password": "x"},
    ],
)
def test_wrong_or_malformed_credentials_get_a_chinese_answer_in_the_error_shape(db, data):
    response = Client(REMOTE_ADDR=OFFICE).post(reverse("api-token"), data, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    # a NUL is refused before the body is read as credentials (core.parsers)
    assert body["code"] == ("parse_error" if any("\x00" in str(value) for value in data.values()) else "invalid")


def test_a_wrong_password_is_refused_without_saying_whether_the_user_exists(world):
    known = _obtain(world["inspector"].username, "guess").json()
    unknown = _obtain("nobody-here", "guess").json()
    assert known == unknown
    assert "用户名或密码不正确" in known["detail"]


def test_the_token_endpoint_is_locked_like_the_login_page(world):
    name = world["inspector"].username
    statuses = [_obtain(name, "guess").status_code for _ in range(LIMIT)]
    assert statuses == [400] * (LIMIT - 1) + [429]
    locked = _obtain(name, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out" and "登录失败次数过多" in locked.json()["detail"]
    assert set(locked.json()) == {"code", "detail", "fields"}
    assert not ApiToken.objects.exists()
    # the same pair is locked on the login page too: one count for every door
    page = Client(REMOTE_ADDR=OFFICE).post(reverse("login"), {"username": name, "password": PASSWORD})
    assert page.status_code == 429
    # the same user from elsewhere still gets a token
    assert _obtain(name, PASSWORD, address="198.51.100.99").status_code == 200


def test_a_hundred_guesses_are_not_answered(world):
    """The oracle of the issue: 100 wrong passwords in 28 s, every one answered."""
    name = world["admin"].username
    statuses = [_obtain(name, f"guess-{i}").status_code for i in range(100)]
    assert statuses.count(400) == LIMIT - 1
    assert AccessAttempt.objects.get(username=name).failures_since_start == LIMIT


def test_failures_on_the_login_page_count_for_the_token_endpoint(world):
    name = world["officer"].username
    for _ in range(LIMIT):
        Client(REMOTE_ADDR=OFFICE).post(reverse("login"), {"username": name, "password": "guess"})
    assert _obtain(name, PASSWORD).status_code == 429


def test_successful_token_requests_are_not_failures(world):
    name = world["inspector"].username
    _obtain(name, "guess")
    assert [_obtain(name, PASSWORD).status_code for _ in range(12)] == [200] * 12
    assert not AccessAttempt.objects.exists()  # the success cleared the earlier failure


def test_an_inactive_user_gets_no_token(world):
    world["inspector"].is_active = False
    world["inspector"].save()
    assert _obtain(world["inspector"].username, PASSWORD).status_code == 400


def test_an_expired_token_is_refused(world):
    token = _token_of(world["inspector"])
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    refused = _api(token).get(reverse("enterprise-list"))
    assert refused.status_code in (401, 403) and refused.json()["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_a_wrong_token_is_refused_in_the_error_shape(db):
    refused = _api("0" * 64).get(reverse("enterprise-list"))
    assert refused.status_code in (401, 403) and refused.json()["code"] == "authentication_failed"


def test_logout_revokes_the_token_used_and_logoutall_every_token(world):
    first, second = _token_of(world["inspector"]), _token_of(world["inspector"])
    assert _api(first).post(reverse("api-token-logout")).status_code == 204
    assert _api(first).get(reverse("enterprise-list")).status_code in (401, 403)
    assert _api(second).get(reverse("enterprise-list")).status_code == 200
    third = _token_of(world["inspector"])
    other_user = _token_of(world["officer"])
    assert _api(second).post(reverse("api-token-logoutall")).status_code == 204
    for token in (second, third):
        assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)
    assert _api(other_user).get(reverse("enterprise-list")).status_code == 200


def test_changing_the_password_on_the_page_revokes_every_token(world):
    user = world["inspector"]
    token = _token_of(user)
    browser = Client()
    browser.force_login(user)
    new = "Another-long-passphrase-77"
    response = browser.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)
    assert not ApiToken.objects.filter(user=user).exists()


def test_an_administrator_setting_a_password_revokes_every_token(world):
    user = world["officer"]
    token = _token_of(user)
    staff = Client()
    staff.force_login(world["admin"])
    new = "Another-long-passphrase-77"
    response = staff.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)


def test_set_password_and_save_revokes_every_token_but_other_saves_do_not(world):
    user = world["inspector"]
    token = _token_of(user)
    user.department = "第二监督检查室"
    user.save()
    assert _api(token).get(reverse("enterprise-list")).status_code == 200
    user.set_password("Another-long-passphrase-77")
    user.save()
    assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)
    # an unusable password set on a user loaded from the database (the admin's "disable password")
    token = _token_of(user, password="Another-long-passphrase-77")
    loaded = User.objects.get(pk=user.pk)
    loaded.set_unusable_password()
    loaded.save()
    assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)


def test_deactivating_a_user_revokes_every_token(world):
    user = world["inspector"]
    token = _token_of(user)
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()
    user.is_active = True
    user.save()
    assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)


def test_the_owner_lists_creates_and_revokes_tokens_on_a_page(world):
    user = world["inspector"]
    token = _token_of(user)
    stored = ApiToken.objects.get(user=user)
    browser = Client()
    browser.force_login(user)
    home = browser.get(reverse("home")).content.decode()
    assert reverse("accounts:tokens") in home  # linked from the user menu
    page = browser.get(reverse("accounts:tokens")).content.decode()
    assert stored.token_key in page and token not in page and stored.digest not in page
    assert "API 令牌" in page

    created = browser.post(reverse("accounts:tokens"), {"action": "create"})
    assert created.status_code == 200
    new_token = created.context["new_token"]
    assert "no-store" in created["Cache-Control"]
    assert new_token in created.content.decode() and "只显示这一次" in created.content.decode()
    assert _api(new_token).get(reverse("enterprise-list")).status_code == 200
    assert new_token not in browser.get(reverse("accounts:tokens")).content.decode()

    revoked = browser.post(reverse("accounts:tokens"), {"action": "revoke", "token": stored.token_key})
    assert revoked.status_code == 302
    assert _api(token).get(reverse("enterprise-list")).status_code in (401, 403)
    assert _api(new_token).get(reverse("enterprise-list")).status_code == 200

    browser.post(reverse("accounts:tokens"), {"action": "revoke_all"})
    assert not ApiToken.objects.filter(user=user).exists()


def test_nobody_revokes_a_token_of_someone_else(world):
    _token_of(world["officer"])
    theirs = ApiToken.objects.get(user=world["officer"])
    browser = Client()
    browser.force_login(world["inspector"])
    for value in (theirs.token_key, "", "x" * 500):
        response = browser.post(reverse("accounts:tokens"), {"action": "revoke", "token": value})
        assert response.status_code == 404
    assert browser.post(reverse("accounts:tokens"), {"action": "revoke", "token": "\x00"}).status_code == 400
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert browser.post(reverse("accounts:tokens"), {"action": "nonsense"}).status_code == 400
    assert theirs.token_key not in browser.get(reverse("accounts:tokens")).content.decode()


def test_commission_admins_see_and_revoke_tokens_in_the_admin(world):
    _token_of(world["officer"])
    stored = ApiToken.objects.get(user=world["officer"])
    staff = Client()
    staff.force_login(world["admin"])
    listing = staff.get(reverse("admin:accounts_apitoken_changelist"))
    assert listing.status_code == 200 and stored.token_key in listing.content.decode()
    assert "API 令牌" in staff.get(reverse("admin:index")).content.decode()
    assert staff.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    staff.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "delete_selected", "_selected_action": [stored.pk], "post": "yes"},
    )
    assert not ApiToken.objects.exists()
    inspector = Client()
    inspector.force_login(world["inspector"])
    assert inspector.get(reverse("admin:accounts_apitoken_changelist")).status_code == 302


def test_the_schema_describes_the_token_endpoints(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in ("/api/token/:", "/api/token/logout/:", "/api/token/logoutall/:"):
        assert path in schema
