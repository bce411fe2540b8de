"""The second factor for staff: an authenticator app (TOTP) and single-use recovery codes, asked for after
the password; required for commission roles by a setting; reset by a commission admin."""

import os
import re
import subprocess
import sys
import time
from base64 import b32encode
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import Role
from accounts.services import token_issue
from accounts.two_factor import recovery_codes_left, recovery_codes_regenerate, two_factor_required, verify_code
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
SETUP, VERIFY, MANAGE = "/account/2fa/setup/", "/account/2fa/verify/", "/account/2fa/"


def code_now(device) -> str:
    """What the user's app shows now (RFC 6238 from the device's key)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def code_next_step(device) -> str:
    """What the app shows in the next 30 s: accepted (tolerance of one step) even once the current
    code has been used."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + device.step
    return f"{generator.token():06d}"


def with_app(user) -> tuple[TOTPDevice, list[str]]:
    """A user who has set up the app, with their recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, recovery_codes_regenerate(user)


def logged_in_with_password(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password login failed"
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["commission_admin", "inspector"]
    settings.TWO_FACTOR_EXEMPT_USERNAMES = []
    return settings


# --- Enrolment -------------------------------------------------------------------------------------


def test_an_inspector_enrols_by_scanning_and_confirming_and_sees_ten_recovery_codes_once(client, world):
    inspector = world["inspector"]
    client.force_login(inspector)

    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=inspector)
    assert not device.confirmed
    html = page.content.decode()
    assert "<svg" in html and "style=" not in html.split("<main", 1)[1]
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html, "the key in groups of four"
    assert client.get(SETUP).content.decode().count(secret[:4]) >= 1
    assert TOTPDevice.objects.filter(user=inspector).count() == 1, "a reload keeps the QR code already scanned"

    confirmed = client.post(SETUP, {"code": code_now(device), "next": "/complaints/"})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", confirmed.content.decode())
    assert len(codes) == 10 == len(set(codes))
    device.refresh_from_db()
    assert device.confirmed
    assert recovery_codes_left(inspector) == 10

    own_page = client.get(MANAGE).content.decode()
    assert "10" in own_page and not any(code in own_page for code in codes), "shown once only"
    assert client.get("/complaints/").status_code == 200, "the enrolling session counts as verified"
    assert inspector.history.latest().history_change_reason == "已启用双重认证"


def test_a_wrong_first_code_does_not_enable_the_second_factor(client, world):
    client.force_login(world["inspector"])
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world["inspector"], confirmed=True).exists()


# --- Verification after the password ------------------------------------------------------------


def test_after_the_password_a_user_with_an_app_must_enter_its_code_and_goes_where_they_were_going(world):
    device, _ = with_app(world["inspector"])
    client = logged_in_with_password(world["inspector"])

    response = client.get("/complaints/?status=open")
    assert response.status_code == 302
    assert response.url == "/account/2fa/verify/?next=/complaints/%3Fstatus%3Dopen"
    assert client.get("/admin/").status_code == 302

    verified = client.post(VERIFY, {"code": code_now(device), "next": "/complaints/?status=open"})
    assert verified.status_code == 302 and verified.url == "/complaints/?status=open"
    assert client.get("/complaints/").status_code == 200


def test_the_verification_ends_with_the_session(world):
    device, _ = with_app(world["inspector"])
    client = logged_in_with_password(world["inspector"])
    client.post(VERIFY, {"code": code_now(device)})
    assert client.get("/complaints/").status_code == 200
    client.post("/logout/")

    again = logged_in_with_password(world["inspector"])
    assert again.get("/complaints/").url.startswith(VERIFY)


def test_a_wrong_code_is_refused_with_a_chinese_message_and_counts_towards_the_back_off(client, world):
    device, _ = with_app(world["inspector"])
    client.force_login(world["inspector"])
    wrong = str((int(code_now(device)) + 500_000) % 1_000_000).zfill(6)

    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get("/complaints/").url.startswith(VERIFY)


def test_after_wrong_codes_even_the_right_code_waits_out_the_back_off(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # first wait a minute (instead of a second): no race with the clock
    device, _ = with_app(world["inspector"])
    client.force_login(world["inspector"])

    client.post(VERIFY, {"code": "000000" if code_now(device) != "000000" else "111111"})
    refused = client.post(VERIFY, {"code": code_now(device)})
    assert refused.status_code == 429
    assert "错误次数过多" in refused.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1, "a try refused during the back-off is not even checked"

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=61))
    passed = client.post(VERIFY, {"code": code_now(device)})
    assert passed.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_cannot_be_used_twice(world):
    device, _ = with_app(world["inspector"])
    code = code_now(device)
    assert verify_code(world["inspector"], code)
    assert not verify_code(world["inspector"], code)


def test_a_recovery_code_lets_in_once_and_says_how_many_are_left(world):
    _, codes = with_app(world["inspector"])
    client = logged_in_with_password(world["inspector"])

    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert any("还剩 9 个" in message for message in messages_of(response))
    assert client.get("/complaints/").status_code == 200
    assert recovery_codes_left(world["inspector"]) == 9

    other = logged_in_with_password(world["inspector"])
    reused = other.post(VERIFY, {"code": codes[0]})
    assert reused.status_code == 200 and "验证码不正确" in reused.content.decode()
    assert other.get("/complaints/").url.startswith(VERIFY)


def test_new_recovery_codes_replace_the_old_ones(client, world):
    device, old = with_app(world["inspector"])
    client.force_login(world["inspector"])
    client.post(VERIFY, {"code": code_now(device)})

    response = client.post("/account/2fa/recovery-codes/")
    new = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not verify_code(world["inspector"], old[1])
    assert StaticDevice.objects.filter(user=world["inspector"]).count() == 1
    assert client.get("/complaints/").status_code == 200, "a session verified by a recovery code stays verified"


def test_the_verify_page_sends_nowhere_outside_the_portal(client, world):
    device, _ = with_app(world["inspector"])
    client.force_login(world["inspector"])
    response = client.post(VERIFY, {"code": code_now(device), "next": "https://evil.example/"})
    assert response.url == "/"


# --- Who must use it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "inspector", "superuser"])
def test_a_required_role_without_an_app_is_sent_to_set_it_up(client, world, required, who):
    user = UserFactory(role=Role.PARK_OFFICER, is_superuser=True) if who == "superuser" else world[who]
    client.force_login(user)
    response = client.get("/complaints/")
    assert response.status_code == 302
    assert response.url == "/account/2fa/setup/?next=/complaints/"
    assert client.get(VERIFY).url.startswith(SETUP)
    page = client.get(SETUP)
    assert page.status_code == 200 and "必须使用" in page.content.decode()
    assert "/risks/" not in page.content.decode(), "no menu that leads nowhere"


def test_an_exempt_demo_user_is_not_forced_to_set_it_up(client, world, required):
    required.TWO_FACTOR_EXEMPT_USERNAMES = [world["inspector"].username]
    client.force_login(world["inspector"])
    assert client.get("/complaints/").status_code == 200


def test_an_exempt_user_who_set_it_up_anyway_still_enters_the_code(client, world, required):
    required.TWO_FACTOR_EXEMPT_USERNAMES = [world["inspector"].username]
    with_app(world["inspector"])
    client.force_login(world["inspector"])
    assert client.get("/complaints/").url.startswith(VERIFY)


@pytest.mark.parametrize("who", ["officer", "enterprise_user"])
def test_park_officers_and_enterprise_users_are_never_forced(client, world, settings, who):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["commission_admin", "inspector"]
    client.force_login(world[who])
    assert client.get("/").status_code == 200
    assert not two_factor_required(world[who])


def test_officers_may_enrol_but_enterprise_users_have_no_second_factor_page(client, world):
    client.force_login(world["officer"])
    assert MANAGE in client.get("/").content.decode()
    assert client.get(SETUP).status_code == 200
    client.force_login(world["enterprise_user"])
    assert MANAGE not in client.get("/").content.decode()
    assert client.get(SETUP).status_code == 403


def test_the_existing_pages_are_untouched_for_users_without_a_second_factor(client, world):
    """Test settings require nobody: force_login alone opens every page, as the rest of the suite assumes."""
    client.force_login(world["admin"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/complaints/").status_code == 200


# --- Admin reset ---------------------------------------------------------------------------------------


def test_a_commission_admin_resets_a_lost_second_factor_and_the_user_must_set_it_up_again(world, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["inspector"]
    inspector = world["inspector"]
    with_app(inspector)
    admin = Client()
    admin.force_login(world["admin"])

    listing = admin.get("/admin/accounts/user/")
    assert "重置所选用户的双重认证" in listing.content.decode()
    response = admin.post(
        "/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [inspector.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=inspector).exists()
    assert not StaticToken.objects.filter(device__user=inspector).exists()
    record = inspector.history.latest()
    assert record.history_change_reason == "管理员已重置双重认证"
    assert record.history_user == world["admin"]

    client = logged_in_with_password(inspector)
    assert client.get("/complaints/").url.startswith(SETUP)


def test_the_admin_shows_who_set_up_the_second_factor_and_never_a_device_key(world):
    device, _ = with_app(world["inspector"])
    admin = Client()
    admin.force_login(world["admin"])
    users = admin.get("/admin/accounts/user/").content.decode()
    assert "双重认证" in users and device.key not in users
    # django-otp's own device pages (its key settings, under English names) are not offered.
    assert admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
    assert admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 404


# --- No way around it ----------------------------------------------------------------------------------


def test_the_admin_login_page_sends_to_the_portal_login(client, world):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/admin/accounts/user/"
    posted = client.post("/admin/login/?next=/admin/", {"username": world["admin"].username, "password": PASSWORD})
    assert posted.status_code == 302 and posted.url.startswith("/login/")
    assert "_auth_user_id" not in client.session, "a password posted to the admin login logs nobody in"


def test_the_admin_site_wants_the_second_factor_too(world):
    device, _ = with_app(world["admin"])
    client = logged_in_with_password(world["admin"])
    for url in ["/admin/", "/admin/accounts/user/", "/admin/login/?next=/admin/accounts/user/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(VERIFY), url
    client.post(VERIFY, {"code": code_now(device)})
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(rf, world):
    """Even without the middleware (misordered settings), the admin's own permission check holds."""
    from django.contrib import admin

    with_app(world["admin"])
    request = rf.get("/admin/")
    request.user = world["admin"]
    assert not admin.site.has_permission(request)


