"""Who sees which reports: the enterprise its own, inspectors their parks', park officers none (only the
park's figures), commission admins all; outside the scope is 404, on pages, the API and the export."""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import MonitoringReport

from .conftest import make_report

SEPT = datetime.date(2026, 9, 1)


@pytest.fixture
def reports(world, points):
    return {
        "a": make_report(points["a"], SEPT, 4, problem="甲的问题"),
        "a2": make_report(points["a2"], SEPT, 3),
        "b": make_report(points["b"], SEPT, 5),
    }


EXPECTED = {
    "admin": {"a", "a2", "b"},
    "inspector": {"a", "a2"},
    "officer": set(),
    "enterprise_user": {"a"},
    "idle_inspector": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_visible_to_pages_and_api_follow_the_rule(client, world, reports, role):
    user = world[role]
    expected = {reports[key].pk for key in EXPECTED[role]}
    assert set(MonitoringReport.objects.visible_to(user).values_list("pk", flat=True)) == expected
    client.force_login(user)
    listed = client.get(reverse("monitoring:report-list"))
    assert {row.pk for row in listed.context["object_list"]} == expected
    api = client.get(reverse("monitoringreport-list"))
    assert {row["id"] for row in api.json()["results"]} == expected
    for key, report in reports.items():
        status = 200 if key in EXPECTED[role] else 404
        assert client.get(report.get_absolute_url()).status_code == status
        assert client.get(reverse("monitoringreport-detail", args=[report.pk])).status_code == status
    csv = client.get(reverse("monitoring:report-list"), {"export": "csv"})
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 1 + len(expected)


def test_the_park_page_of_another_park_is_404_and_enterprises_are_refused(client, world, reports):
    client.force_login(world["inspector"])
    assert client.get(reverse("monitoring:park", args=[world["park_b"].code])).status_code == 404
    assert client.get(reverse("monitoring:park", args=["NO-SUCH"])).status_code == 404
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("monitoring:park", args=[world["park_a"].code])).status_code == 403
    assert client.get(reverse("monitoring:index")).status_code == 403


def test_park_officers_see_the_figures_but_not_who_has_not_reported(client, world, reports):
    client.force_login(world["officer"])
    page = client.get(reverse("monitoring:park", args=[world["park_a"].code]), {"period": SEPT.isoformat()})
    assert page.status_code == 200 and "missing" not in page.context
    assert world["ent_a"].name not in page.content.decode()


def test_the_complaint_link_is_shown_to_the_enterprise_and_commission_staff_only(client, world, reports):
    from monitoring import services

    submission = services.report_to_complaint(actor=world["enterprise_user"], report=reports["a"])
    reports["a"].refresh_from_db()
    assert reports["a"].complaint == submission.complaint
    client.force_login(world["inspector"])
    html = client.get(reports["a"].get_absolute_url()).content.decode()
    assert reverse("complaints:detail", args=[submission.complaint.pk]) in html


def test_questionnaires_are_read_only_in_the_api(client, world):
    client.force_login(world["enterprise_user"])
    listed = client.get(reverse("questionnaire-list"))
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert row["version"] == 1 and len(row["questions"]) == 5
    assert client.post(reverse("questionnaire-list"), {"version": 9}).status_code == 405
    client.logout()
    assert client.get(reverse("questionnaire-list")).status_code in (401, 403)


@pytest.mark.parametrize("role", ["admin", "inspector", "enterprise_user"])
def test_lists_do_not_query_per_row(client, world, points, role, django_assert_max_num_queries):
    from tests.factories import EnterpriseFactory

    for month in range(1, 9):
        make_report(points["a"], datetime.date(2026, month, 1), 4)
        make_report(EnterpriseFactory(park=world["park_a"], is_monitoring_point=True), datetime.date(2026, month, 1), 3)
    client.force_login(world[role])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("monitoring:report-list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("monitoringreport-list")).status_code == 200
    if role != "enterprise_user":
        with django_assert_max_num_queries(16):
            assert client.get(reverse("monitoring:park", args=[world["park_a"].code])).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("monitoring:index")).status_code == 200
