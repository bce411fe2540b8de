"""Every number on a desk (the dashboard, the park pages' panels) is a link to the list of exactly those
rows — on the page, through the API and in the export — for every role, on the demo data plus the edge
cases that made figures drift (a dismissed alert, a verified task, a reopened complaint, a complaint
overdue before acceptance, a subsidy paid in full and one over-paid). The evaluation's computed
indicators use the very same figures as the dashboard, and the demo's round is not stale."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.models import User
from complaints import services as complaint_services
from complaints.choices import Rating
from desks.dashboard import overview
from evaluations import services as evaluation_services
from evaluations.choices import Source
from evaluations.models import Score
from inspections import services as inspection_services
from inspections.choices import TaskStatus
from inspections.models import RectificationTask
from parks.models import Park
from risks import services as risk_services
from risks.choices import AlertStatus
from risks.engine import evaluate_all
from risks.models import Alert, Subsidy
from tests.factories import SubsidyFactory, SubsidyPaymentFactory, TaskFactory

TOTAL = re.compile(r'data-total="(\d+)"')


class NumberLinks(HTMLParser):
    """Every link whose text starts with a whole number: (href, number)."""

    def __init__(self):
        super().__init__()
        self.stack: list[list] = []
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.stack.append([dict(attrs).get("href", ""), ""])

    def handle_data(self, data):
        for link in self.stack:
            link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self.stack:
            href, text = self.stack.pop()
            words = text.split()
            if words and words[0].isdigit() and href.startswith("/"):
                self.found.append((href, int(words[0])))


def number_links(html: str) -> list[tuple[str, int]]:
    parser = NumberLinks()
    parser.feed(html)
    return parser.found


def park_pages(html: str) -> set[str]:
    return set(re.findall(r'href="(/parks/[A-Z0-9-]+/)"', html))


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def seed_demo(capture):
    """``seed_demo`` as it runs for real: what it leaves for after the commit (the alert rules) runs."""
    with capture(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    seed_demo(django_capture_on_commit_callbacks)
    admin, inspector, officer = (User.objects.get(username=n) for n in ("admin", "inspector", "officer"))
    park = Park.objects.get(code="PDS-GXQ")
    enterprise = park.enterprises.order_by("pk").first()

    # A complaint overdue before anyone accepted it, and one reopened after a "not satisfied" rating.
    complaint_services.complaint_submit(park=park, category="other", subject="某科", description="x", now=ago(20))
    reopened = complaint_services.complaint_submit(
        park=park, category="other", subject="某科", description="y", now=ago(6)
    ).complaint
    complaint_services.complaint_accept(complaint=reopened, actor=inspector, now=ago(6))
    complaint_services.complaint_reply(complaint=reopened, actor=inspector, text="答复", now=ago(5))
    complaint_services.complaint_rate(complaint=reopened, rating=Rating.NOT_SATISFIED, now=ago(4))

    # A verified task next to the open ones.
    task = TaskFactory(finding__park=park, owner=officer, deadline=timezone.localdate() + datetime.timedelta(days=9))
    inspection_services.task_submit(actor=officer, task=task, evidence="完成", recovered_losses=Decimal("10"))
    inspection_services.task_verify(actor=inspector, task=task)

    # Subsidies long approved: one paid in full, one over-paid, one not landed whose alert is dismissed.
    approved = timezone.localdate() - datetime.timedelta(days=120)
    for policy, paid in (("全额", Decimal("5000")), ("超付", Decimal("9000")), ("在途", Decimal("0"))):
        subsidy = SubsidyFactory(
            park=park, enterprise=enterprise, policy=policy, approved_amount=Decimal("5000"), approved_on=approved
        )
        if paid:
            SubsidyPaymentFactory(subsidy=subsidy, amount=paid, paid_on=approved + datetime.timedelta(days=3))
    evaluate_all()
    in_transit = Alert.objects.live().get(rule="subsidy_not_landed", object_id=Subsidy.objects.get(policy="在途").pk)
    risk_services.alert_dismiss(alert=in_transit, actor=inspector, reason="资金已在途，系统未录入")
    return {"admin": admin, "inspector": inspector, "officer": officer, "park": park}


def test_the_edge_cases_are_there(demo):
    assert Alert.objects.filter(status=AlertStatus.DISMISSED, cleared_at__isnull=True).exists()
    assert Score.objects.exists()  # the demo round
    assert RectificationTask.objects.filter(finding__park=demo["park"], status=TaskStatus.VERIFIED).exists()


@pytest.mark.parametrize("username", ["admin", "inspector", "officer", "enterprise"])
def test_every_number_on_a_desk_equals_the_rows_of_its_list(demo, username):
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    parks = park_pages(home) | {park.get_absolute_url() for park in Park.objects.visible_to(user)}
    pages = {"/": home} | {url: client.get(url).content.decode() for url in sorted(parks)}
    links = [(page, href, n) for page, html in pages.items() for href, n in number_links(html)]
    if username in ("admin", "inspector"):
        assert len(links) >= 20, links  # the dashboard and the park pages' panels
    if username == "officer":
        assert links  # the park page's panels, as the officer may see them
    mismatches, exported = [], 0
    for page, href, shown in links:
        counts = counted_by_page_api_and_export(client, href.replace("&amp;", "&"))
        exported += "export" in counts
        if set(counts.values()) != {shown}:
            mismatches.append(f"{page}: {shown} → {href}: {counts}")
    assert not mismatches, "\n".join(mismatches)
    assert exported or not links  # the exports were counted too


# The API resource behind each list page: the same FilterSet answers the same query.
API_OF_LIST = {
    "complaints:list": "complaint",
    "inspections:task-board": "task",
    "inspections:demand-board": "demand",
    "risks:alert-list": "alert",
    "risks:riskpoint-list": "riskpoint",
    "risks:subsidy-list": "subsidy",
    "risks:decision-list": "decision",
    "inspections:measure-list": None,
    "supervision:observation-list": "observation",  # no API resource for accountability measures yet
}


def counted_by_page_api_and_export(client: Client, url: str) -> dict[str, int]:
    """The rows behind a link, counted on the list page (its data-total), through the API with the same
    query, and in the CSV export of the page (when the page exports)."""
    path, _, query = url.partition("?")
    page = client.get(url)
    assert page.status_code == 200, url
    total = TOTAL.search(page.content.decode())
    assert total, f"{url} shows no row count (data-total)"
    counts = {"page": int(total.group(1))}
    match = resolve(path)
    name = f"{match.namespace}:{match.url_name}"
    assert name in API_OF_LIST, f"{name}: say which API resource lists these rows"
    if API_OF_LIST[name]:
        api = client.get(f"{reverse(API_OF_LIST[name] + '-list')}?{query}")
        assert api.status_code == 200, (url, api.content[:300])
        counts["api"] = api.json()["count"]
    export = client.get(f"{url}&export=csv")
    if export.get("Content-Type", "").startswith("text/csv"):
        content = b"".join(export.streaming_content) if export.streaming else export.content
        counts["export"] = len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) - 1
    return counts


def test_the_evaluation_uses_the_dashboards_figures(demo):
    year = timezone.localdate().year
    round_ = evaluation_services.Round.objects.get(year=year)
    evaluation_services.round_compute(actor=demo["admin"], round_=round_)
    rows = {row["park"].pk: row for row in overview(user=demo["admin"], year=year)["rows"]}
    scores = Score.objects.filter(round=round_, indicator__source__gt="").select_related("indicator")
    checked = 0
    for score in scores:
        row, facts, source = rows[score.park_id], score.facts, score.indicator.source
        pair = (facts.get("numerator", 0), facts.get("denominator", 0))
        if source == Source.COMPLAINT_ON_TIME:
            assert pair == row["on_time"], score.park
        elif source == Source.SATISFACTION:
            assert pair == row["satisfaction"], score.park
        elif source == Source.OPEN_HIGH_ALERTS:
            assert facts["count"] == row["alerts_high"], score.park
        elif source == Source.SUBSIDIES_NOT_LANDED:
            assert facts["count"] == row["not_landed"], score.park
        else:
            continue
        checked += 1
    assert checked >= 4 * Park.objects.filter(is_active=True).count()
    park_row = rows[demo["park"].pk]
    assert park_row["on_time"][1] > park_row["on_time"][0]  # the complaint overdue before acceptance counts


def test_recomputing_the_demo_round_changes_no_score(db, django_capture_on_commit_callbacks):
    seed_demo(django_capture_on_commit_callbacks)
    admin = User.objects.get(username="admin")
    round_ = evaluation_services.Round.objects.get(year=timezone.localdate().year)
    before = dict(Score.objects.filter(round=round_).values_list("pk", "value"))
    evaluation_services.round_compute(actor=admin, round_=round_)
    after = dict(Score.objects.filter(round=round_).values_list("pk", "value"))
    assert after == before
