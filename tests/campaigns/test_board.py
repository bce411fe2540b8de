"""Tagging findings to a campaign, and the board: each figure equals the count of the list it links to;
the printable report and the Excel export show the board's figures; scope; API; query counts."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import CampaignFinding
from campaigns.selectors import campaign_board
from inspections.models import Finding
from risks.engine import evaluate_all
from risks.models import Alert
from tests.factories import DecisionFactory, FindingFactory, ParkFactory

D = datetime.date


def test_tagging_is_only_within_scope_and_covered_parks(world, launched):
    park_c = ParkFactory(code="PARK-C")
    with pytest.raises(ValidationError, match="覆盖该问题所在园区"):
        services.finding_tag(actor=world["admin"], campaign=launched, finding=FindingFactory(park=park_c))
    with pytest.raises(Finding.DoesNotExist):  # park B's finding is outside the inspector's scope
        services.finding_tag(actor=world["inspector"], campaign=launched, finding=FindingFactory(park=world["park_b"]))
    assert not CampaignFinding.objects.exists()


def test_a_campaign_in_preparation_cannot_be_chosen(world, draft):
    with pytest.raises(ValidationError):
        services.finding_tag(actor=world["admin"], campaign=draft, finding=FindingFactory(park=world["park_a"]))


def test_an_alert_becomes_a_finding_of_the_campaign_in_one_action(client, world, launched):
    decision = DecisionFactory(park=world["park_a"], has_minutes=False)
    evaluate_all()
    alert = Alert.objects.for_object(decision).get(rule="decision_no_minutes")
    client.force_login(world["inspector"])
    page = client.get(alert.get_absolute_url()).content.decode()
    assert launched.name in page  # the campaign is offered on the alert's page
    response = client.post(reverse("inspections:alert-to-finding", args=[alert.pk]), {"campaign": launched.pk})
    assert response.status_code == 302
    link = CampaignFinding.objects.get()
    assert link.campaign == launched and link.finding.alert == alert


def test_a_bad_campaign_choice_makes_no_finding(client, world, launched):
    decision = DecisionFactory(park=world["park_a"], has_minutes=False)
    evaluate_all()
    alert = Alert.objects.for_object(decision).get(rule="decision_no_minutes")
    client.force_login(world["inspector"])
    other = services.campaign_save(actor=world["admin"], campaign=type(launched)(
        name="筹备中", theme="other", starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 1), lead_unit="某室"),
        parks=[world["park_a"]])  # fmt: skip
    client.post(reverse("inspections:alert-to-finding", args=[alert.pk]), {"campaign": other.pk})
    alert.refresh_from_db()
    assert alert.status == "open" and not CampaignFinding.objects.exists()


def test_tag_from_the_finding_page(client, world, launched):
    finding = FindingFactory(park=world["park_a"])
    client.force_login(world["inspector"])
    assert "纳入专项整治" in client.get(finding.get_absolute_url()).content.decode()
    client.post(reverse("campaigns:finding-tag", args=[finding.pk]), {"campaign": launched.pk})
    assert CampaignFinding.objects.filter(campaign=launched, finding=finding).exists()
    client.force_login(world["officer"])
    assert (
        client.post(reverse("campaigns:finding-tag", args=[finding.pk]), {"campaign": launched.pk}).status_code == 403
    )


def _figure_links(html: str) -> dict[str, list[tuple[str, int]]]:
    found: dict = {}
    for figure, href, value in re.findall(r'data-figure="([\w]+)"[^>]*href="([^"]+)"[^>]*>(\d+)<', html):
        found.setdefault(figure, []).append((href.replace("&amp;", "&"), int(value)))
    return found


@pytest.mark.parametrize("role", ["admin", "inspector", "officer"])
def test_every_board_figure_equals_the_list_it_links_to(client, world, tagged, role):
    client.force_login(world[role])
    html = client.get(reverse("campaigns:detail", args=[tagged.pk])).content.decode()
    links = _figure_links(html)
    assert set(links) >= {"findings", "rectified", "open", "overdue", "form_2"}
    for figure, rows in links.items():
        for href, value in rows:
            listing = client.get(href).content.decode()
            total = int(re.search(r'data-total="(\d+)"', listing).group(1))
            assert total == value, (role, figure, href)


def test_the_board_counts(world, tagged):
    rows = {row.park.code if row.park else "total": row for row in campaign_board(user=world["admin"], campaign=tagged)}
    a = rows["PARK-A"]
    assert (a.findings, a.rectified, a.open, a.overdue, a.recovered) == (2, 1, 1, 1, Decimal("5000"))
    assert a.forms == {1: 0, 2: 1, 3: 0, 4: 0}
    assert rows["total"].findings == 2 and rows["PARK-B"].findings == 0


def test_the_report_and_the_export_show_the_boards_figures(client, world, tagged):
    client.force_login(world["inspector"])
    board = campaign_board(user=world["inspector"], campaign=tagged)
    report = client.get(reverse("campaigns:report", args=[tagged.pk])).content.decode()
    assert "5,000.00" in report and tagged.name in report
    response = client.get(reverse("campaigns:export", args=[tagged.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == len(board)  # park A (the inspector's only park) and the total
    row = dict(zip(header, values[0], strict=True))
    assert row["纳入问题"] == board[0].findings == 2
    assert row["已超期"] == board[0].overdue == 1
    assert row["第2种形态"] == 1


def test_other_parks_and_enterprises_are_kept_out(client, world, launched):
    client.force_login(world["officer"])
    page = client.get(reverse("campaigns:detail", args=[launched.pk])).content.decode()
    assert world["park_b"].name not in page.split("campaign-board")[1]
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("campaigns:detail", args=[launched.pk])).status_code == 403
    client.force_login(world["idle_inspector"])
    assert client.get(reverse("campaigns:detail", args=[launched.pk])).status_code == 404


def test_api_lists_campaigns_and_returns_in_scope(client, world, launched):
    client.force_login(world["officer"])
    campaigns = client.get(reverse("campaign-list")).json()["results"]
    assert [c["id"] for c in campaigns] == [launched.pk]
    returns = client.get(reverse("parkreturn-list")).json()["results"]
    assert [r["park"] for r in returns] == [world["park_a"].pk]
    assert returns[0]["steps"] == ["fill", "submit"]
    client.force_login(world["idle_inspector"])
    assert client.get(reverse("campaign-detail", args=[launched.pk])).status_code == 404


def test_the_board_reads_a_constant_number_of_queries(client, world, tagged, django_assert_max_num_queries):
    client.force_login(world["admin"])
    url = reverse("campaigns:detail", args=[tagged.pk])
    client.get(url)
    for n in range(6):
        tagged.parks.add(ParkFactory(code=f"MORE-{n}"))
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_a_complaint_becomes_a_finding_of_the_campaign(client, world, launched):
    from complaints import services as complaint_services

    complaint = complaint_services.complaint_submit(
        park=world["park_a"], category="favours", subject="财政局", description="奖补资金迟迟不拨付"
    ).complaint
    url = reverse("inspections:complaint-to-finding", args=[complaint.pk])
    client.force_login(world["inspector"])
    assert launched.name in client.get(url).content.decode()
    data = {
        "description": "奖补资金拨付迟缓",
        "category": "incentives",
        "severity": "general",
        "responsible_unit": "财政局",
    }
    assert client.post(url, {**data, "campaign": launched.pk}).status_code == 302
    assert CampaignFinding.objects.get(campaign=launched).finding.complaint == complaint


def test_the_lists_read_a_fixed_number_of_queries(client, world, launched, django_assert_max_num_queries):
    for n in range(5):
        campaign = services.campaign_save(actor=world["admin"], campaign=type(launched)(
            name=f"专项{n}", theme="projects", starts_on=D(2026, 1, 1), ends_on=D(2026, 3, 1), lead_unit="某室"),
            parks=[world["park_a"], world["park_b"]])  # fmt: skip
        services.checklist_item_add(actor=world["admin"], campaign=campaign, text="事项")
        services.campaign_launch(actor=world["admin"], campaign=campaign, today=D(2026, 1, 5))
    client.force_login(world["admin"])
    for name in ("campaigns:list", "campaigns:return-list"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(name))
        assert response.status_code == 200
    assert int(re.search(r'data-total="(\d+)"', client.get(reverse("campaigns:return-list")).content.decode())[1]) == 12
