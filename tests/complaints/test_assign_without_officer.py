"""Assigning a complaint of a park that has no park officer: the page says so and, for the commission
admin, links to where one is added — instead of an empty list and "该字段是必填项。"."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from complaints import services
from tests.factories import UserFactory


@pytest.fixture
def accepted_in_park_b(world):
    """Park B has no officer at all."""
    complaint = services.complaint_submit(
        park=world["park_b"], category="other", subject="某科", description="无人可派", is_anonymous=True
    ).complaint
    services.complaint_accept(complaint=complaint, actor=world["admin"])
    return complaint


def add_officer_url(park):
    return f"{reverse('admin:accounts_user_add')}?role={Role.PARK_OFFICER}&amp;parks={park.pk}"


def test_the_admin_is_told_the_park_has_no_officer_and_where_to_add_one(client, world, accepted_in_park_b):
    client.force_login(world["admin"])
    page = client.get(accepted_in_park_b.get_absolute_url()).content.decode()
    assert f"{world['park_b'].name}还没有园区干部，无法派单。" in page
    assert add_officer_url(world["park_b"]) in page
    assert 'name="officer"' not in page and "该字段是必填项" not in page
    # The link opens the add form with the role and the park already chosen.
    form = client.get(add_officer_url(world["park_b"]).replace("&amp;", "&")).context["adminform"].form
    assert form.initial["role"] == Role.PARK_OFFICER and [str(p) for p in form.initial["parks"]] == [
        str(world["park_b"].pk)
    ]


def test_an_inspector_gets_the_message_without_a_dead_link(client, world, accepted_in_park_b):
    inspector_b = UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]])
    client.force_login(inspector_b)
    page = client.get(accepted_in_park_b.get_absolute_url()).content.decode()
    assert f"{world['park_b'].name}还没有园区干部，无法派单。" in page
    assert "请联系委员会管理员添加园区干部。" in page
    assert reverse("admin:accounts_user_add") not in page


def test_assigning_by_hand_in_a_park_without_officer_says_why(client, world, accepted_in_park_b):
    client.force_login(world["admin"])
    page = client.post(accepted_in_park_b.get_absolute_url(), {"step": "assign", "officer": ""}).content.decode()
    assert "还没有园区干部" in page and "该字段是必填项" not in page


def test_a_park_with_an_officer_shows_the_list_as_before(client, world, file_complaint):
    complaint, _code = file_complaint()
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    client.force_login(world["inspector"])
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert 'name="officer"' in page and "还没有园区干部" not in page
