"""Taking a finding tagged by mistake off a campaign: the same people as tagging, a reason kept in the
history, and the board, report, export and lists follow at once."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import CampaignFinding
from campaigns.selectors import campaign_board
from tests.factories import FindingFactory


def _first(campaign):
    """The tagged finding with the verified task, the 5,000 yuan recovered and the form-2 measure."""
    return CampaignFinding.objects.filter(campaign=campaign).order_by("pk").first().finding


def _park_a(user, campaign):
    return campaign_board(user=user, campaign=campaign)[0]


def test_untag_moves_the_boards_figures_and_keeps_who_when_and_why(world, tagged):
    inspector = world["inspector"]
    finding = _first(tagged)
    services.finding_untag(actor=inspector, campaign=tagged, finding=finding, reason="误纳入，属日常监督发现")
    row = _park_a(inspector, tagged)
    assert (row.findings, row.rectified, row.open, row.overdue, row.recovered) == (1, 0, 1, 1, Decimal("0"))
    assert row.forms[2] == 0
    record = CampaignFinding.history.filter(finding_id=finding.pk, history_type="-").get()
    assert record.history_user == inspector
    assert record.history_change_reason == "误纳入，属日常监督发现"


def test_untag_from_the_campaigns_findings_list_moves_the_report_and_the_export(client, world, tagged):
    finding = _first(tagged)
    client.force_login(world["inspector"])
    listing = reverse("campaigns:findings", args=[tagged.pk])
    assert "移出专项整治" in client.get(listing).content.decode()
    response = client.post(
        reverse("campaigns:finding-untag", args=[finding.pk]),
        {"campaign": tagged.pk, "reason": "误纳入", "back": "list"},
    )
    assert response.status_code == 302 and response["Location"] == listing
    assert client.get(listing).context["paginator"].count == 1
    assert "5,000.00" not in client.get(reverse("campaigns:report", args=[tagged.pk])).content.decode()
    export = client.get(reverse("campaigns:export", args=[tagged.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert row["纳入问题"] == 1 and row["第2种形态"] == 0


def test_untag_from_the_finding_page_shows_who_took_it_off(client, world, tagged):
    finding = _first(tagged)
    client.force_login(world["admin"])
    assert "移出专项整治" in client.get(finding.get_absolute_url()).content.decode()
    client.post(reverse("campaigns:finding-untag", args=[finding.pk]), {"campaign": tagged.pk, "reason": "重复纳入"})
    assert not CampaignFinding.objects.filter(campaign=tagged, finding=finding).exists()
    page = client.get(finding.get_absolute_url()).content.decode()
    assert "重复纳入" in page and tagged.name in page


def test_a_reason_is_required_and_nothing_changes_without_one(client, world, tagged):
    finding = _first(tagged)
    with pytest.raises(ValidationError, match="说明"):
        services.finding_untag(actor=world["inspector"], campaign=tagged, finding=finding, reason="  ")
    client.force_login(world["inspector"])
    response = client.post(
        reverse("campaigns:finding-untag", args=[finding.pk]), {"campaign": tagged.pk, "reason": ""}, follow=True
    )
    assert response.status_code == 200 and "说明" in response.content.decode()
    assert CampaignFinding.objects.filter(campaign=tagged, finding=finding).exists()


def test_the_wrong_role_is_refused(client, world, tagged):
    finding = _first(tagged)
    with pytest.raises(PermissionDenied):
        services.finding_untag(actor=world["officer"], campaign=tagged, finding=finding, reason="误纳入")
    client.force_login(world["officer"])
    url = reverse("campaigns:finding-untag", args=[finding.pk])
    assert client.post(url, {"campaign": tagged.pk, "reason": "误纳入"}).status_code == 403
    assert "移出专项整治" not in client.get(finding.get_absolute_url()).content.decode()
    assert CampaignFinding.objects.filter(campaign=tagged, finding=finding).exists()


def test_outside_the_scope_is_404(client, world, tagged):
    finding_b = FindingFactory(park=world["park_b"])
    services.finding_tag(actor=world["admin"], campaign=tagged, finding=finding_b)
    client.force_login(world["inspector"])  # park A only
    url = reverse("campaigns:finding-untag", args=[finding_b.pk])
    assert client.post(url, {"campaign": tagged.pk, "reason": "误纳入"}).status_code == 404
    client.force_login(world["idle_inspector"])
    url = reverse("campaigns:finding-untag", args=[_first(tagged).pk])
    assert client.post(url, {"campaign": tagged.pk, "reason": "误纳入"}).status_code == 404
    assert CampaignFinding.objects.filter(campaign=tagged).count() == 3


def test_untagging_a_finding_not_tagged_says_so(client, world, tagged):
    untagged = FindingFactory(park=world["park_a"])
    with pytest.raises(ValidationError, match="未纳入专项整治"):
        services.finding_untag(actor=world["inspector"], campaign=tagged, finding=untagged, reason="误纳入")
    client.force_login(world["inspector"])
    response = client.post(
        reverse("campaigns:finding-untag", args=[untagged.pk]),
        {"campaign": tagged.pk, "reason": "误纳入"},
        follow=True,
    )
    assert response.status_code == 200 and "未纳入专项整治" in response.content.decode()
