"""The API, as a matrix generated from one table: every role × resource × action (list, retrieve,
create, update, workflow step). Outside the scope is 404; a forbidden action is 403."""

import datetime

import pytest
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import Campaign
from complaints import services as complaint_services
from inspections import services as inspection_services
from risks.engine import evaluate_all
from risks.models import Alert
from tests.collisions.helpers import register, relative
from tests.factories import (
    ContractFactory,
    DecisionFactory,
    FindingFactory,
    InspectionFactory,
    OfficialFactory,
    ProjectFactory,
    RiskPointFactory,
    SubsidyFactory,
    TaskFactory,
)

ROLES = ["admin", "inspector", "officer", "enterprise_user", "idle_inspector"]
STAFF_ONLY = {"complaint", "alert", "inspection", "finding", "task", "visit", "demand"}
STAFF_ONLY |= {"contactregistration", "integrityactivity", "conductlistitem", "campaign", "parkreturn"}


@pytest.fixture
def objects(world):
    """One object of each resource in park A and one in park B."""
    rows = {}
    for side in ("a", "b"):
        park, enterprise = world[f"park_{side}"], world[f"ent_{side}"]
        rows[f"enterprise_{side}"] = enterprise
        rows[f"riskpoint_{side}"] = RiskPointFactory(park=park)
        rows[f"decision_{side}"] = DecisionFactory(park=park, has_minutes=False)
        rows[f"subsidy_{side}"] = SubsidyFactory(park=park, enterprise=enterprise)
        rows[f"project_{side}"] = ProjectFactory(park=park)
        rows[f"contract_{side}"] = ContractFactory(project=rows[f"project_{side}"], contractor=enterprise)
        rows[f"official_{side}"] = OfficialFactory(park=park)
        rows[f"registration_{side}"] = register(enterprise, rep=("某人", 1 if side == "a" else 2))
        rows[f"relative_{side}"] = relative(rows[f"official_{side}"], "某亲属", 3)
        complaint = complaint_services.complaint_submit(
            park=park, category="other", subject="某科", description="x"
        ).complaint
        rows[f"complaint_{side}"] = complaint
        inspection = InspectionFactory(parks=[park])
        rows[f"inspection_{side}"] = inspection
        finding = FindingFactory(park=park, inspection=inspection, found_on=datetime.date(2026, 1, 5))
        rows[f"finding_{side}"] = finding
        from accounts.choices import Role
        from tests.factories import UserFactory

        owner = world["officer"] if side == "a" else UserFactory(role=Role.PARK_OFFICER, parks=[park])
        task = TaskFactory(finding=finding, owner=owner, deadline=datetime.date(2026, 3, 2))
        inspection_services.task_submit(actor=owner, task=task, evidence="已整改")
        rows[f"task_{side}"] = task
        from inspections.models import Demand, Visit

        visit = Visit.objects.create(park=park, enterprise=enterprise, visitor=world["admin"], campaign="ten_thousand")
        rows[f"visit_{side}"] = visit
        rows[f"demand_{side}"] = Demand.objects.create(visit=visit, kind="financing", description="融资")
        from tests.monitoring.conftest import make_report

        enterprise.is_monitoring_point = True
        enterprise.save()
        rows[f"monitoringreport_{side}"] = make_report(enterprise, datetime.date(2026, 9, 1), 4, problem="办事慢")
        rows.update(conduct_objects(side, park, enterprise, owner))
    for side in ("a", "b"):
        campaign = campaign_services.campaign_save(
            actor=world["admin"],
            campaign=Campaign(name=f"专项整治{side}", theme="subsidies", starts_on=datetime.date(2026, 1, 5),
                              ends_on=datetime.date(2026, 6, 30), lead_unit="第三监督检查室"),
            parks=[world[f"park_{side}"]],
        )  # fmt: skip
        campaign_services.checklist_item_add(actor=world["admin"], campaign=campaign, text="是否按时拨付")
        campaign_services.campaign_launch(actor=world["admin"], campaign=campaign, today=datetime.date(2026, 2, 2))
        rows[f"campaign_{side}"] = campaign
        rows[f"parkreturn_{side}"] = campaign.returns.get()
        rows[f"campaignfinding_{side}"] = campaign_services.finding_tag(
            actor=world["admin"], campaign=campaign, finding=rows[f"finding_{side}"]
        )
    complaint_services.complaint_accept(complaint=rows["complaint_a"], actor=world["inspector"])
    complaint_services.complaint_assign(
        complaint=rows["complaint_a"], actor=world["inspector"], officer=world["officer"]
    )
    evaluate_all()
    for side in ("a", "b"):
        rows[f"alert_{side}"] = Alert.objects.for_object(rows[f"decision_{side}"]).get(rule="decision_no_minutes")
    return rows


