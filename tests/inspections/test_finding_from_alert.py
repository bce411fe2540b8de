"""An alert turned into a finding keeps what the alert knew (its severity, its park, the department of
a risk point), and the inspector corrects the rest on the finding's page."""

import datetime

import pytest
from django.urls import reverse

from inspections.models import Finding
from risks.engine import evaluate_all
from risks.models import Alert
from tests.factories import DecisionFactory, FindingFactory, RiskPointFactory

pytestmark = pytest.mark.django_db


def convert(client, world, rule):
    alert = Alert.objects.get(rule=rule)
    client.force_login(world["inspector"])
    client.post(reverse("inspections:alert-to-finding", args=[alert.pk]))
    return Finding.objects.get(alert=alert)


def test_a_high_alert_becomes_a_serious_finding_of_its_park(client, world):
    DecisionFactory(park=world["park_a"], meeting_on=None, meeting_kind="", members_entitled=None,
                    members_present=None, has_minutes=False)  # fmt: skip
    evaluate_all()
    finding = convert(client, world, "decision_not_collective")
    assert Alert.objects.get(rule="decision_not_collective").severity == "high"
    assert finding.severity == "serious"
    assert finding.park == world["park_a"]


def test_a_medium_alert_becomes_a_general_finding(client, world):
    DecisionFactory(park=world["park_a"], has_minutes=False)
    evaluate_all()
    assert convert(client, world, "decision_no_minutes").severity == "general"


def test_a_risk_point_alert_names_the_points_department(client, world):
    RiskPointFactory(park=world["park_a"], department="招商局", review_on=datetime.date(2020, 1, 1))
    evaluate_all()
    assert convert(client, world, "riskpoint_review_overdue").responsible_unit == "招商局"


def test_the_inspector_edits_severity_and_responsible_unit_on_the_finding_page(client, world):
    DecisionFactory(park=world["park_a"], has_minutes=False)
    evaluate_all()
    finding = convert(client, world, "decision_no_minutes")
    assert finding.responsible_unit == "待确定"
    page = client.get(finding.get_absolute_url()).content.decode()
    edit = reverse("inspections:finding-update", args=[finding.pk])
    assert edit in page
    form = client.get(edit).context["form"]
    data = {**form.initial, "severity": "grave", "responsible_unit": "党政办"}
    response = client.post(edit, data)
    assert response.status_code == 302 and response.url == finding.get_absolute_url()
    finding.refresh_from_db()
    assert (finding.severity, finding.responsible_unit) == ("grave", "党政办")
    assert finding.alert is not None and finding.park == world["park_a"]


def test_officers_and_other_parks_inspectors_cannot_edit_a_finding(client, world):
    from accounts.choices import Role
    from tests.factories import UserFactory

    finding = FindingFactory(park=world["park_a"])
    edit = reverse("inspections:finding-update", args=[finding.pk])
    client.force_login(world["officer"])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"severity": "grave"}).status_code == 403
    client.force_login(UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]]))
    assert client.get(edit).status_code == 404
    client.force_login(world["inspector"])
    response = client.post(edit, {"description": "", "category": "funds", "severity": "grave", "responsible_unit": ""})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"description", "responsible_unit"}
    finding.refresh_from_db()
    assert finding.severity == "general"
