"""Who may take which step of a rectification task or an inspection is one rule
(``inspections.workflow.task_refusal``): the task page shows a step's button exactly when the service
would take it, the API lists the same steps, and refuses the others with a Chinese reason."""

import datetime
import re

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import reverse

from accounts.choices import Role
from inspections import services
from inspections.choices import InspectionStatus, TaskStatus
from inspections.models import AccountabilityMeasure, Inspection, RectificationTask
from tests.factories import FindingFactory, InspectionFactory, TaskFactory, UserFactory

CHINESE = re.compile(r"[\u4e00-\u9fff]")

STEPS = ["start", "submit", "verify", "return", "measure"]
# The state each step is tried from (one the state machine allows it from).
FROM_STATE = {
    "start": TaskStatus.ASSIGNED,
    "submit": TaskStatus.ASSIGNED,
    "verify": TaskStatus.SUBMITTED,
    "return": TaskStatus.SUBMITTED,
    "measure": TaskStatus.SUBMITTED,
}
# Who may take which step: the owner works on the task, an inspector of the park (never the owner)
# verifies or returns it, commission staff record accountability measures.
ALLOWED = {
    "owner": {"start", "submit"},
    "inspector": {"verify", "return", "measure"},
    "admin": {"verify", "return", "measure"},
    "inspector_owning_it": {"start", "submit", "measure"},
    "other_officer": set(),  # an officer sees only the tasks they own
}


def _actor_and_task(world, role, step):
    owner = world["inspector"] if role == "inspector_owning_it" else world["officer"]
    finding = FindingFactory(park=world["park_a"], found_on=datetime.date(2026, 2, 1))
    task = TaskFactory(finding=finding, owner=owner, deadline=datetime.date(2026, 4, 1), status=FROM_STATE[step])
    if role == "other_officer":
        return UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]]), task
    return world[{"owner": "officer", "inspector_owning_it": "inspector"}.get(role, role)], task


def _service_takes(actor, task, step) -> bool:
    call = {
        "start": lambda: services.task_start(actor=actor, task=task),
        "submit": lambda: services.task_submit(actor=actor, task=task, evidence="已完成整改"),
        "verify": lambda: services.task_verify(actor=actor, task=task),
        "return": lambda: services.task_return(actor=actor, task=task, reason="佐证材料不全"),
        "measure": lambda: services.measure_record(
            actor=actor, measure=AccountabilityMeasure(task=task, kind="formal_talk", person="张三")
        ),
    }[step]
    try:
        call()
    except (PermissionDenied, ObjectDoesNotExist):
        return False
    return True


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("role", ALLOWED)
def test_a_step_button_is_shown_exactly_when_the_service_takes_the_step(client, world, role, step):
    actor, task = _actor_and_task(world, role, step)
    client.force_login(actor)
    page = client.get(task.get_absolute_url())
    shown = page.status_code == 200 and f'name="step" value="{step}"' in page.content.decode()
    api = client.get(reverse("task-detail", args=[task.pk]))
    listed = api.status_code == 200 and step in api.json()["steps"]
    taken = _service_takes(actor, task, step)
    assert shown == taken == (step in ALLOWED[role])
    if step != "measure":  # a measure is not a workflow step: the API lists the workflow's
        assert listed == shown


@pytest.mark.parametrize(
    ("role", "step", "status", "message"),
    [
        ("owner", "verify", 403, "不能验收自己负责的整改任务。"),
        ("owner", "return", 403, "不能验收自己负责的整改任务。"),
        ("inspector", "start", 403, "只有整改责任人可以办理该任务。"),
        ("inspector", "submit", 403, "只有整改责任人可以办理该任务。"),
        ("owner", "measures", 403, "只有纪检监察干部可以进行此操作。"),
    ],
)
def test_the_api_refuses_a_step_the_role_may_not_take_with_a_chinese_reason(client, world, role, step, status, message):
    actor, task = _actor_and_task(world, role, "verify" if step in ("verify", "return") else "start")
    client.force_login(actor)
    body = {"evidence": "已完成整改", "reason": "佐证材料不全", "kind": "formal_talk", "person": "张三"}
    response = client.post(reverse(f"task-{step}", args=[task.pk]), body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["detail"] == message
    unchanged = RectificationTask.objects.get(pk=task.pk)
    assert unchanged.status == task.status and not unchanged.measures_taken.exists()


def test_the_api_refuses_a_step_the_state_does_not_allow_with_409_in_chinese(client, world):
    actor, task = _actor_and_task(world, "inspector", "start")  # assigned: nothing to verify yet
    client.force_login(actor)
    response = client.post(reverse("task-verify", args=[task.pk]), content_type="application/json")
    assert response.status_code == 409 and CHINESE.search(response.json()["detail"])
    assert RectificationTask.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED


@pytest.mark.parametrize(("role", "allowed"), [("inspector", True), ("admin", True), ("officer", False)])
def test_inspection_step_buttons_follow_the_same_rule_as_the_service(client, world, role, allowed):
    inspection = InspectionFactory(parks=[world["park_a"]])
    client.force_login(world[role])
    page = client.get(inspection.get_absolute_url())
    shown = page.status_code == 200 and 'name="step" value="start"' in page.content.decode()
    try:
        services.inspection_step(actor=world[role], inspection=inspection, step="start")
        taken = True
    except (PermissionDenied, ObjectDoesNotExist):
        taken = False
    assert shown == taken == allowed
    assert Inspection.objects.get(pk=inspection.pk).status == (
        InspectionStatus.IN_PROGRESS if allowed else InspectionStatus.PLANNED
    )
