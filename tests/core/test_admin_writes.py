"""The Django admin writes through the services, like the pages, the API and the imports: a commission
admin posting to an admin page cannot skip a rule or a state machine. A status is never a form field,
an inline that would skip its service only shows its rows, and a good row is saved."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.choices import Role
from core.admin import ReadOnlyInline
from inspections.choices import InspectionStatus, TaskStatus
from inspections.models import Inspection, RectificationTask
from parks.models import Enterprise, Liaison
from tests.factories import (
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    TaskFactory,
    UserFactory,
    valid_credit_code,
)

DOMAIN_APPS = {"risks", "inspections", "complaints", "evaluations", "parks", "supervision"}
# States moved only by a workflow (a state machine, the evaluation's steps, the alert engine).
WORKFLOW_STATES = {
    "complaints.complaint",
    "inspections.inspection",
    "inspections.rectificationtask",
    "evaluations.round",
    "risks.alert",
    "supervision.observation",
    "supervision.appointment",
}


def _domain_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS
    ]


@pytest.mark.parametrize(
    ("model", "model_admin"), _domain_admins(), ids=lambda value: getattr(value, "__name__", str(value))
)
def test_no_admin_form_edits_a_status_and_no_inline_skips_its_service(rf, world, model, model_admin):
    request = rf.get("/")
    request.user = world["admin"]
    if model._meta.label_lower in WORKFLOW_STATES and model_admin.has_change_permission(request):
        assert "status" in model_admin.get_readonly_fields(request), f"{model.__name__}: status moves by its workflow"
    for inline in model_admin.inlines:
        assert issubclass(inline, ReadOnlyInline), f"{model.__name__}: {inline.__name__} writes without its service"


def _with_inlines(client, url, data):
    """``data`` plus what the admin page sends for its inlines (their management forms and row ids)."""
    page = client.get(url)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            data[form.add_prefix(formset.model._meta.pk.name)] = form.instance.pk
    return data


def _inspection_post(inspection, **changes):
    return {
        "kind": inspection.kind,
        "title": inspection.title,
        "parks": [park.pk for park in inspection.parks.all()],
        "team": [member.pk for member in inspection.team.all()],
        "starts_on": inspection.starts_on.isoformat(),
        "ends_on": "",
        **changes,
    }


def test_the_inspection_admin_saves_through_the_service_and_leaves_the_status_to_the_workflow(client, world):
    inspection = InspectionFactory(parks=[world["park_a"]])
    client.force_login(world["admin"])
    url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert 'name="status"' not in client.get(url).content.decode()
    response = client.post(url, _inspection_post(inspection, title="改名后的巡察", status=InspectionStatus.CLOSED))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.title, inspection.status) == ("改名后的巡察", InspectionStatus.PLANNED)


def test_the_inspection_admin_refuses_a_team_member_who_is_not_commission_staff(client, world):
    inspection = InspectionFactory(parks=[world["park_a"]])
    client.force_login(world["admin"])
    url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    response = client.post(url, _inspection_post(inspection, team=[world["officer"].pk]))
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not inspection.team.exists()


def test_the_task_admin_only_shows_tasks(client, world):
    finding = FindingFactory(park=world["park_a"], found_on=datetime.date(2026, 2, 1))
    task = TaskFactory(finding=finding, owner=world["officer"], deadline=datetime.date(2026, 4, 1))
    client.force_login(world["admin"])
    url = reverse("admin:inspections_rectificationtask_change", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="owner"' not in page.content.decode()
    assert "viewsitelink" in page.content.decode()  # "view on site": the task page, where steps are taken
    other = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_b"]])
    client.post(url, {"owner": other.pk, "status": TaskStatus.VERIFIED, "evidence": "无"})
    task.refresh_from_db()
    assert (task.owner, task.status) == (world["officer"], TaskStatus.ASSIGNED)
    assert client.get(reverse("admin:inspections_rectificationtask_add")).status_code == 403
    assert RectificationTask.objects.count() == 1


def test_liaisons_are_assigned_on_the_enterprise_page_not_in_the_admin(client, world):
    client.force_login(world["admin"])
    post = {"member": world["officer"].pk, "enterprise": world["ent_a"].pk, "started_on": "2026-01-01"}
    assert client.post(reverse("admin:parks_liaison_add"), post).status_code == 403
    assert not Liaison.objects.filter(member=world["officer"]).exists()  # officers are never liaisons


def _enterprise_post(enterprise, **changes):
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "park": enterprise.park_id,
        "industry": enterprise.industry,
        "legal_representative": enterprise.legal_representative,
        "contact_phone": "",
        **changes,
    }


def test_the_enterprise_admin_saves_through_the_service(client, world):
    enterprise = EnterpriseFactory(park=world["park_a"])
    client.force_login(world["admin"])
    url = reverse("admin:parks_enterprise_change", args=[enterprise.pk])
    refused = client.post(
        url, _with_inlines(client, url, _enterprise_post(enterprise, credit_code="91410400MA44XK1R2X"))
    )
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert Enterprise.objects.get(pk=enterprise.pk).credit_code == enterprise.credit_code
    saved = client.post(url, _with_inlines(client, url, _enterprise_post(enterprise, name="改名后的企业", is_key="on")))
    assert saved.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.is_key) == ("改名后的企业", True)
    add_url = reverse("admin:parks_enterprise_add")
    added = client.post(
        add_url, _with_inlines(client, add_url, _enterprise_post(enterprise, credit_code=valid_credit_code(7777)))
    )
    assert added.status_code == 302 and Enterprise.objects.filter(credit_code=valid_credit_code(7777)).exists()


def test_a_status_posted_to_the_inspection_service_is_ignored(world):
    from inspections import services

    inspection = InspectionFactory(parks=[world["park_a"]])
    inspection.status = InspectionStatus.CLOSED
    services.inspection_save(actor=world["admin"], inspection=inspection, parks=[world["park_a"]], team=[])
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.PLANNED