def test_the_api_through_an_unverified_session_answers_403_in_chinese(client, world, required):
    with_app(world["inspector"])
    client.force_login(world["inspector"])
    response = client.get("/api/complaints/")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "two_factor_required" and body["fields"] == {}
    assert "验证码" in body["detail"]

    client.force_login(world["admin"])
    setup = client.get("/api/complaints/")
    assert setup.status_code == 403 and setup.json()["code"] == "two_factor_setup_required"


def test_token_requests_are_left_to_the_token_endpoint(world, required):
    with_app(world["inspector"])
    _instance, token = token_issue(user=world["inspector"])
    response = Client().get("/api/complaints/", headers={"authorization": f"Token {token}"})
    assert response.status_code == 200


def _obtain_token(user, **extra):
    return Client().post(
        "/api/token/", {"username": user.username, "password": PASSWORD, **extra}, content_type="application/json"
    )


def test_the_token_endpoint_asks_for_the_second_factor_of_whoever_has_one(world):
    device, recovery = with_app(world["inspector"])
    without = _obtain_token(world["inspector"])
    assert without.status_code == 400
    assert without.json()["code"] == "two_factor_required" and "验证码" in without.json()["detail"]
    assert _obtain_token(world["inspector"], otp="000000").status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started the back-off; the next is on time
    device.throttling_failure_timestamp = None
    device.save()
    assert _obtain_token(world["inspector"], otp=code_now(device)).status_code == 200
    assert _obtain_token(world["inspector"], otp=recovery[0]).status_code == 200
    assert recovery_codes_left(world["inspector"]) == len(recovery) - 1
    # nobody without an app and not required is asked
    assert _obtain_token(world["officer"]).status_code == 200


