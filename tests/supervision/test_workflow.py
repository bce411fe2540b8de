"""An observation's life: filed by a supervisor in a park they serve (the park's inspectors told), asked back
and answered, filed away with a reason, or accepted as a finding in one step — each step by the right role
only, atomic, with Chinese messages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Notification
from core.workflow import TransitionNotAllowed
from inspections.choices import FindingSource
from inspections.models import Finding
from supervision import services
from supervision.models import Observation, ObservationStep
from tests.complaints.conftest import png_file

from .factories import appointed, observation_in

pytestmark = pytest.mark.django_db


def finding_for(observation) -> Finding:
    return Finding(
        description="审批科存在吃拿卡要苗头", category="service", severity="general", responsible_unit="审批科"
    )


def test_a_supervisor_files_an_observation_in_their_park_and_its_inspectors_are_told(world):
    observation = observation_in(world["park_a"], supervisor=world["supervisor"], files=[png_file("seen.png")])
    assert observation.status == "submitted" and observation.due_on > observation.submitted_at.date()
    assert observation.attachments.count() == 1
    told = Notification.objects.filter(kind="observation")
    assert {n.recipient for n in told} == {world["inspector"]}
    assert told.get().link == observation.get_absolute_url()


def test_a_supervisor_cannot_file_about_a_park_they_do_not_serve_nor_after_their_term(world):
    with pytest.raises(ValidationError) as refused:
        observation_in(world["park_b"], supervisor=world["supervisor"])
    assert "您不是该园区的在任监督员" in " ".join(refused.value.messages)
    former = appointed(world["park_a"], starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError):
        observation_in(world["park_a"], supervisor=former)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("role", ["inspector", "officer", "enterprise_user", "admin"])
def test_only_supervisors_file_observations(world, role):
    with pytest.raises(PermissionDenied) as refused:
        services.observation_submit(
            actor=world[role],
            observation=Observation(park=world["park_a"], category="other", description="x", place="y",
                                    occurred_on=datetime.date(2026, 1, 5)),
        )  # fmt: skip
    assert "只有监督员" in str(refused.value)


def test_asked_back_answered_then_filed_away_and_the_supervisor_is_told_each_time(world):
    observation = observation_in(world["park_a"], supervisor=world["supervisor"])
    services.observation_ask(actor=world["inspector"], observation=observation, question="请补充在场人员")
    observation.refresh_from_db()
    assert observation.status == "asked_back" and observation.times_asked == 1
    with pytest.raises(PermissionDenied) as refused:
        services.observation_answer(actor=world["inspector"], observation=observation, answer="我来答")
    assert "只有提交该信息的监督员" in str(refused.value)
    services.observation_answer(actor=world["supervisor"], observation=observation, answer="还有两名工作人员在场")
    observation.refresh_from_db()
    assert observation.status == "submitted"
    services.observation_file(actor=world["inspector"], observation=observation, reason="已另案处理")
    observation.refresh_from_db()
    assert observation.status == "filed" and observation.filed_reason == "已另案处理"
    assert observation.decided_by == world["inspector"]
    steps = list(ObservationStep.objects.filter(observation=observation).values_list("step", "note"))
    assert steps == [
        ("submit", ""),
        ("ask", "请补充在场人员"),
        ("answer", "还有两名工作人员在场"),
        ("file", "已另案处理"),
    ]
    assert Notification.objects.filter(recipient=world["supervisor"], kind="observation").count() == 2


def test_filing_needs_a_reason_and_a_supervisor_cannot_take_an_inspectors_step(world):
    observation = observation_in(world["park_a"], supervisor=world["supervisor"])
    with pytest.raises(ValidationError) as empty:
        services.observation_file(actor=world["inspector"], observation=observation, reason="  ")
    assert "存档" in " ".join(empty.value.messages)
    with pytest.raises(PermissionDenied) as refused:
        services.observation_ask(actor=world["supervisor"], observation=observation, question="自问")
    assert "只有园区的纪检监察干部" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.observation_file(actor=world["supervisor"], observation=observation, reason="自己存档")
    observation.refresh_from_db()
    assert observation.status == "submitted"


def test_an_inspector_of_another_park_does_not_find_the_observation(world):
    observation = observation_in(world["park_a"])
    with pytest.raises(Observation.DoesNotExist):
        services.observation_ask(actor=world["idle_inspector"], observation=observation, question="?")


def test_accepting_makes_one_finding_of_the_park_and_a_second_acceptance_returns_it(world):
    observation = observation_in(world["park_a"], supervisor=world["supervisor"])
    finding = services.observation_accept(
        actor=world["inspector"], observation=observation, finding=finding_for(observation)
    )
    again = services.observation_accept(
        actor=world["inspector"], observation=observation, finding=finding_for(observation)
    )
    observation.refresh_from_db()
    assert again == finding and Finding.objects.count() == 1
    assert finding.park == world["park_a"] and finding.source == FindingSource.OBSERVATION
    assert observation.status == "accepted" and observation.finding == finding and observation.decided_at
    assert Notification.objects.filter(recipient=world["supervisor"], title__contains="采纳").exists()


def test_a_filed_observation_cannot_be_accepted_and_the_message_says_why_in_chinese(world):
    observation = observation_in(world["park_a"])
    services.observation_file(actor=world["inspector"], observation=observation, reason="重复")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.observation_accept(actor=world["inspector"], observation=observation, finding=finding_for(observation))
    assert "已存档" in refused.value.message
    assert not Finding.objects.exists()


def test_an_acceptance_with_a_bad_finding_changes_nothing(world):
    observation = observation_in(world["park_a"])
    bad = Finding(description="", category="service", severity="general", responsible_unit="")
    with pytest.raises(ValidationError):
        services.observation_accept(actor=world["inspector"], observation=observation, finding=bad)
    observation.refresh_from_db()
    assert observation.status == "submitted" and observation.finding is None and not Finding.objects.exists()
    assert not ObservationStep.objects.filter(step="accept").exists()


def test_the_inspector_accepts_from_the_page_in_one_step_and_lands_on_the_finding(client, world):
    observation = observation_in(world["park_a"], supervisor=world["supervisor"])
    client.force_login(world["inspector"])
    url = reverse("supervision:observation-finding", args=[observation.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["description"].startswith("监督员反映")
    assert world["supervisor"].name not in form.context["form"].initial["description"]
    data = {**form.context["form"].initial, "severity": "general"}
    response = client.post(url, data)
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == finding.get_absolute_url()
    observation.refresh_from_db()
    assert observation.finding == finding


def test_pages_refuse_park_officers_and_enterprises_and_keep_what_was_typed(client, world):
    observation = observation_in(world["park_a"], supervisor=world["supervisor"])
    for role in ("officer", "enterprise_user"):
        client.force_login(world[role])
        assert client.get(reverse("supervision:observation-list")).status_code == 403
        assert client.get(observation.get_absolute_url()).status_code in (403, 404)
    client.force_login(world["supervisor"])
    typed = {"park": world["park_a"].pk, "category": "conduct", "place": "园区东门", "description": "看到了",
             "occurred_on": "2099-01-01", "unit_named": "经发局"}  # fmt: skip
    response = client.post(reverse("supervision:observation-create"), typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert "园区东门" in body and "该日期晚于今天" in body
    assert Observation.objects.count() == 1


def test_a_holiday_entered_within_the_time_limit_moves_it(world):
    from core.calendar import Entry, calendar_change
    from core.models import CalendarDay
    from core.workdays import add_working_days

    observation = observation_in(world["park_a"], supervisor=world["supervisor"])
    before = observation.due_on
    holiday = add_working_days(observation.counted_from, 2)
    change = calendar_change(actor=world["admin"], save=[Entry(holiday, CalendarDay.Kind.HOLIDAY, "临时休假")])
    observation.refresh_from_db()
    assert observation.due_on == add_working_days(observation.counted_from, 10) > before
    assert [(item.old, item.new) for item in change.recomputed] == [(before, observation.due_on)]
