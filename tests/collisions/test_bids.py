"""The bids on a project (投标记录): every bidder, winners marked, on the project's page; recorded by those who
keep the contracts (the page, the import, the API), within their parks; exported with the projects."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from risks.models import Bid
from tests.imports.test_imports import confirm, upload, xlsx

from ..factories import BidFactory, EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HEADERS = ["园区编码", "项目名称", "投标单位信用代码", "投标金额", "投标日期", "是否中标"]


def test_the_project_page_lists_the_bidders_with_the_winner_marked(client, world, django_assert_max_num_queries):
    project = ProjectFactory(park=world["park_a"])
    winner = BidFactory(project=project, won=True, enterprise__name="中标建设有限公司")
    for n in range(3):
        BidFactory(project=project, enterprise__name=f"陪标企业{n}号")
    client.force_login(world["inspector"])
    with django_assert_max_num_queries(30):
        page = client.get(project.get_absolute_url())
    body = page.content.decode()
    rows = page.context["bid_table"]["rows"]
    assert rows[0][0].pk == winner.pk and len(rows) == 4  # the winner first
    assert f'id="bid-{winner.pk}"' in body and "中标建设有限公司" in body and "陪标企业2号" in body
    assert body.count('<span class="badge text-bg-danger">中标</span>') == 1
    assert "登记投标" not in body  # inspectors read


def test_a_park_officer_records_a_bid_and_a_second_one_of_the_same_bidder_is_refused(client, world):
    project = ProjectFactory(park=world["park_a"])
    client.force_login(world["officer"])
    form = {"form": "bid", "enterprise": world["ent_a"].pk, "amount": "980000", "submitted_on": "2026-03-15"}
    response = client.post(project.get_absolute_url(), {**form, "won": "on"})
    assert response.status_code == 302
    bid = Bid.objects.get(project=project)
    assert bid.won and bid.amount == Decimal("980000") and bid.history.count() == 1
    again = client.post(project.get_absolute_url(), {**form, "amount": "990000"})
    assert again.status_code == 200 and "该企业在本项目的投标已有记录" in again.content.decode()
    assert again.context["bid_form"]["amount"].value() == "990000"  # what was typed is kept
    client.force_login(world["inspector"])
    assert client.post(project.get_absolute_url(), form).status_code == 403
    other = ProjectFactory(park=world["park_b"])
    client.force_login(world["officer"])
    assert client.post(other.get_absolute_url(), form).status_code == 404


def test_the_bid_import_is_all_or_nothing_and_the_same_file_again_changes_nothing(client, world):
    project = ProjectFactory(park=world["park_a"], name="标准厂房建设项目")
    loser = EnterpriseFactory(park=world["park_a"])
    client.force_login(world["officer"])
    template = client.get(reverse("imports:template", args=["bids"]))
    assert [c.value for c in openpyxl.load_workbook(io.BytesIO(template.content))["投标记录"][1]] == HEADERS
    good = [
        ["PARK-A", project.name, world["ent_a"].credit_code, "4,450,000", "2026-03-15", "是"],
        ["PARK-A", project.name, loser.credit_code, "", "2026-03-16", "否"],
    ]
    bad = [*good, ["PARK-A", "没有这个项目", loser.credit_code, "1", "2026-03-16", "否"]]
    refused = upload(client, "bids", xlsx(HEADERS, bad))
    assert "没有项目“没有这个项目”" in refused.content.decode()
    assert refused.context["token"] is None and not Bid.objects.exists()  # one wrong row: nothing to save
    confirm(client, "bids", upload(client, "bids", xlsx(HEADERS, good)))
    assert {(b.enterprise_id, b.amount, b.won) for b in Bid.objects.all()} == {
        (world["ent_a"].pk, Decimal("4450000"), True),
        (loser.pk, None, False),
    }
    preview = upload(client, "bids", xlsx(HEADERS, good))
    assert preview.context["report"].counts.get("unchanged") == 2
    elsewhere = [["PARK-B", ProjectFactory(park=world["park_b"]).name, loser.credit_code, "", "2026-03-16", "否"]]
    outside = upload(client, "bids", xlsx(HEADERS, elsewhere))
    assert "PARK-B" in outside.content.decode() and outside.context["token"] is None  # not the officer's park


def test_the_projects_export_has_a_sheet_of_bids(client, world):
    BidFactory(project__park=world["park_a"], enterprise=world["ent_a"], won=True)
    BidFactory(project__park=world["park_b"], enterprise=world["ent_b"])
    client.force_login(world["inspector"])
    response = client.get(reverse("risks:project-list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["投标记录"]
    rows = list(sheet.values)
    assert list(rows[0]) == [*HEADERS[:3], "投标单位", *HEADERS[3:]]
    assert [row[2] for row in rows[1:]] == [world["ent_a"].credit_code]  # park B's bid is out of scope


def test_bids_through_the_api_are_read_in_scope_and_written_like_contracts(client, world):
    mine, theirs = ProjectFactory(park=world["park_a"]), ProjectFactory(park=world["park_b"])
    BidFactory(project=theirs)
    body = {"project": mine.pk, "enterprise": world["ent_a"].pk, "submitted_on": "2026-03-15", "won": True}
    client.force_login(world["inspector"])
    assert client.get(reverse("bid-list")).json()["count"] == 0
    assert client.post(reverse("bid-list"), body, content_type="application/json").status_code == 403
    client.force_login(world["officer"])
    created = client.post(reverse("bid-list"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert client.post(reverse("bid-list"), body, content_type="application/json").status_code == 400  # twice
    refused = client.post(reverse("bid-list"), {**body, "project": theirs.pk}, content_type="application/json")
    assert refused.status_code == 400 and "project" in refused.json()["fields"]
    assert [row["id"] for row in client.get(reverse("bid-list")).json()["results"]] == [created.json()["id"]]
    assert Bid.objects.get(pk=created.json()["id"]).submitted_on == datetime.date(2026, 3, 15)


def test_a_rigged_tender_is_flagged_on_the_project_list_and_page(client, world):
    from risks.engine import evaluate_all

    from .helpers import register

    project = ProjectFactory(park=world["park_a"])
    winner, loser = BidFactory(project=project, won=True), BidFactory(project=project)
    register(winner.enterprise, rep=("甲", 1), address="建设路88号")
    register(loser.enterprise, rep=("乙", 2), address="建设路８８號")
    evaluate_all()
    client.force_login(world["officer"])
    listing = client.get(reverse("risks:project-list"))
    assert [(row.pk, count) for row, _cells, count in listing.context["rows"]] == [(project.pk, 1)]
    page = client.get(project.get_absolute_url())
    assert [alert.rule for alert in page.context["alerts"]] == ["collision_bid_rigging"]
    assert "未中标投标人" in page.content.decode()