def test_a_required_role_without_an_app_gets_no_token_with_the_password_alone(world, required):
    response = _obtain_token(world["inspector"])
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_setup_required"
    assert "双重认证" in response.json()["detail"]


def test_public_pages_stay_open_while_the_code_is_pending(client, world):
    with_app(world["inspector"])
    client.force_login(world["inspector"])
    assert client.get("/track/").status_code == 200
    assert client.get("/healthz/").status_code == 200
    assert client.post("/logout/").status_code == 302


# --- Production ----------------------------------------------------------------------------------------


def _production_settings(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWO_FACTOR_", "DJANGO_"))}
    env.update(
        SECRET_KEY="x" * 64,
        DATABASE_URL="postgres://portal@127.0.0.1:5432/portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="qinglian.example.gov.cn",
        TRACKING_CODE_KEY="k" * 64,
        **extra,
    )
    script = "from config.settings import production as s; print(s.TWO_FACTOR_REQUIRED_ROLES)"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_requires_the_second_factor_of_commission_staff_and_exempts_nobody():
    plain = _production_settings()
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip() == "['commission_admin', 'inspector']"

    refused = _production_settings(TWO_FACTOR_EXEMPT_USERNAMES="admin,inspector")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "生产环境不得豁免双重认证" in refused.stderr


def test_a_misspelt_or_non_commission_role_in_the_setting_is_a_configuration_error(settings):
    from accounts.checks import two_factor_roles_are_commission_roles

    settings.TWO_FACTOR_REQUIRED_ROLES = ["commission_admin", "inspector"]
    assert two_factor_roles_are_commission_roles(None) == []
    settings.TWO_FACTOR_REQUIRED_ROLES = ["inspectors", "park_officer"]
    assert [error.id for error in two_factor_roles_are_commission_roles(None)] == ["accounts.E001"]
