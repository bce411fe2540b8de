"""A rectification task carries its finding's park (``RectificationTask.park``, what scoping and the figures
filter on): set when the task is made, moved with the finding, never anything else."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from accounts.choices import Role
from inspections import services
from inspections.models import Finding, RectificationTask
from tests.factories import FindingFactory, InspectionFactory, TaskFactory, UserFactory

D = datetime.date


@pytest.fixture
def finding(world):
    inspection = InspectionFactory(parks=[world["park_a"], world["park_b"]])
    return FindingFactory(park=world["park_a"], inspection=inspection, found_on=D(2026, 2, 1))


def test_an_assigned_task_is_in_its_findings_park(world, finding):
    task = services.task_assign(
        actor=world["inspector"], finding=finding, owner=world["officer"], measures="整改", deadline=D(2026, 3, 2)
    )
    assert RectificationTask.objects.get(pk=task.pk).park == world["park_a"]


def test_a_task_made_any_other_way_takes_its_findings_park(world, finding):
    task = RectificationTask.objects.create(
        finding=finding, park=world["park_b"], owner=world["officer"], measures="整改", deadline=D(2026, 3, 2)
    )
    assert RectificationTask.objects.get(pk=task.pk).park == world["park_a"]


def test_tasks_follow_their_finding_to_another_park(world, finding):
    tasks = [TaskFactory(finding=finding, owner=world["officer"]) for _ in range(2)]
    other = TaskFactory(finding__park=world["park_a"], owner=world["officer"])
    finding.park = world["park_b"]
    services.finding_record(actor=world["admin"], finding=finding)  # the admin's change form saves through this

    assert {task.park_id for task in RectificationTask.objects.filter(pk__in=[t.pk for t in tasks])} == {
        world["park_b"].pk
    }
    assert RectificationTask.objects.get(pk=other.pk).park == world["park_a"]
    # Scoping follows: park A's inspector no longer finds them, park B's does.
    inspector_b = UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]])
    assert not RectificationTask.objects.visible_to(world["inspector"]).filter(finding=finding).exists()
    assert RectificationTask.objects.visible_to(inspector_b).filter(finding=finding).count() == 2


def test_the_database_moves_the_tasks_when_a_finding_is_moved_behind_the_services_back(world, finding):
    task = TaskFactory(finding=finding, owner=world["officer"])
    Finding.objects.filter(pk=finding.pk).update(park=world["park_b"])
    assert RectificationTask.objects.get(pk=task.pk).park == world["park_b"]


def test_the_database_refuses_a_task_in_another_park_than_its_finding(world, finding):
    task = TaskFactory(finding=finding, owner=world["officer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.filter(pk=task.pk).update(park=world["park_b"])
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert RectificationTask.objects.get(pk=task.pk).park == world["park_a"]


def test_every_task_of_the_board_is_in_its_findings_park(client, world, finding):
    """The board's park column and filter read the task's park: the same as its finding's."""
    TaskFactory(finding=finding, owner=world["officer"])
    TaskFactory(finding__park=world["park_b"], owner=UserFactory(role=Role.PARK_OFFICER, parks=[world["park_b"]]))
    assert not RectificationTask.objects.exclude(park=F("finding__park")).exists()
    client.force_login(world["admin"])
    response = client.get(reverse("inspections:task-board"), {"park": world["park_b"].pk})
    assert response.status_code == 200
    assert [task.finding.park for task in response.context["object_list"]] == [world["park_b"]]
