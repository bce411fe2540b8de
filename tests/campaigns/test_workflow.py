"""Launching a campaign and the checklist returns' workflow: who may take which step, atomically, with
Chinese messages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, ParkReturn, ReturnAnswer
from core.workflow import TransitionNotAllowed
from tests.factories import ParkFactory

from .conftest import answers_for

D = datetime.date


def test_launch_gives_each_covered_park_a_return_due_in_working_days(world, launched):
    ParkFactory(code="PARK-C")  # not covered
    returns = ParkReturn.objects.filter(campaign=launched)
    assert {r.park.code for r in returns} == {"PARK-A", "PARK-B"}
    assert {r.due_on for r in returns} == {D(2026, 2, 14)}  # the make-up Saturday is a working day
    assert ReturnAnswer.objects.filter(park_return__campaign=launched).count() == 4
    assert launched.status == "launched"


def test_launch_tells_the_parks_officers(world, launched):
    assert world["officer"].notifications.filter(kind="campaign_launched").count() == 1


def test_only_commission_admins_launch_and_not_twice(world, draft):
    with pytest.raises(PermissionDenied, match="只有纪委监委管理员"):
        services.campaign_launch(actor=world["inspector"], campaign=draft)
    services.campaign_launch(actor=world["admin"], campaign=draft)
    with pytest.raises(TransitionNotAllowed):
        services.campaign_launch(actor=world["admin"], campaign=draft)
    assert ParkReturn.objects.filter(campaign=draft).count() == 2


def test_a_campaign_without_checklist_is_not_launched(world):
    campaign = services.campaign_save(
        actor=world["admin"],
        campaign=Campaign(name="空", theme="other", starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 1), lead_unit="某室"),
        parks=[world["park_a"]],
    )
    with pytest.raises(ValidationError, match="至少添加一项"):
        services.campaign_launch(actor=world["admin"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_the_checklist_is_frozen_once_launched(world, launched):
    with pytest.raises(ValidationError, match="已启动"):
        services.checklist_item_add(actor=world["admin"], campaign=launched, text="新增")


def test_officer_submits_inspector_passes(world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    park_return.refresh_from_db()
    assert park_return.status == "submitted" and park_return.submitted_by == world["officer"]
    assert world["inspector"].notifications.filter(kind="campaign_return_submitted").exists()
    services.return_pass(actor=world["inspector"], park_return=park_return)
    park_return.refresh_from_db()
    assert park_return.status == "passed"


def test_wrong_roles_are_refused_in_chinese(world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    with pytest.raises(PermissionDenied, match="只有本园区工作人员"):
        services.return_submit(actor=world["inspector"], park_return=park_return, answers=answers_for(park_return))
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    with pytest.raises(PermissionDenied, match="纪检监察干部可以审核"):
        services.return_pass(actor=world["officer"], park_return=park_return)


def test_an_incomplete_return_is_refused_and_nothing_is_saved(world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    answers = answers_for(park_return, result="problem", note="")
    with pytest.raises(ValidationError, match="请说明"):
        services.return_submit(actor=world["officer"], park_return=park_return, answers=answers)
    park_return.refresh_from_db()
    assert park_return.status == "pending"
    assert set(park_return.answers.values_list("result", flat=True)) == {""}  # atomic: the answers rolled back


def test_sending_back_needs_a_reason_and_reopens_the_return(world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    with pytest.raises(ValidationError):
        services.return_send_back(actor=world["inspector"], park_return=park_return, reason=" ")
    services.return_send_back(actor=world["inspector"], park_return=park_return, reason="请补充核查范围")
    park_return.refresh_from_db()
    assert park_return.status == "returned"
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    park_return.refresh_from_db()
    assert park_return.status == "submitted"


def test_the_page_refuses_a_stale_step_with_409(client, world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    client.force_login(world["inspector"])
    response = client.post(reverse("campaigns:return-detail", args=[park_return.pk]), {"step": "pass"})
    assert response.status_code == 409
    assert "不能" in response.content.decode() or "不可" in response.content.decode()


def test_the_officer_fills_the_return_on_its_page(client, world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    client.force_login(world["officer"])
    url = reverse("campaigns:return-detail", args=[park_return.pk])
    data = {"step": "submit"}
    for answer in park_return.answers.all():
        data[f"a{answer.pk}-result"] = "problem"
        data[f"a{answer.pk}-note"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请说明" in response.content.decode()
    for answer in park_return.answers.all():
        data[f"a{answer.pk}-note"] = "发现一笔未拨付"
    assert client.post(url, data).status_code == 302
    park_return.refresh_from_db()
    assert park_return.status == "submitted"


def test_other_parks_return_is_404(client, world, launched):
    other = ParkReturn.objects.get(campaign=launched, park=world["park_b"])
    client.force_login(world["officer"])
    assert client.get(reverse("campaigns:return-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("campaigns:return-detail", args=[other.pk]), {"step": "submit"}).status_code == 404


def test_officers_do_not_see_campaigns_in_preparation(client, world, draft):
    client.force_login(world["officer"])
    assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 404
    client.force_login(world["inspector"])
    assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 200


def test_a_calendar_change_moves_the_open_returns_due_date(world, launched):
    from core.calendar import Entry, calendar_change

    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    # The make-up Saturday 14 February becomes a holiday: the tenth working day is now Tuesday the 24th.
    change = calendar_change(actor=world["admin"], save=[Entry(D(2026, 2, 14), "holiday", "调整")])
    assert {r.park.code: r.due_on for r in ParkReturn.objects.filter(campaign=launched)} == {
        "PARK-A": D(2026, 2, 14),  # submitted: left alone
        "PARK-B": D(2026, 2, 24),
    }
    assert any("自查自纠" in str(item) for item in change.recomputed)
