import pytest
from django.urls import reverse

from accounts.choices import Role
from parks.models import Enterprise
from tests.factories import EnterpriseFactory, ParkFactory, UserFactory, valid_credit_code


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("admin", "纪委监委管理员"),
        ("inspector", "纪检监察干部"),
        ("officer", "园区工作人员"),
        ("enterprise_user", "企业用户"),
    ],
)
def test_each_role_lands_on_its_own_home_page_in_chinese(client, world, role, text):
    client.force_login(world[role])
    response = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert "清廉园区监督平台" in response.content.decode()


def test_login_page_is_chinese_and_a_wrong_password_keeps_the_username(client, world):
    response = client.post(reverse("login"), {"username": world["inspector"].username, "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "登录" in body
    assert world["inspector"].username in body
    assert "正确的" in body  # Django's own zh_Hans message for a wrong username or password


def test_login_then_logout(client, world):
    user = world["inspector"]
    response = client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("query", ["华中重工", "91410400", "李四"])
def test_enterprise_search_by_name_credit_code_or_legal_representative(client, world, query):
    target = EnterpriseFactory(park=world["park_a"], name="平顶山华中重工有限公司", legal_representative="李四")
    client.force_login(world["inspector"])
    found = client.get(reverse("parks:enterprise-list"), {"q": query}).context["object_list"]
    assert target in found
    if query != "91410400":
        assert world["ent_a"] not in found


def test_enterprise_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["inspector"])
    EnterpriseFactory.create_batch(3, park=world["park_a"])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("parks:enterprise-list"))
    EnterpriseFactory.create_batch(20, park=world["park_a"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("parks:enterprise-list"))


def test_park_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["admin"])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("parks:park-list"))
    for _ in range(10):
        EnterpriseFactory(park=ParkFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("parks:park-list"))


def _form(world, **overrides):
    data = {
        "credit_code": valid_credit_code(9999),
        "name": "平顶山新登记科技有限公司",
        "park": world["park_a"].pk,
        "industry": "新能源",
        "legal_representative": "王五",
        "contact_phone": "0375-2345678",
        "is_key": "on",
    }
    data.update(overrides)
    return data


def test_an_officer_registers_an_enterprise_in_their_park(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("parks:enterprise-create"), _form(world, credit_code=valid_credit_code(9999).lower())
    )
    enterprise = Enterprise.objects.get(name="平顶山新登记科技有限公司")
    assert response.status_code == 302
    assert response.url == enterprise.get_absolute_url()
    assert enterprise.credit_code == valid_credit_code(9999)  # stored normalised
    assert enterprise.is_key
    assert enterprise.history.first().history_user == world["officer"]


def test_a_bad_credit_code_is_explained_in_chinese_and_nothing_typed_is_lost(client, world):
    client.force_login(world["officer"])
    bad = valid_credit_code(9999)[:-1] + ("0" if valid_credit_code(9999)[-1] != "0" else "1")
    response = client.post(reverse("parks:enterprise-create"), _form(world, credit_code=bad, contact_phone="12345"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验" in body
    assert "手机号码或固定电话" in body
    assert bad in body
    assert "平顶山新登记科技有限公司" in body
    assert "王五" in body
    assert not Enterprise.objects.filter(name="平顶山新登记科技有限公司").exists()


def test_a_duplicate_credit_code_is_refused_with_a_message(client, world):
    client.force_login(world["inspector"])
    response = client.post(reverse("parks:enterprise-create"), _form(world, credit_code=world["ent_a"].credit_code))
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_an_officer_cannot_register_an_enterprise_in_another_park(client, world):
    client.force_login(world["officer"])
    response = client.post(reverse("parks:enterprise-create"), _form(world, park=world["park_b"].pk))
    assert response.status_code == 200
    assert "park" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="平顶山新登记科技有限公司").exists()


def test_editing_an_enterprise_outside_the_scope_is_404(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("parks:enterprise-update", args=[world["ent_b"].pk])).status_code == 404
    assert client.post(reverse("parks:enterprise-update", args=[world["ent_b"].pk]), _form(world)).status_code == 404


def test_enterprise_users_cannot_change_the_ledgers(client, world):
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("parks:enterprise-create")).status_code == 403
    assert client.get(reverse("parks:enterprise-update", args=[world["ent_a"].pk])).status_code == 403


def test_commission_admins_see_who_changed_what(client, world):
    client.force_login(world["inspector"])
    client.post(reverse("parks:enterprise-update", args=[world["ent_a"].pk]), _form(world, name="改名后的公司"))
    client.force_login(world["admin"])
    body = client.get(reverse("parks:enterprise-detail", args=[world["ent_a"].pk])).content.decode()
    assert "变更记录" in body
    assert "改名后的公司" in body
    assert world["inspector"].display_name in body
    client.force_login(world["inspector"])
    assert "变更记录" not in client.get(reverse("parks:enterprise-detail", args=[world["ent_a"].pk])).content.decode()


def test_an_enterprise_user_must_be_tied_to_an_enterprise(db):
    from django.core.exceptions import ValidationError

    user = UserFactory.build(role=Role.ENTERPRISE)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "enterprise" in error.value.message_dict


def test_healthz_reports_database_and_cache(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_a_credit_code_pasted_in_groups_from_a_licence_is_accepted_by_the_form_and_the_api(client, world):
    code = valid_credit_code(9999)
    grouped = " ".join(code[i : i + 4] for i in range(0, 18, 4))  # 22 characters with the spaces
    client.force_login(world["officer"])
    page = client.get(reverse("parks:enterprise-create")).content.decode()
    assert 'maxlength="18"' not in page  # the browser does not cut the pasted code
    response = client.post(reverse("parks:enterprise-create"), _form(world, credit_code=grouped))
    assert response.status_code == 302
    assert Enterprise.objects.get(name="平顶山新登记科技有限公司").credit_code == code
    other = valid_credit_code(9998)
    created = client.post(
        reverse("enterprise-list"),
        {"credit_code": " ".join(other[i : i + 4] for i in range(0, 18, 4)), "name": "接口登记有限公司",
         "park": world["park_a"].pk},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["credit_code"] == other


def test_an_enterprise_of_a_closed_park_can_still_be_edited_and_stays_there(client, world):
    world["park_a"].is_active = False
    world["park_a"].save()
    enterprise = world["ent_a"]
    client.force_login(world["inspector"])
    response = client.post(
        reverse("parks:enterprise-update", args=[enterprise.pk]),
        _form(world, credit_code=enterprise.credit_code, name="更名后的企业"),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.park) == ("更名后的企业", world["park_a"])
    # A closed park is not offered for new enterprises.
    form = client.get(reverse("parks:enterprise-create")).context["form"]
    assert world["park_a"] not in form.fields["park"].queryset