def conduct_objects(side, park, enterprise, officer) -> dict:
    """A registration (filed by the park's officer), an activity and a park's own list item."""
    from conduct import services as conduct_services
    from conduct.models import ConductListItem, ContactRegistration, IntegrityActivity

    registration = ContactRegistration(park=park, enterprise=enterprise, place="会议室", purpose="走访")
    activity = IntegrityActivity(park=park, kind="warning", title="警示教育", audience="cadres", attendance=10)
    return {
        f"contactregistration_{side}": conduct_services.registration_file(actor=officer, registration=registration),
        f"integrityactivity_{side}": conduct_services.activity_save(actor=officer, activity=activity),
        f"conductlistitem_{side}": ConductListItem.objects.create(
            list_kind="positive", park=park, code=f"{side}-1", text="服务"
        ),
    }


# resource: (readers of A besides admin, extra: who else sees A)
READ_A = {
    "enterprise": {"inspector", "officer", "enterprise_user"},
    "riskpoint": {"inspector", "officer"},
    "decision": {"inspector", "officer"},
    "subsidy": {"inspector", "officer", "enterprise_user"},
    "project": {"inspector", "officer"},
    "contract": {"inspector", "officer", "enterprise_user"},
    "official": {"inspector", "officer"},
    "registration": set(),  # reference data with personal fields: commission admins only
    "relative": set(),
    "complaint": {"inspector", "officer"},  # complaint A is assigned to the officer
    "alert": {"inspector", "officer"},
    "inspection": {"inspector", "officer"},
    "finding": {"inspector", "officer"},
    "task": {"inspector", "officer"},  # task A is the officer's
    "visit": {"inspector", "officer"},
    "demand": {"inspector", "officer"},
    "monitoringreport": {"inspector", "enterprise_user"},  # officers read the park's figures, not the reports
    "contactregistration": {"inspector", "officer"},  # registration A is the officer's
    "integrityactivity": {"inspector", "officer"},
    "conductlistitem": {"inspector", "officer"},
    "campaign": {"inspector", "officer"},
    "parkreturn": {"inspector", "officer"},
}


