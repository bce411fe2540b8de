"""A complaint filed with the anonymous switch off is a named one: the person chose to be called back,
so the form asks for their name and a phone number instead of recording "匿名 否" with nobody behind it."""

import pytest
from django.urls import reverse

from complaints.models import Complaint


def _report(park):
    return reverse("complaints:report", args=[park.code])


BASE = {"category": "not_handled", "subject": "政务服务中心", "description": "材料齐全却不予受理。"}


@pytest.mark.parametrize(
    ("contact", "missing"),
    [
        ({}, ["contact_name", "contact_phone"]),
        ({"contact_name": "李女士"}, ["contact_phone"]),
        ({"contact_phone": "13911112222"}, ["contact_name"]),
        ({"contact_name": "   ", "contact_phone": "13911112222"}, ["contact_name"]),
    ],
)
def test_a_named_complaint_without_a_name_and_phone_is_asked_for_them(public, world, contact, missing):
    response = public.post(_report(world["park_a"]), {**BASE, **contact})
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == missing
    page = response.content.decode()
    if "contact_name" in missing:
        assert "请填写您的姓名，或选择匿名投诉。" in page
    if "contact_phone" in missing:
        assert "请留下联系电话以便回访，或选择匿名投诉。" in page
    assert "材料齐全却不予受理。" in page  # what was typed is kept
    assert not Complaint.objects.exists()


def test_with_a_name_and_phone_it_is_filed_with_who_complained(public, world):
    response = public.post(_report(world["park_a"]), {**BASE, "contact_name": "李女士", "contact_phone": "13911112222"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert not complaint.is_anonymous
    assert (complaint.complainant.name, complaint.complainant.phone) == ("李女士", "13911112222")


def test_anonymous_needs_nothing(public, world):
    assert public.post(_report(world["park_a"]), {**BASE, "is_anonymous": "on"}).status_code == 302


def test_an_enterprise_user_is_reached_through_their_account(client, world, client_ip):
    client.force_login(world["enterprise_user"])
    response = client.post(
        _report(world["park_a"]), {**BASE, "contact_name": "", "contact_phone": ""}, REMOTE_ADDR=client_ip
    )
    assert response.status_code == 302
    assert Complaint.objects.get().complainant.user == world["enterprise_user"]


@pytest.mark.parametrize(
    ("contact", "missing"),
    [({}, ["contact_name", "contact_phone"]), ({"contact_name": "李女士"}, ["contact_phone"])],
)
def test_the_public_api_asks_for_the_same_as_the_form(public, world, contact, missing):
    """One rule for both doors: the API refuses the same named complaint with the same Chinese words."""
    body = {**BASE, "park": world["park_a"].code, "is_anonymous": False, **contact}
    response = public.post(reverse("public-complaint"), body, content_type="application/json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert sorted(fields) == missing
    if "contact_phone" in missing:
        assert fields["contact_phone"] == ["请留下联系电话以便回访，或选择匿名投诉。"]
    assert not Complaint.objects.exists()
