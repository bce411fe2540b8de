"""Two people acting on the same complaint at the same moment, on real PostgreSQL with two connections:
one wins, the other is told in Chinese that someone acted first (409, the page kept), and the timeline
has one entry."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from complaints import services
from complaints.choices import EventKind, Status
from tests.concurrency import at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SOMEONE_FIRST = "可能已有他人处理"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def second_inspector(world):
    return UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])


@pytest.fixture
def second_officer(world):
    return UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]])


def _outcome(responses):
    return sorted(response.status_code for response in responses)


def test_two_inspectors_accepting_on_the_page_at_once_one_wins_one_is_told(world, file_complaint, second_inspector):
    complaint, _ = file_complaint()
    url = complaint.get_absolute_url()
    first, second = _client(world["inspector"]), _client(second_inspector)
    responses = at_once(
        lambda: first.post(url, {"step": "accept", "note": "甲"}),
        lambda: second.post(url, {"step": "accept", "note": "乙"}),
    )
    assert _outcome(responses) == [302, 409]
    loser = next(response for response in responses if response.status_code == 409)
    assert SOMEONE_FIRST in loser.content.decode()
    assert complaint.events.filter(kind=EventKind.ACCEPTED).count() == 1


def test_two_inspectors_assigning_on_the_page_at_once_one_wins_one_is_told(
    world, file_complaint, second_inspector, second_officer
):
    """Both saw the complaint accepted and unassigned; without the check under the lock the second
    would silently re-assign it (two 'assigned' entries, two officers told)."""
    complaint, _ = file_complaint()
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    url = complaint.get_absolute_url()
    first, second = _client(world["inspector"]), _client(second_inspector)
    seen = first.get(url).content.decode()
    assert 'name="seen_assignee"' in seen
    responses = at_once(
        lambda: first.post(url, {"step": "assign", "officer": world["officer"].pk, "seen_assignee": ""}),
        lambda: second.post(url, {"step": "assign", "officer": second_officer.pk, "seen_assignee": ""}),
    )
    assert _outcome(responses) == [302, 409]
    loser = next(response for response in responses if response.status_code == 409)
    assert "刚刚已被他人派单" in loser.content.decode()
    assert complaint.events.filter(kind=EventKind.ASSIGNED).count() == 1
    complaint.refresh_from_db()
    told = [user for user in (world["officer"], second_officer) if user.notifications.exists()]
    assert told == [complaint.assigned_to]


def test_two_inspectors_assigning_through_the_api_at_once_one_gets_409_in_the_error_shape(
    world, file_complaint, second_inspector, second_officer
):
    complaint, _ = file_complaint()
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    url = reverse("complaint-assign", args=[complaint.pk])
    first, second = _client(world["inspector"]), _client(second_inspector)
    responses = at_once(
        lambda: first.post(
            url, {"officer": world["officer"].pk, "seen_assignee": None}, content_type="application/json"
        ),
        lambda: second.post(
            url, {"officer": second_officer.pk, "seen_assignee": None}, content_type="application/json"
        ),
    )
    assert _outcome(responses) == [200, 409]
    loser = next(response for response in responses if response.status_code == 409).json()
    assert loser["code"] == "transition_not_allowed" and loser["fields"] == {}
    assert "刚刚已被他人派单" in loser["detail"]
    assert complaint.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_a_deliberate_reassignment_still_works(world, file_complaint, second_officer):
    complaint, _ = file_complaint()
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"])
    client = _client(world["inspector"])
    response = client.post(
        complaint.get_absolute_url(),
        {"step": "assign", "officer": second_officer.pk, "seen_assignee": world["officer"].pk},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_to == second_officer and complaint.status == Status.ASSIGNED