def detail_url(resource, obj):
    return reverse(f"{resource}-detail", args=[obj.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(READ_A))
def test_list_and_retrieve(client, world, objects, role, resource):
    client.force_login(world[role])
    listing = client.get(reverse(f"{resource}-list"))
    if role == "enterprise_user" and resource in STAFF_ONLY:
        assert listing.status_code == 403
        assert client.get(detail_url(resource, objects[f"{resource}_a"])).status_code == 403
        return
    assert listing.status_code == 200
    visible_a = role == "admin" or role in READ_A[resource]
    ids = {row["id"] for row in listing.json()["results"]}
    assert (objects[f"{resource}_a"].pk in ids) == visible_a
    assert (objects[f"{resource}_b"].pk in ids) == (role == "admin")
    assert client.get(detail_url(resource, objects[f"{resource}_a"])).status_code == (200 if visible_a else 404)
    assert client.get(detail_url(resource, objects[f"{resource}_b"])).status_code == (200 if role == "admin" else 404)


def payloads(world, objects):
    park = world["park_a"].pk
    return {
        "riskpoint": {"park": park, "domain": "funds", "description": "新风险", "likelihood": 2, "impact": 3, "status": "identified", "review_on": "2027-03-01"},
        "decision": {"park": park, "kind": "appointment", "subject": "任免", "meeting_kind": "party_committee", "meeting_on": "2026-03-01", "members_entitled": 9, "members_present": 8, "has_minutes": True},
        "subsidy": {"park": park, "enterprise": world["ent_a"].pk, "policy": "新政策", "period": "2026", "approved_amount": "1000.00", "approved_on": "2026-03-01"},
        "project": {"park": park, "name": "新项目"},
        "contract": {"project": objects["project_a"].pk, "number": "HT-API-1", "contractor": world["ent_a"].pk, "procurement_method": "open_tender", "amount": "1000", "signed_on": "2026-04-01", "integrity_contract": True, "audit_status": "not_audited"},
        "official": {"park": park, "name": "某干部", "position": "主任"},
        "enterprise": {"credit_code": "91350100M000100Y43", "name": "API企业", "park": park},
        "inspection": {"kind": "joint", "title": "API巡察", "parks": [park], "starts_on": "2026-03-01"},
        "finding": {"park": park, "inspection": objects["inspection_a"].pk, "description": "新问题", "category": "funds", "severity": "general", "responsible_unit": "某局", "found_on": "2026-03-01"},
        "contactregistration": {"park": park, "enterprise": world["ent_a"].pk, "contact_on": "2026-03-01", "place": "会议室", "purpose": "政策宣讲"},
        "integrityactivity": {"park": park, "held_on": "2026-03-01", "kind": "lecture", "title": "清廉讲堂", "audience": "cadres", "attendance": 20},
    }  # fmt: skip


CREATE = {
    # resource: {role: expected status}
    "enterprise": {"admin": 201, "inspector": 201, "officer": 201, "enterprise_user": 403, "idle_inspector": 400},
    "riskpoint": {"admin": 201, "inspector": 403, "officer": 201, "enterprise_user": 403, "idle_inspector": 400},
    "decision": {"admin": 201, "inspector": 403, "officer": 201, "enterprise_user": 403, "idle_inspector": 400},
    "subsidy": {"admin": 201, "inspector": 403, "officer": 201, "enterprise_user": 403, "idle_inspector": 400},
    "project": {"admin": 201, "inspector": 403, "officer": 201, "enterprise_user": 403, "idle_inspector": 400},
    "contract": {"admin": 201, "inspector": 403, "officer": 201, "enterprise_user": 400, "idle_inspector": 400},
    "official": {"admin": 201, "inspector": 403, "officer": 201, "enterprise_user": 403, "idle_inspector": 400},
    "inspection": {"admin": 201, "inspector": 201, "officer": 403, "enterprise_user": 403, "idle_inspector": 400},
    "finding": {"admin": 201, "inspector": 201, "officer": 403, "enterprise_user": 403, "idle_inspector": 400},
    "contactregistration": {
        "admin": 201,
        "inspector": 403,
        "officer": 201,
        "enterprise_user": 403,
        "idle_inspector": 400,
    },
    "integrityactivity": {
        "admin": 201,
        "inspector": 201,
        "officer": 201,
        "enterprise_user": 403,
        "idle_inspector": 400,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(CREATE))
def test_create(client, world, objects, role, resource):
    client.force_login(world[role])
    response = client.post(
        reverse(f"{resource}-list"), payloads(world, objects)[resource], content_type="application/json"
    )
    assert response.status_code == CREATE[resource][role], response.content.decode()
    body = response.json()
    if response.status_code >= 400:
        assert set(body) >= {"code", "detail", "fields"}


UPDATE = {
    "riskpoint": (
        {"measures": "加强复核"},
        {"admin": 200, "inspector": 403, "officer": 200, "enterprise_user": 404, "idle_inspector": 404},
    ),
    "decision": (
        {"has_minutes": True},
        {"admin": 200, "inspector": 403, "officer": 200, "enterprise_user": 404, "idle_inspector": 404},
    ),
    "subsidy": (
        {"policy": "改名的政策"},
        {"admin": 200, "inspector": 403, "officer": 200, "enterprise_user": 403, "idle_inspector": 404},
    ),
    "enterprise": (
        {"industry": "新行业"},
        {"admin": 200, "inspector": 200, "officer": 200, "enterprise_user": 403, "idle_inspector": 404},
    ),
    "inspection": (
        {"title": "改名的巡察"},
        {"admin": 200, "inspector": 200, "officer": 403, "enterprise_user": 403, "idle_inspector": 404},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(UPDATE))
def test_update(client, world, objects, role, resource):
    payload, expected = UPDATE[resource]
    client.force_login(world[role])
    response = client.patch(detail_url(resource, objects[f"{resource}_a"]), payload, content_type="application/json")
    assert response.status_code == expected[role], response.content.decode()
    other = client.patch(detail_url(resource, objects[f"{resource}_b"]), payload, content_type="application/json")
    assert other.status_code in ((200,) if role == "admin" else (403, 404))
    if role != "admin":
        assert other.status_code == (403 if role == "enterprise_user" and resource in STAFF_ONLY else 404)


TRANSITIONS = [
    # (resource, action, payload, {role: status})
    ("complaint", "close", {}, {"admin": 409, "inspector": 409, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("complaint", "reply", {"text": "答复"}, {"admin": 200, "inspector": 200, "officer": 200, "enterprise_user": 403, "idle_inspector": 404}),
    ("task", "verify", {}, {"admin": 200, "inspector": 200, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("task", "return", {"reason": "不完整"}, {"admin": 200, "inspector": 200, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("alert", "dismiss", {"reason": "已核实"}, {"admin": 200, "inspector": 200, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("inspection", "step", {"step": "start"}, {"admin": 200, "inspector": 200, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("campaign", "launch", {}, {"admin": 409, "inspector": 403, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("parkreturn", "pass", {}, {"admin": 409, "inspector": 409, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
    ("demand", "solve", {"solved_on": "2099-01-01", "solution": "已解决"}, {"admin": 200, "inspector": 200, "officer": 403, "enterprise_user": 403, "idle_inspector": 404}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("resource", "name", "payload", "expected"), TRANSITIONS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_transitions(client, world, objects, role, resource, name, payload, expected):
    client.force_login(world[role])
    url = reverse(f"{resource}-{name}", args=[objects[f"{resource}_a"].pk])
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == expected[role], response.content.decode()
    if role != "admin":
        out = client.post(
            reverse(f"{resource}-{name}", args=[objects[f"{resource}_b"].pk]), payload, content_type="application/json"
        )
        assert out.status_code == (403 if role == "enterprise_user" else 404)
