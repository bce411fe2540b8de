"""Appointments: the supervisors' activity per term that commission admins renew or end appointments from,
the sheet of supervisors imported all or nothing, and the evaluation's figure of observations handled in time."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from core.workdays import add_working_days
from inspections.models import Finding
from supervision import services
from supervision.models import Appointment, Observation
from supervision.selectors import SOURCE_OBSERVATIONS_HANDLED, evaluation_counts
from tests.factories import UserFactory
from tests.imports.test_imports import confirm, upload, xlsx

from .factories import observation_in

pytestmark = pytest.mark.django_db


def _life(world, supervisor):
    """Four observations of ``supervisor`` in park A: one waiting, one asked back (then answered and accepted),
    one accepted, one filed away."""
    made = [observation_in(world["park_a"], supervisor=supervisor) for _ in range(4)]
    inspector = world["inspector"]
    services.observation_ask(actor=inspector, observation=made[1], question="时间？")
    services.observation_answer(actor=supervisor, observation=made[1], answer="上周三")
    for observation in made[1:3]:
        finding = Finding(description="问题", category="service", severity="general", responsible_unit="某科")
        services.observation_accept(actor=inspector, observation=observation, finding=finding)
    services.observation_file(actor=inspector, observation=made[3], reason="重复反映")
    return made


def test_the_activity_page_counts_each_term_and_each_number_links_to_exactly_those_observations(client, world):
    _life(world, world["supervisor"])
    observation_in(world["park_b"])  # another supervisor's term
    client.force_login(world["admin"])
    page = client.get(reverse("supervision:activity"))
    assert page.status_code == 200
    row = next(row for row, _cells, _css in page.context["rows"] if row.supervisor == world["supervisor"])
    assert (row.n_filed, row.n_accepted, row.n_filed_away, row.n_asked_back, row.n_open) == (4, 2, 1, 1, 1)
    for query, expected in [
        ("", 4),
        ("&status=accepted", 2),
        ("&status=filed", 1),
        ("&asked=true", 1),
        ("&status=submitted", 1),
    ]:
        listing = client.get(f"{reverse('supervision:observation-list')}?appointment={row.pk}{query}")
        assert listing.context["paginator"].count == expected, query
        assert f"?appointment={row.pk}{query}".replace("&", "&amp;") in page.content.decode()


@pytest.mark.parametrize("role", ["inspector", "officer", "enterprise_user", "supervisor"])
def test_only_commission_admins_see_the_activity_and_appoint(client, world, role):
    client.force_login(world[role])
    assert client.get(reverse("supervision:activity")).status_code == 403
    assert client.get(reverse("supervision:appointment-create")).status_code == 403


def test_renewing_extends_the_term_and_ending_stops_new_observations(client, world):
    appointment = Appointment.objects.get(supervisor=world["supervisor"])
    client.force_login(world["admin"])
    url = appointment.get_absolute_url()
    too_early = client.post(url, {"action": "renew", "renew-ends_on": "2030-01-01"})
    assert "新的聘期结束日须晚于现在的结束日" in too_early.content.decode()
    assert client.post(url, {"action": "renew", "renew-ends_on": "2100-06-30"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.ends_on == datetime.date(2100, 6, 30)
    no_reason = client.post(url, {"action": "end", "end-reason": ""})
    assert no_reason.status_code == 200
    assert client.post(url, {"action": "end", "end-reason": "本人辞任"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "dismissed" and appointment.ended_on == timezone.localdate()
    assert appointment.get_status_now_display() == "已解聘"
    client.force_login(world["supervisor"])
    refused = client.post(
        reverse("supervision:observation-create"),
        {"park": world["park_a"].pk, "category": "other", "place": "某处", "description": "某事", "occurred_on": "2026-01-05"},
    )  # fmt: skip
    assert refused.status_code == 200 and not Observation.objects.exists()
    assert client.get(url).status_code == 200  # their own appointment, read only
    assert client.post(url, {"action": "renew", "renew-ends_on": "2101-01-01"}).status_code == 403


HEADERS = ["用户名", "姓名", "电话", "园区代码", "人员来源", "聘期开始", "聘期结束"]


def test_a_sheet_of_supervisors_is_imported_all_or_nothing_and_again_changes_nothing(client, world):
    client.force_login(world["admin"])
    rows = [
        ["jdy01", "钱监督", "13800000011", f"{world['park_a'].code}、{world['park_b'].code}", "企业家代表", "2026-01-01", "2027-12-31"],
        ["jdy02", "孙监督", "", world["park_b"].code, "下沉干部", "2026-01-01", "2027-12-31"],
        [world["officer"].username, "李园区", "", world["park_a"].code, "其他", "2026-01-01", "2027-12-31"],
        ["jdy03", "周监督", "", "NO-SUCH", "企业家代表", "2026-01-01", "2027-12-31"],
        ["jdy04", "吴监督", "", world["park_a"].code, "企业家代表", "2026-01-01", "2025-12-31"],
    ]  # fmt: skip
    preview = upload(client, "supervisors", xlsx(HEADERS, rows))
    body = preview.content.decode()
    assert preview.context["token"] is None
    assert "该用户名属于一位非监督员用户" in body and "NO-SUCH" in body and "聘期结束日不能早于开始日" in body
    assert not User.objects.filter(username__startswith="jdy").exists() and Appointment.objects.count() == 1

    preview = upload(client, "supervisors", xlsx(HEADERS, rows[:2]))
    assert preview.context["token"] is not None
    confirm(client, "supervisors", preview)
    first = User.objects.get(username="jdy01")
    assert first.role == Role.SUPERVISOR and not first.has_usable_password()
    assert set(Appointment.objects.get(supervisor=first).parks.all()) == {world["park_a"], world["park_b"]}
    again = upload(client, "supervisors", xlsx(HEADERS, rows[:2]))
    assert again.context["report"].count("unchanged") == 2


def test_an_inspector_may_not_import_supervisors(client, world):
    client.force_login(world["inspector"])
    response = upload(client, "supervisors", xlsx(HEADERS, []))
    assert response.status_code in (403, 404)


def test_evaluation_counts_observations_handled_within_the_working_day_limit(world, settings):
    settings.SUPERVISION_HANDLE_WORKING_DAYS = 10
    made = _life(world, world["supervisor"])
    year, today = timezone.localdate().year, timezone.localdate()
    late = made[0]  # still waiting, its limit passed
    Observation.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=1))
    slow = made[3]  # filed away, but after its limit
    Observation.objects.filter(pk=slow.pk).update(due_on=today - datetime.timedelta(days=3))
    in_b = observation_in(world["park_b"])  # waiting, still within the limit: not due
    assert in_b.due_on == add_working_days(timezone.localtime(in_b.submitted_at).date(), 10)
    counts = evaluation_counts(SOURCE_OBSERVATIONS_HANDLED, year, today)
    assert counts == {world["park_a"].pk: (2, 4)}
    assert evaluation_counts(SOURCE_OBSERVATIONS_HANDLED, year - 1, today) == {}
    assert evaluation_counts("complaint_on_time", year, today) == {}


def test_inactive_or_superuser_roles_do_not_make_a_supervisor(world):
    ghost = UserFactory(role=Role.SUPERVISOR, is_active=False)
    assert not ghost.is_supervisor and not ghost.is_staff_reader
    assert not Observation.objects.visible_to(ghost).exists()
