"""The observations and appointments API: scoped like the pages, steps through the same services, 409 when
the state does not allow a step, 403 for roles that have no business there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supervision.models import Observation

from .factories import observation_in

pytestmark = pytest.mark.django_db

ROLES = ["admin", "inspector", "officer", "enterprise_user", "idle_inspector", "supervisor"]


@pytest.fixture
def observations(world):
    return {
        "mine": observation_in(world["park_a"], supervisor=world["supervisor"]),
        "other_a": observation_in(world["park_a"]),
        "b": observation_in(world["park_b"]),
    }


LIST_SEES = {
    "admin": {"mine", "other_a", "b"},
    "inspector": {"mine", "other_a"},
    "idle_inspector": set(),
    "supervisor": {"mine"},
}


@pytest.mark.parametrize("role", ROLES)
def test_observations_list_and_detail_follow_the_scope(client, world, observations, role):
    client.force_login(world[role])
    listing = client.get(reverse("observation-list"))
    if role in ("officer", "enterprise_user"):
        assert listing.status_code == 403
        assert client.get(reverse("observation-detail", args=[observations["mine"].pk])).status_code == 403
        return
    ids = {row["id"] for row in listing.json()["results"]}
    assert ids == {observations[key].pk for key in LIST_SEES[role]}
    for key, observation in observations.items():
        status = client.get(reverse("observation-detail", args=[observation.pk])).status_code
        assert status == (200 if key in LIST_SEES[role] else 404)


def test_a_supervisor_files_by_the_api_in_their_park_only(client, world):
    client.force_login(world["supervisor"])
    payload = {"park": world["park_a"].pk, "category": "business", "description": "涉企检查频繁", "place": "北区",
               "occurred_on": "2026-03-02"}  # fmt: skip
    created = client.post(reverse("observation-list"), payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "submitted" and created.json()["steps"] == []
    elsewhere = client.post(
        reverse("observation-list"), {**payload, "park": world["park_b"].pk}, content_type="application/json"
    )
    assert elsewhere.status_code == 400 and "park" in elsewhere.json()["fields"]
    client.force_login(world["inspector"])
    assert client.post(reverse("observation-list"), payload, content_type="application/json").status_code == 403


def test_steps_by_the_api_answer_409_out_of_turn_and_403_to_the_wrong_role(client, world, observations):
    mine = observations["mine"]
    client.force_login(world["supervisor"])
    assert (
        client.post(
            reverse("observation-ask", args=[mine.pk]), {"question": "?"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("observation-answer", args=[mine.pk]), {"answer": "!"}, content_type="application/json"
        ).status_code
        == 409
    )
    client.force_login(world["inspector"])
    asked = client.post(
        reverse("observation-ask", args=[mine.pk]), {"question": "时间？"}, content_type="application/json"
    )
    assert asked.status_code == 200 and asked.json()["status"] == "asked_back"
    accept = {"description": "某科作风问题", "category": "duties", "severity": "general", "responsible_unit": "某科"}
    refused = client.post(reverse("observation-accept", args=[mine.pk]), accept, content_type="application/json")
    assert refused.status_code == 409 and "需补充" in refused.json()["detail"]
    client.force_login(world["supervisor"])
    client.post(reverse("observation-answer", args=[mine.pk]), {"answer": "上周三"}, content_type="application/json")
    client.force_login(world["inspector"])
    made = client.post(reverse("observation-accept", args=[mine.pk]), accept, content_type="application/json")
    assert made.status_code == 201 and made.json()["source"] == "observation"
    assert Observation.objects.get(pk=mine.pk).finding_id == made.json()["id"]
    outside = client.post(
        reverse("observation-file", args=[observations["b"].pk]), {"reason": "x"}, content_type="application/json"
    )
    assert outside.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_appointments_are_for_commission_admins_only(client, world, role):
    client.force_login(world[role])
    listing = client.get(reverse("appointment-list"))
    assert listing.status_code == (200 if role == "admin" else 403)
    if role == "admin":
        assert [row["supervisor"] for row in listing.json()["results"]] == [world["supervisor"].pk]
