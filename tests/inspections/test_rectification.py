"""Inspections, findings and rectification in the browser: who may do what, bad input, the board."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.choices import Role
from inspections import services
from inspections.models import AccountabilityMeasure, Finding, RectificationTask
from tests.complaints.conftest import png_file
from tests.factories import FindingFactory, InspectionFactory, TaskFactory, UserFactory

D = datetime.date


@pytest.fixture
def finding(world):
    inspection = InspectionFactory(parks=[world["park_a"]])
    return FindingFactory(park=world["park_a"], inspection=inspection, found_on=D(2026, 2, 1))


def test_an_inspector_records_a_finding_and_assigns_its_rectification(client, world):
    inspection = InspectionFactory(parks=[world["park_a"]])
    client.force_login(world["inspector"])
    response = client.post(
        inspection.get_absolute_url(),
        {
            "park": world["park_a"].pk,
            "description": "三重一大制度执行不严",
            "category": "funds",
            "severity": "serious",
            "responsible_unit": "党工委",
            "found_on": "2026-02-01",
        },
    )
    finding = Finding.objects.get()
    assert response.url == finding.get_absolute_url()
    response = client.post(
        finding.get_absolute_url(), {"owner": world["officer"].pk, "measures": "完善制度", "deadline": "2026-03-31"}
    )
    task = RectificationTask.objects.get()
    assert response.url == task.get_absolute_url()
    assert world["officer"].notifications.filter(kind="task_assigned").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"deadline": "2026-01-31"}, "deadline", "不能早于"),
        ({"owner": ""}, "owner", "请选择"),
    ],
    ids=["deadline-before-finding", "no-owner"],
)
def test_bad_tasks_are_explained_and_nothing_is_saved(client, world, finding, data, field, message):
    client.force_login(world["inspector"])
    post = {"owner": world["officer"].pk, "measures": "整改措施", "deadline": "2026-03-31", **data}
    response = client.post(finding.get_absolute_url(), post)
    assert response.status_code == 200
    assert field in response.context["task_form"].errors
    assert message in response.content.decode()
    assert "整改措施" in response.content.decode()
    assert not RectificationTask.objects.exists()


def test_the_owner_must_be_an_officer_of_the_findings_park(world, finding):
    outsider = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_b"]])
    with pytest.raises(ValidationError) as error:
        services.task_assign(
            actor=world["inspector"], finding=finding, owner=outsider, measures="x", deadline=D(2026, 3, 1)
        )
    assert "owner" in error.value.message_dict


@pytest.fixture
def task(world, finding):
    return TaskFactory(finding=finding, owner=world["officer"], deadline=D(2026, 3, 2))


def test_the_owner_submits_and_an_inspector_verifies(client, world, task):
    client.force_login(world["officer"])
    client.post(task.get_absolute_url(), {"step": "start"})
    response = client.post(
        task.get_absolute_url(),
        {"step": "submit", "evidence": "已建立制度并追回资金", "recovered_losses": "25000.50", "files": [png_file()]},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "submitted" and task.recovered_losses == Decimal("25000.50")
    assert task.attachments.count() == 1
    assert world["inspector"].notifications.filter(kind="task_submitted").exists()
    client.force_login(world["inspector"])
    client.post(task.get_absolute_url(), {"step": "verify"})
    task.refresh_from_db()
    assert task.status == "verified" and task.verified_by == world["inspector"]
    stats = client.get(reverse("parks:park-detail", args=[world["park_a"].code])).context["rectification"]
    assert stats["recovered"] == Decimal("25000.50") and stats["n_verified"] == 1


def test_an_owner_never_verifies_their_own_task(world, task):
    services.task_submit(actor=world["officer"], task=task, evidence="完成")
    with pytest.raises(PermissionDenied):
        services.task_verify(actor=world["officer"], task=task)
    # Even a commission admin who owns a task cannot verify it — and the database agrees.
    task.refresh_from_db()
    assert task.status == "submitted"


def test_the_database_refuses_a_task_verified_by_its_owner(world, task):
    from django.db import IntegrityError, transaction

    task.status, task.verified_by = "verified", task.owner
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_a_return_needs_a_reason_and_sends_the_task_back(client, world, task):
    services.task_submit(actor=world["officer"], task=task, evidence="完成")
    client.force_login(world["inspector"])
    response = client.post(task.get_absolute_url(), {"step": "return", "reason": "  "})
    assert response.status_code == 200 and "必填" in response.content.decode()
    client.post(task.get_absolute_url(), {"step": "return", "reason": "缺少制度文件"})
    task.refresh_from_db()
    assert task.status == "returned" and task.return_reason == "缺少制度文件"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"recovered_losses": "-1"}, "大于或等于"),
        ({"evidence": "   "}, "必填"),
        ({"files": [png_file("big.png", size=2 * 1024 * 1024)]}, "大于 1 MB"),
    ],
    ids=["negative-losses", "no-evidence", "file-too-big"],
)
def test_bad_submissions_are_explained_and_nothing_changes(client, world, task, settings, data, message):
    settings.PORTAL_UPLOAD_MAX_MB = 1
    client.force_login(world["officer"])
    response = client.post(
        task.get_absolute_url(), {"step": "submit", "evidence": "已整改", "recovered_losses": "0", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    task.refresh_from_db()
    assert task.status == "assigned" and not task.attachments.exists()


def test_a_disguised_evidence_file_is_refused(client, world, task):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["officer"])
    fake = SimpleUploadedFile("report.pdf", b"MZ this is a program", content_type="application/pdf")
    response = client.post(task.get_absolute_url(), {"step": "submit", "evidence": "已整改", "files": [fake]})
    assert "不是允许的文件类型" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "assigned"


def test_officers_of_another_park_get_404(client, world, task):
    outsider = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_b"]])
    client.force_login(outsider)
    assert client.get(task.get_absolute_url()).status_code == 404
    assert client.get(task.finding.get_absolute_url()).status_code == 404
    colleague = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]])
    client.force_login(colleague)  # same park, not the owner: not their task
    assert client.get(task.get_absolute_url()).status_code == 404
    assert list(client.get(reverse("inspections:task-board")).context["object_list"]) == []


def test_the_board_puts_overdue_tasks_first_with_working_days(client, world, finding):
    from django.utils import timezone

    from core.workdays import add_working_days, is_working_day, subtract_working_days

    today = timezone.localdate()
    # Two working days late whatever day the suite runs: on a weekend or holiday the last working day counts
    # as today's (a deadline on Thursday is one working day late on Saturday, not two).
    last_working = today if is_working_day(today) else subtract_working_days(today, 1)
    later = TaskFactory(finding=finding, owner=world["officer"], deadline=add_working_days(today, 5))
    late = TaskFactory(finding=finding, owner=world["officer"], deadline=subtract_working_days(last_working, 2))
    client.force_login(world["inspector"])
    rows = client.get(reverse("inspections:task-board")).context["rows"]
    assert [task for task, _cells, _css in rows] == [late, later]
    deadlines = [cells[0] for _task, cells, _css in rows]
    assert "超期 2 个工作日" in deadlines[0] and "剩余 5 个工作日" in deadlines[1]
    assert [css for _task, _cells, css in rows] == ["row-overdue", ""]


def test_four_forms_measures_need_their_form(world, task):
    with pytest.raises(ValidationError):
        services.measure_record(
            actor=world["inspector"], measure=AccountabilityMeasure(task=task, kind="four_forms", person="某人")
        )
    services.measure_record(
        actor=world["inspector"], measure=AccountabilityMeasure(task=task, kind="four_forms", form=2, person="某人")
    )
    measure = services.measure_record(
        actor=world["inspector"], measure=AccountabilityMeasure(task=task, kind="formal_talk", form=3, person="某人")
    )
    assert measure.form is None  # only the four forms carry a form number


def test_an_alert_becomes_a_finding_in_one_action(client, world):
    from risks.engine import evaluate_all
    from risks.models import Alert
    from tests.factories import DecisionFactory

    DecisionFactory(park=world["park_a"], has_minutes=False)
    evaluate_all()
    alert = Alert.objects.get(rule="decision_no_minutes")
    client.force_login(world["inspector"])
    response = client.post(reverse("inspections:alert-to-finding", args=[alert.pk]))
    finding = Finding.objects.get()
    assert response.url == finding.get_absolute_url()
    assert finding.alert == alert and finding.source == "alert"
    alert.refresh_from_db()
    assert alert.status == "converted"
    client.post(reverse("inspections:alert-to-finding", args=[alert.pk]))
    assert Finding.objects.count() == 1


def test_a_complaint_becomes_a_finding_and_officers_cannot_do_it(client, world):
    from complaints import services as complaint_services

    complaint = complaint_services.complaint_submit(
        park=world["park_a"], category="favours", subject="某科", description="吃拿卡要"
    ).complaint
    url = reverse("inspections:complaint-to-finding", args=[complaint.pk])
    summary = {"description": "窗口服务问题", "category": "service", "severity": "general", "responsible_unit": "某科"}
    client.force_login(world["officer"])
    assert client.get(url).status_code == 403
    assert client.post(url, summary).status_code == 403
    client.force_login(world["inspector"])
    client.post(url, summary)
    assert Finding.objects.get().complaint == complaint


def test_inspections_of_several_parks_are_listed_once(client, world):
    inspection = InspectionFactory(parks=[world["park_a"], world["park_b"]])
    client.force_login(world["admin"])
    assert list(client.get(reverse("inspections:inspection-list")).context["object_list"]) == [inspection]
    client.force_login(world["inspector"])
    assert list(client.get(reverse("inspections:inspection-list")).context["object_list"]) == [inspection]
    client.force_login(world["idle_inspector"])
    assert client.get(inspection.get_absolute_url()).status_code == 404


def test_demands_are_counted_raised_and_solved(client, world):
    from inspections.models import Demand, Visit

    visit = Visit.objects.create(
        park=world["park_a"],
        enterprise=world["ent_a"],
        visitor=world["inspector"],
        campaign="ten_thousand",
        visited_on=D(2026, 3, 1),
    )
    Demand.objects.create(visit=visit, kind="financing", description="融资难")
    demand = Demand.objects.create(visit=visit, kind="land", description="用地指标")
    client.force_login(world["inspector"])
    response = client.post(
        visit.get_absolute_url(), {"demand": demand.pk, "solved_on": "2026-02-01", "solution": "已协调"}
    )
    assert "不能早于" in response.content.decode() or "before" in response.content.decode()
    client.post(visit.get_absolute_url(), {"demand": demand.pk, "solved_on": "2026-03-05", "solution": "已协调"})
    board = client.get(reverse("inspections:demand-board")).context["board"]
    assert {(row["kind"], row["raised"], row["solved"]) for row in board} == {("financing", 1, 0), ("land", 1, 1)}


def test_the_inbox_shows_and_marks_messages_read(client, world):
    from core.notifications import notify

    note = notify(world["officer"], kind="test", title="请于3日内整改", link="/rectification/")
    client.force_login(world["officer"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="unread-badge">1<' in page
    assert client.get(reverse("inspections:notification", args=[note.pk])).url == "/rectification/"
    note.refresh_from_db()
    assert note.read_at is not None
    client.force_login(world["inspector"])
    assert client.get(reverse("inspections:notification", args=[note.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["inspections:task-board", "inspections:inspection-list", "inspections:visit-list", "inspections:demand-board"],
)
def test_list_query_counts_do_not_grow(client, world, finding, url_name, django_assert_max_num_queries):
    from inspections.models import Demand, Visit

    def add(n):
        for _ in range(n):
            TaskFactory(finding=finding, owner=world["officer"])
            InspectionFactory(parks=[world["park_a"]])
            visit = Visit.objects.create(
                park=world["park_a"], enterprise=world["ent_a"], visitor=world["inspector"], campaign="ten_thousand"
            )
            Demand.objects.create(visit=visit, kind="financing", description="x")

    client.force_login(world["inspector"])
    add(2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(url_name))
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(url_name))


def test_editing_a_joint_inspection_keeps_the_parks_the_editor_cannot_see(client, world):
    inspection = InspectionFactory(parks=[world["park_a"], world["park_b"]])
    client.force_login(world["inspector"])  # park A only
    response = client.post(
        reverse("inspections:inspection-update", args=[inspection.pk]),
        {
            "kind": inspection.kind,
            "title": "二〇二六年联合巡察（更正标题）",
            "parks": [world["park_a"].pk],
            "team": [world["inspector"].pk],
            "starts_on": inspection.starts_on.isoformat(),
            "ends_on": inspection.ends_on.isoformat() if inspection.ends_on else "",
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "二〇二六年联合巡察（更正标题）"
    assert set(inspection.parks.all()) == {world["park_a"], world["park_b"]}


def test_only_inspectors_and_admins_can_be_on_an_inspection_team(world):
    inspection = InspectionFactory(parks=[world["park_a"]])
    with pytest.raises(ValidationError) as error:
        services.inspection_save(
            actor=world["inspector"], inspection=inspection, parks=[world["park_a"]], team=[world["officer"]]
        )
    assert "team" in error.value.message_dict
    assert not inspection.team.exists()


def test_a_joint_inspection_links_only_the_parks_the_reader_may_open(client, world):
    inspection = InspectionFactory(parks=[world["park_a"], world["park_b"]])
    client.force_login(world["inspector"])
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert world["park_a"].get_absolute_url() in html
    assert world["park_b"].name in html and world["park_b"].get_absolute_url() not in html


def test_a_tampered_demand_id_is_a_404_not_a_server_error(client, world):
    from inspections.models import Visit

    visit = Visit.objects.create(
        park=world["park_a"], enterprise=world["ent_a"], visitor=world["inspector"], campaign="ten_thousand",
        visited_on=D(2026, 3, 1),
    )  # fmt: skip
    client.force_login(world["inspector"])
    for tampered in ("abc", "1 OR 1=1", ""):
        response = client.post(visit.get_absolute_url(), {"demand": tampered, "solved_on": "2026-03-05"})
        assert response.status_code == 404
