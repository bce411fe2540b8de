"""Registrations against the negative list: a match is refused with the item it matches (the form keeps
what was typed); ticked as a self-report it is recorded and goes straight to the park's inspectors."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conduct.models import ConductListItem, ContactRegistration
from core.models import Notification
from tests.factories import UserFactory

from .conftest import register

FORM = {
    "enterprise": None,
    "park": None,
    "contact_on": "2026-03-01",
    "place": "园区附近餐馆",
    "purpose": "协调企业用电增容事宜",
    "meal_paid_by": "enterprise",
    "gifts_offered": "",
    "gifts_value": "",
    "tie_note": "",
}


def form_data(world, **extra):
    return {**FORM, "park": world["park_a"].pk, "enterprise": world["ent_a"].pk, **extra}


def test_a_banquet_paid_by_the_enterprise_is_refused_naming_the_list_item(client, world, banquet_item):
    client.force_login(world["officer"])
    response = client.post(reverse("conduct:registration-create"), form_data(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "该交往与负面清单相符" in body
    assert f"第 {banquet_item.code} 条“{banquet_item.text}”" in body
    assert "协调企业用电增容事宜" in body  # what was typed is kept
    assert not ContactRegistration.objects.exists()


def test_ticking_self_report_records_it_and_tells_the_parks_inspectors(client, world, banquet_item):
    other_park_inspector = UserFactory(role="inspector", parks=[world["park_b"]])
    client.force_login(world["officer"])
    response = client.post(reverse("conduct:registration-create"), form_data(world, self_reported="on"))
    registration = ContactRegistration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert registration.self_reported and registration.official == world["officer"]
    assert list(registration.matched_items.all()) == [banquet_item]
    told = Notification.objects.get(recipient=world["inspector"])
    assert told.link == registration.get_absolute_url() and "主动报告" in told.title
    assert not Notification.objects.filter(recipient=other_park_inspector).exists()

    client.force_login(world["inspector"])
    waiting = client.get(reverse("conduct:registration-list") + "?awaiting_review=true")
    assert list(waiting.context["object_list"]) == [registration]
    page = client.get(registration.get_absolute_url()).content.decode()
    assert banquet_item.text in page and "标记主动报告已查看" in page
    client.post(registration.get_absolute_url(), {"action": "review"})
    assert not client.get(reverse("conduct:registration-list") + "?awaiting_review=true").context["object_list"]


def test_an_ordinary_contact_is_registered_without_matches(world):
    registration = register(world, meal_paid_by="self", gifts_offered="茶叶", gifts_accepted=False)
    assert not registration.self_reported and not registration.matched_items.exists()


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"gifts_offered": "购物卡", "gifts_accepted": True}, "gift"),
        ({"travel_paid_by_enterprise": True}, "travel"),
        ({"discussed_bidding": True}, "bidding"),
    ],
)
def test_each_machine_checked_kind_is_refused(world, fields, kind):
    item = ConductListItem.objects.get(park__isnull=True, negative_kind=kind)
    with pytest.raises(ValidationError) as refused:
        register(world, **fields)
    assert item.text in refused.value.messages[0]


def test_an_item_no_longer_in_force_or_of_another_park_does_not_refuse(world, banquet_item):
    banquet_item.is_active = False
    banquet_item.save()
    ConductListItem.objects.create(
        list_kind="negative", park=world["park_b"], code="B-1", text="乙园区禁止宴请", negative_kind="banquet"
    )
    assert register(world, meal_paid_by="enterprise").matched_items.count() == 0


def test_a_park_item_refuses_in_its_park(world, banquet_item):
    ConductListItem.objects.create(
        list_kind="negative", park=world["park_a"], code="A-1", text="甲园区禁止收受土特产", negative_kind="gift"
    )
    with pytest.raises(ValidationError, match="甲园区禁止收受土特产"):
        register(world, gifts_offered="土特产", gifts_accepted=True)


# --- scope ---------------------------------------------------------------------------------------------


def test_an_officer_sees_their_own_registrations_and_inspectors_the_parks(client, world):
    mine = register(world)
    colleague = UserFactory(role="park_officer", parks=[world["park_a"]])
    theirs = register(world, actor=colleague)
    assert set(ContactRegistration.objects.visible_to(world["officer"])) == {mine}
    assert set(ContactRegistration.objects.visible_to(world["inspector"])) == {mine, theirs}
    assert set(ContactRegistration.objects.visible_to(world["admin"])) == {mine, theirs}
    assert not ContactRegistration.objects.visible_to(world["enterprise_user"]).exists()
    assert not ContactRegistration.objects.visible_to(world["idle_inspector"]).exists()
    client.force_login(world["officer"])
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("conduct:registration-update", args=[theirs.pk])).status_code == 404


def test_another_parks_registration_is_404_and_enterprises_are_refused(client, world):
    officer_b = UserFactory(role="park_officer", parks=[world["park_b"]])
    other = register(world, actor=officer_b, park=world["park_b"], enterprise=world["ent_b"])
    client.force_login(world["inspector"])
    assert client.get(other.get_absolute_url()).status_code == 404
    assert other not in client.get(reverse("conduct:registration-list")).context["object_list"]
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("conduct:registration-list")).status_code == 403
    assert client.get(reverse("conduct:registration-create")).status_code == 403


def test_an_officer_cannot_register_in_another_park(world):
    with pytest.raises(ValidationError) as refused:
        register(world, park=world["park_b"], enterprise=world["ent_b"])
    assert "park" in refused.value.message_dict


def test_inspectors_read_but_do_not_file_registrations(client, world):
    client.force_login(world["inspector"])
    assert client.get(reverse("conduct:registration-create")).status_code == 403


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_refuses_a_match_in_chinese_and_records_a_self_report(client, world, banquet_item):
    client.force_login(world["officer"])
    data = {**form_data(world), "gifts_value": None}
    refused = client.post(reverse("contactregistration-list"), data, content_type="application/json")
    assert refused.status_code == 400
    assert banquet_item.text in str(refused.json())
    created = client.post(
        reverse("contactregistration-list"), {**data, "self_reported": True}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["matched_items"] == [banquet_item.pk]
    assert created.json()["official"] == world["officer"].pk


def test_the_api_lists_only_the_scope(client, world):
    mine = register(world)
    officer_b = UserFactory(role="park_officer", parks=[world["park_b"]])
    other = register(world, actor=officer_b, park=world["park_b"], enterprise=world["ent_b"])
    client.force_login(world["inspector"])
    ids = {row["id"] for row in client.get(reverse("contactregistration-list")).json()["results"]}
    assert ids == {mine.pk}
    assert client.get(reverse("contactregistration-detail", args=[other.pk])).status_code == 404
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("contactregistration-list")).status_code == 403


def test_a_filtered_api_list_asked_for_an_absurd_page_is_404_not_a_server_error(client, world):
    """Found by the contract test on this list: the count's LIMIT overflowed a bigint (core.pagination)."""
    register(world)
    client.force_login(world["inspector"])
    url = reverse("contactregistration-list") + "?self_reported=true&page=10892276697075520897024"
    assert client.get(url).status_code == 404


def test_a_self_report_stays_as_filed_for_the_official(world, banquet_item):
    registration = register(world, meal_paid_by="enterprise", self_reported=True)
    registration.meal_paid_by, registration.self_reported = "self", False
    with pytest.raises(ValidationError, match="主动报告一经提交"):
        register_again = registration  # the official edits their self-report away
        from conduct import services

        services.registration_file(actor=world["officer"], registration=register_again)
    assert ContactRegistration.objects.get().self_reported
