"""Passwords: none containing the user's own username, name or e-mail name; the similarity, length and
common-password validators on in every settings module."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def _change_password(user, new):
    browser = Client()
    browser.force_login(user)
    return browser.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    "new",
    ["officer2officer2", "OFFICER2-2026!x", "my.officer_2.pass", "zhang-officer2", "x张 三x-password-9"],
)
def test_a_password_containing_the_username_or_name_is_refused_on_the_password_page(db, new):
    user = UserFactory(username="officer2", name="张三", role=Role.PARK_OFFICER, email="wang.wei@example.gov.cn")
    response = _change_password(user, new)
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码不能包含" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_password_containing_the_e_mail_name_is_refused(db):
    user = UserFactory(username="u4711", email="Wang.Wei@example.gov.cn")
    with pytest.raises(ValidationError) as error:
        validate_password("wangwei-at-work-77", user)
    assert "电子邮箱" in " ".join(error.value.messages)


def test_a_good_password_is_accepted_on_the_password_page(db):
    user = UserFactory(username="officer2", name="张三")
    assert _change_password(user, "Lantern-orchard-bicycle-41").status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lantern-orchard-bicycle-41")


def test_short_accidental_overlaps_are_not_refused(db):
    user = UserFactory(username="li", name="Al")
    validate_password("Lantern-orchard-bicycle-41", user)  # contains "li" and "al": too short to mean anything


def test_common_and_short_passwords_stay_refused(db):
    user = UserFactory(username="someone")
    for weak in ("password123", "qwertyuiop", "short1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)


def test_the_admin_refuses_a_new_user_whose_password_contains_the_username(world):
    staff = Client()
    staff.force_login(world["admin"])
    response = staff.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "officer9",
            "password1": "officer9officer9",
            "password2": "officer9officer9",
            "usable_password": "true",
            "name": "李四",
            "role": Role.PARK_OFFICER,
        },
    )
    assert response.status_code == 200
    assert "密码不能包含用户名" in response.content.decode()
    assert not User.objects.filter(username="officer9").exists()


def test_the_admin_refuses_setting_a_password_containing_the_name(world):
    user = world["officer"]
    user.name = "Wangwei"
    user.save()
    staff = Client()
    staff.force_login(world["admin"])
    response = staff.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "wangwei-2026-pass", "password2": "wangwei-2026-pass", "usable_password": "true"},
    )
    assert response.status_code == 200 and "密码不能包含姓名" in response.content.decode()
