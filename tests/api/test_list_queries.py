"""Every list endpoint of the API runs as many queries for three rows of each resource as for one: nothing
is read once per row (a serializer field reading a relation needs a select_related or a prefetch the
field does not throw away). The endpoints come from the router, so a new one is covered the day it lands."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services as complaint_services
from config.api import router
from core.notifications import notify
from inspections.models import Demand, Visit
from risks.engine import evaluate_all
from tests.complaints.conftest import png_file
from tests.supervision.factories import observation_in

from ..factories import (
    BidFactory,
    ChangeOrderFactory,
    ContractFactory,
    DecisionFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    LiaisonFactory,
    OfficialTieFactory,
    RiskPointFactory,
    SubsidyPaymentFactory,
    TaskFactory,
)
from ..monitoring.conftest import make_report

pytestmark = pytest.mark.django_db

LIST_URL_NAMES = [f"{basename}-list" for _prefix, _viewset, basename in router.registry]


def add_a_row_of_everything(world) -> None:
    """One more row of every resource in each park, seen by each role as the scope allows."""
    for side in ("a", "b"):
        park = world[f"park_{side}"]
        enterprise = EnterpriseFactory(park=park)
        LiaisonFactory(enterprise=enterprise)
        RiskPointFactory(park=park)
        DecisionFactory(park=park, has_minutes=False)
        SubsidyPaymentFactory(subsidy__park=park, subsidy__enterprise=enterprise)
        ChangeOrderFactory(contract=ContractFactory(project__park=park, contractor=enterprise))
        BidFactory(project__park=park, enterprise=enterprise)
        OfficialTieFactory(official__park=park, enterprise=enterprise)
        complaint = complaint_services.complaint_submit(
            park=park, category="other", subject="某事", description="x"
        ).complaint
        complaint_services.complaint_accept(complaint=complaint, actor=world["admin"])
        if side == "a":  # the officer reads the complaints assigned to them
            complaint_services.complaint_assign(complaint=complaint, actor=world["admin"], officer=world["officer"])
        inspection = InspectionFactory(parks=[park])
        finding = FindingFactory(park=park, inspection=inspection, found_on=datetime.date(2026, 1, 5))
        owner = world["officer"] if side == "a" else world["admin"]
        TaskFactory(finding=finding, owner=owner, deadline=datetime.date(2026, 3, 2))
        visit = Visit.objects.create(park=park, enterprise=enterprise, visitor=world["admin"], campaign="ten_thousand")
        Demand.objects.create(visit=visit, kind="financing", description="融资")
        observation_in(park, supervisor=world["supervisor"] if side == "a" else None, files=[png_file("seen.png")])
        make_report(EnterpriseFactory(park=park, is_monitoring_point=True), datetime.date(2026, 9, 1), 4)
        add_conduct_rows(world, park, enterprise, world["officer"] if side == "a" else world["admin"])
    for role in ("admin", "inspector", "officer", "enterprise_user"):
        notify(world[role], kind="test", title="测试通知")
    evaluate_all()


def add_conduct_rows(world, park, enterprise, official) -> None:
    from conduct import services as conduct_services
    from conduct.models import ConductListItem, ContactRegistration, IntegrityActivity

    registration = ContactRegistration(park=park, enterprise=enterprise, place="会议室", purpose="走访")
    conduct_services.registration_file(actor=official, registration=registration)
    activity = IntegrityActivity(park=park, kind="talk", title="廉政谈话", audience="cadres", attendance=3)
    conduct_services.activity_save(actor=world["admin"], activity=activity)
    ConductListItem.objects.create(
        list_kind="positive", park=park, code=f"Q-{ConductListItem.objects.count()}", text="服务"
    )


def list_query_counts(client) -> dict[str, int]:
    counts = {}
    for name in LIST_URL_NAMES:
        url = reverse(name)
        client.get(url)  # warm-up: first-request caches are not the list's cost
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        counts[name] = len(captured) if status == 200 else -status
    return counts


@pytest.mark.parametrize("role", ["admin", "inspector", "officer", "enterprise_user", "supervisor"])
def test_no_api_list_runs_a_query_per_row(client, world, role):
    client.force_login(world[role])
    add_a_row_of_everything(world)
    one_row = list_query_counts(client)
    add_a_row_of_everything(world)
    add_a_row_of_everything(world)
    assert list_query_counts(client) == one_row
