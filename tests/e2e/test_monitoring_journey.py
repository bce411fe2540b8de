"""Journey: a monitoring point files its monthly report from its home desk (a forgotten score is said in
Chinese and what was typed stays), turns its problem into a complaint in one click, and the park's
inspector sees the period filed in the trend, and who has not reported."""

import re

import pytest
from django.utils import timezone

from accounts.choices import Role
from complaints.models import Complaint
from monitoring.models import MonitoringReport
from monitoring.periods import Period
from tests.factories import EnterpriseFactory, ParkFactory, UserFactory
from tests.monitoring.conftest import ensure_questionnaire, make_report

pytestmark = pytest.mark.e2e


def test_a_monitoring_point_files_its_monthly_report_and_the_inspector_sees_the_trend(browser_page, login, live_server):
    questionnaire = ensure_questionnaire()
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park], name="纪检干部甲")
    point = EnterpriseFactory(park=park, name="监测点甲公司", is_monitoring_point=True)
    silent = EnterpriseFactory(park=park, name="监测点乙公司", is_monitoring_point=True)
    person = UserFactory(role=Role.ENTERPRISE, enterprise=point, name="企业联络人")
    current = Period.containing(timezone.localdate())
    for enterprise in (point, silent):
        make_report(enterprise, current.previous().start, 4)

    firm = login(browser_page("enterprise"), person)
    firm.goto(f"{live_server.url}/")
    firm.locator("#monitoring-panel").get_by_text(current.label()).wait_for()
    firm.get_by_role("link", name="填报监测报告").click()
    firm.wait_for_url("**/monitoring/report/")
    questions = list(questionnaire.questions.all())
    for index, question in enumerate(questions[1:]):  # the first question is forgotten
        firm.locator(f"#id_score_{question.code}_{index % 5}").check()
    firm.locator("#id_note_policy").fill("兑现及时")
    firm.locator("#id_problem").fill("办理施工许可时被要求多次补充材料。")
    firm.get_by_role("button", name="提交报告").click()
    firm.get_by_text("请给出1至5分的评分。").wait_for()
    assert firm.locator("#id_problem").input_value() == "办理施工许可时被要求多次补充材料。"
    assert firm.locator("#id_note_policy").input_value() == "兑现及时"
    firm.locator(f"#id_score_{questions[0].code}_3").check()  # 4
    firm.get_by_role("button", name="提交报告").click()
    firm.get_by_text(f"{current.label()} 的监测报告已提交。").wait_for()
    report = MonitoringReport.objects.get(enterprise=point, period=current.start)
    assert report.answers.get(question__code=questions[0].code).score == 4

    firm.get_by_role("button", name="转为投诉").click()
    firm.wait_for_url("**/receipt/")
    complaint = Complaint.objects.get()
    assert complaint.description == "办理施工许可时被要求多次补充材料。" and complaint.park == park

    staff = login(browser_page("inspector"), inspector)
    staff.goto(f"{live_server.url}/monitoring/")
    staff.get_by_role("link", name="平顶山高新区").click()
    staff.wait_for_url(f"**/monitoring/parks/{park.code}/")
    row = staff.locator("#monitoring-trend tbody tr", has_text=current.label())
    assert row.locator("[data-figure=filed]").inner_text() == "1"
    assert row.locator("[data-figure=missing]").inner_text() == "1"
    assert "50.0%" in row.inner_text()
    assert staff.locator("svg.portal-chart").count() == 2
    row.locator("[data-figure=missing]").click()
    staff.locator("#missing").get_by_text("监测点乙公司").wait_for()
    assert staff.locator("#missing").get_by_text("监测点甲公司").count() == 0
    staff.locator("#monitoring-trend").get_by_role("link", name=re.compile("^1$")).first.click()
    staff.get_by_role("link", name="监测点甲公司").wait_for()
