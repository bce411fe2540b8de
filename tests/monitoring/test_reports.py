"""A monitoring point files its report from its home desk; mistakes are said in Chinese and what was
typed stays; the problem becomes a complaint in one click, named or anonymous by the complaint rules."""

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complainant, Complaint
from monitoring.models import MonitoringReport
from monitoring.periods import Period

from .conftest import form_data


@pytest.fixture
def logged_in(client, world, points):
    client.force_login(world["enterprise_user"])
    return client


def current():
    return Period.containing(timezone.localdate())


def test_the_home_desk_of_a_monitoring_point_offers_the_open_period(logged_in):
    page = logged_in.get(reverse("home"))
    assert "营商环境监测点" in page.content.decode()
    assert current().label() in page.content.decode()
    assert reverse("monitoring:report-file") in page.content.decode()


def test_a_monitoring_point_files_its_report(logged_in, world):
    response = logged_in.post(reverse("monitoring:report-file"), form_data(current(), problem="审批慢"))
    report = MonitoringReport.objects.get(enterprise=world["ent_a"])
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.period == current().start and report.problem == "审批慢"
    assert sorted(report.answers.values_list("score", flat=True)) == [4, 4, 4, 4, 4]
    assert report.answers.get(question__code="policy").note == "policy的说明"
    page = logged_in.get(report.get_absolute_url())
    assert "审批慢" in page.content.decode() and "转为投诉" in page.content.decode()
    # The period is filed: the form offers only what is left (here the previous month).
    form_page = logged_in.get(reverse("monitoring:report-file"))
    assert current().label() not in [label for _key, label in form_page.context["form"].fields["period"].choices]


def test_a_missing_score_is_said_in_chinese_and_the_typed_values_stay(logged_in, world):
    data = form_data(current(), scores={"efficiency": None, "policy": 2}, problem="我写的问题")
    page = logged_in.post(reverse("monitoring:report-file"), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "请给出1至5分的评分。" in html
    assert "我写的问题" in html and "policy的说明" in html
    assert 'value="2" class="form-check-input" id="id_score_policy_1" checked' in html or "checked" in html
    assert page.context["form"]["score_policy"].value() == "2"
    assert not MonitoringReport.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "七"])
def test_a_score_outside_1_to_5_is_refused(logged_in, score):
    data = form_data(current())
    data["score_four_winds"] = score
    page = logged_in.post(reverse("monitoring:report-file"), data)
    assert "评分为1至5分。" in page.content.decode()
    assert not MonitoringReport.objects.exists()


def test_a_period_that_is_not_open_is_refused(logged_in):
    data = form_data(current().previous().previous())
    page = logged_in.post(reverse("monitoring:report-file"), data)
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert not MonitoringReport.objects.exists()


def test_the_same_period_twice_is_refused(logged_in):
    logged_in.post(reverse("monitoring:report-file"), form_data(current()))
    page = logged_in.post(reverse("monitoring:report-file"), form_data(current()))
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert MonitoringReport.objects.count() == 1


def test_an_enterprise_that_is_not_a_point_and_staff_cannot_file(client, world, points):
    world["ent_a"].is_monitoring_point = False
    world["ent_a"].save()
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("monitoring:report-file")).status_code == 403
    client.force_login(world["inspector"])
    assert client.post(reverse("monitoring:report-file"), form_data(current())).status_code == 403


def _filed(client, problem="园区某科室办事推诿"):
    client.post(reverse("monitoring:report-file"), form_data(current(), problem=problem))
    return MonitoringReport.objects.get()


def test_the_problem_becomes_a_named_complaint_in_one_click(logged_in, world):
    report = _filed(logged_in)
    response = logged_in.post(reverse("monitoring:report-complaint", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("complaints:receipt")
    complaint = Complaint.objects.get()
    assert complaint.description == "园区某科室办事推诿" and complaint.park == world["park_a"]
    assert not complaint.is_anonymous
    complainant = Complainant.objects.get(complaint=complaint)
    assert complainant.user == world["enterprise_user"] and complainant.enterprise == world["ent_a"]
    report.refresh_from_db()
    assert report.complaint == complaint and report.complaint_filed_at is not None
    # The enterprise follows it from the report; a second click files nothing.
    assert (
        reverse("complaints:tracked", args=[complaint.pk]) in logged_in.get(report.get_absolute_url()).content.decode()
    )
    logged_in.post(reverse("monitoring:report-complaint", args=[report.pk]))
    assert Complaint.objects.count() == 1


def test_an_anonymous_complaint_keeps_nobody_and_is_not_linked(logged_in, world, client):
    report = _filed(logged_in)
    logged_in.post(reverse("monitoring:report-complaint", args=[report.pk]), {"is_anonymous": "on"})
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous and not Complainant.objects.filter(complaint=complaint).exists()
    report.refresh_from_db()
    assert report.complaint is None and report.complaint_filed_at is not None


def test_only_the_enterprise_turns_its_report_into_a_complaint(logged_in, client, world):
    report = _filed(logged_in)
    client.force_login(world["inspector"])
    client.post(reverse("monitoring:report-complaint", args=[report.pk]))
    client.force_login(world["admin"])
    client.post(reverse("monitoring:report-complaint", args=[report.pk]))
    assert not Complaint.objects.exists()
