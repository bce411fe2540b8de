"""The campaign API's actions call the pages' services: launch, a park's return submitted, passed or sent
back, a finding tagged and untagged — the same roles (403), scope (404) and Chinese messages (400), and a
refused request changes nothing."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, CampaignFinding, ParkReturn
from campaigns.selectors import campaign_board
from tests.factories import FindingFactory, ParkFactory

from .conftest import D


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {}, content_type="application/json")


def _return(campaign, park):
    return ParkReturn.objects.get(campaign=campaign, park=park)


def _answers(park_return, result="done", note=""):
    return [{"id": answer.pk, "result": result, "note": note} for answer in park_return.answers.all()]


@pytest.fixture
def submitted(world, launched):
    park_return = _return(launched, world["park_a"])
    answers = {answer.pk: {"result": "done", "note": ""} for answer in park_return.answers.all()}
    return services.return_submit(actor=world["officer"], park_return=park_return, answers=answers)


# --- launch ---------------------------------------------------------------------------------------------


def test_an_admin_launches_a_campaign(client, world, draft):
    response = post(client, world["admin"], reverse("campaign-launch", args=[draft.pk]))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "launched"
    assert ParkReturn.objects.filter(campaign=draft).count() == 2


def test_only_admins_launch_and_outside_the_scope_is_404(client, world, draft):
    response = post(client, world["inspector"], reverse("campaign-launch", args=[draft.pk]))
    assert response.status_code == 403 and "管理员" in response.json()["detail"]
    other = services.campaign_save(
        actor=world["admin"],
        campaign=Campaign(name="B园区专项", theme="other", starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 1), lead_unit="某室"),
        parks=[world["park_b"]],
    )  # fmt: skip
    assert post(client, world["inspector"], reverse("campaign-launch", args=[other.pk])).status_code == 404
    assert not ParkReturn.objects.exists()


def test_a_campaign_without_checklist_is_not_launched_400(client, world):
    empty = services.campaign_save(
        actor=world["admin"],
        campaign=Campaign(name="空", theme="other", starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 1), lead_unit="某室"),
        parks=[world["park_a"]],
    )
    response = post(client, world["admin"], reverse("campaign-launch", args=[empty.pk]))
    assert response.status_code == 400 and "至少添加一项" in response.json()["detail"]
    empty.refresh_from_db()
    assert empty.status == "draft" and not ParkReturn.objects.exists()


# --- a park's return ------------------------------------------------------------------------------------


def test_the_parks_officer_submits_its_return(client, world, launched):
    park_return = _return(launched, world["park_a"])
    url = reverse("parkreturn-submit", args=[park_return.pk])
    response = post(client, world["officer"], url, {"answers": _answers(park_return, "problem", "发现重复申领")})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and {a["note"] for a in body["answers"]} == {"发现重复申领"}
    assert world["inspector"].notifications.filter(kind="campaign_return_submitted").exists()


def test_only_the_parks_officers_submit_and_other_parks_are_404(client, world, launched):
    park_return = _return(launched, world["park_a"])
    data = {"answers": _answers(park_return)}
    response = post(client, world["inspector"], reverse("parkreturn-submit", args=[park_return.pk]), data)
    assert response.status_code == 403 and "园区" in response.json()["detail"]
    other = _return(launched, world["park_b"])
    data = {"answers": _answers(other)}
    assert post(client, world["officer"], reverse("parkreturn-submit", args=[other.pk]), data).status_code == 404
    assert not ParkReturn.objects.exclude(status="pending").exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (lambda r: [{**a, "result": "maybe"} for a in _answers(r)], "合法选项"),
        (lambda r: _answers(r)[:1], "请填写"),  # an item left unanswered
        (lambda r: _answers(r, "problem", ""), "发现的问题"),  # a problem not described
        (lambda r: [*_answers(r), {"id": 999999, "result": "done"}], "不属于本自查清单"),
    ],
    ids=["unknown result", "item unanswered", "problem undescribed", "foreign answer"],
)
def test_a_bad_return_is_400_and_nothing_is_saved(client, world, launched, answers, message):
    park_return = _return(launched, world["park_a"])
    data = {"answers": answers(park_return)}
    response = post(client, world["officer"], reverse("parkreturn-submit", args=[park_return.pk]), data)
    assert response.status_code == 400, response.content
    assert message in str(response.json())
    park_return.refresh_from_db()
    assert park_return.status == "pending"
    assert set(park_return.answers.values_list("result", flat=True)) == {""}


def test_an_inspector_passes_or_sends_back_a_return(client, world, submitted):
    response = post(
        client, world["inspector"], reverse("parkreturn-send-back", args=[submitted.pk]), {"reason": "缺附件"}
    )
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "缺附件"
    services.return_submit(actor=world["officer"], park_return=submitted, answers={})
    response = post(client, world["inspector"], reverse("parkreturn-pass", args=[submitted.pk]))
    assert response.status_code == 200 and response.json()["status"] == "passed"


def test_only_inspectors_review_and_other_parks_are_404(client, world, launched, submitted):
    response = post(client, world["officer"], reverse("parkreturn-pass", args=[submitted.pk]))
    assert response.status_code == 403 and "纪检监察" in response.json()["detail"]
    other = _return(launched, world["park_b"])
    assert post(client, world["inspector"], reverse("parkreturn-pass", args=[other.pk])).status_code == 404
    url = reverse("parkreturn-send-back", args=[other.pk])
    assert post(client, world["inspector"], url, {"reason": "缺附件"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_sending_back_without_a_reason_is_400(client, world, submitted):
    response = post(client, world["inspector"], reverse("parkreturn-send-back", args=[submitted.pk]), {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.reviewed_at is None


def test_a_step_the_state_does_not_allow_is_409(client, world, launched):
    park_return = _return(launched, world["park_a"])
    response = post(client, world["inspector"], reverse("parkreturn-pass", args=[park_return.pk]))
    assert response.status_code == 409 and response.json()["detail"]


# --- tag and untag --------------------------------------------------------------------------------------


def test_an_inspector_tags_and_untags_a_finding(client, world, tagged):
    finding = FindingFactory(park=world["park_a"])
    response = post(client, world["inspector"], reverse("campaign-tag", args=[tagged.pk]), {"finding": finding.pk})
    assert response.status_code == 200 and response.json()["finding"] == finding.pk
    assert campaign_board(user=world["inspector"], campaign=tagged)[0].findings == 3
    url = reverse("campaign-untag", args=[tagged.pk])
    response = post(client, world["inspector"], url, {"finding": finding.pk, "reason": "误纳入"})
    assert response.status_code == 204
    assert campaign_board(user=world["inspector"], campaign=tagged)[0].findings == 2
    record = CampaignFinding.history.get(finding_id=finding.pk, history_type="-")
    assert (record.history_user, record.history_change_reason) == (world["inspector"], "误纳入")


def test_park_officers_neither_tag_nor_untag(client, world, tagged):
    finding = CampaignFinding.objects.filter(campaign=tagged).first().finding
    fresh = FindingFactory(park=world["park_a"])
    tag = post(client, world["officer"], reverse("campaign-tag", args=[tagged.pk]), {"finding": fresh.pk})
    assert tag.status_code == 403 and tag.json()["detail"]
    data = {"finding": finding.pk, "reason": "误纳入"}
    assert post(client, world["officer"], reverse("campaign-untag", args=[tagged.pk]), data).status_code == 403
    assert CampaignFinding.objects.filter(campaign=tagged).count() == 2


def test_findings_and_campaigns_outside_the_scope_are_404(client, world, tagged):
    finding_b = FindingFactory(park=world["park_b"])
    tag_url, untag_url = reverse("campaign-tag", args=[tagged.pk]), reverse("campaign-untag", args=[tagged.pk])
    assert post(client, world["inspector"], tag_url, {"finding": finding_b.pk}).status_code == 404
    services.finding_tag(actor=world["admin"], campaign=tagged, finding=finding_b)
    data = {"finding": finding_b.pk, "reason": "误纳入"}
    assert post(client, world["inspector"], untag_url, data).status_code == 404
    finding_a = CampaignFinding.objects.filter(campaign=tagged, finding__park=world["park_a"]).first().finding
    data = {"finding": finding_a.pk, "reason": "误纳入"}
    assert post(client, world["idle_inspector"], untag_url, data).status_code == 404
    assert CampaignFinding.objects.filter(campaign=tagged).count() == 3


def test_bad_tag_and_untag_requests_are_400_with_chinese_messages(client, world, tagged):
    tag_url, untag_url = reverse("campaign-tag", args=[tagged.pk]), reverse("campaign-untag", args=[tagged.pk])
    assert post(client, world["admin"], tag_url, {"finding": "x"}).status_code == 400
    uncovered = FindingFactory(park=ParkFactory(code="PARK-C"))
    response = post(client, world["admin"], tag_url, {"finding": uncovered.pk})
    assert response.status_code == 400 and "覆盖该问题所在园区" in str(response.json())
    finding = CampaignFinding.objects.filter(campaign=tagged).first().finding
    response = post(client, world["admin"], untag_url, {"finding": finding.pk, "reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = post(client, world["admin"], untag_url, {"finding": finding.pk, "reason": "理" * 101})
    assert response.status_code == 400 and "100" in str(response.json())
    not_tagged = FindingFactory(park=world["park_a"])
    response = post(client, world["admin"], untag_url, {"finding": not_tagged.pk, "reason": "误纳入"})
    assert response.status_code == 400 and "未纳入专项整治" in response.json()["detail"]
    assert CampaignFinding.objects.filter(campaign=tagged).count() == 2
