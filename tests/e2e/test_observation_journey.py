"""Journey 5: a special supervisor files an observation with a photo from their desk; the park's inspector
finds it in the inbox, asks for more, the supervisor answers, and the inspector accepts it as a finding in
one step. The supervisor follows its state and never sees the park's ledgers."""

import re

import pytest

from accounts.choices import Role
from inspections.models import Finding
from supervision.models import Observation
from tests.factories import EnterpriseFactory, ParkFactory, UserFactory
from tests.supervision.factories import appointed

from .conftest import PHONE
from .test_complaint_journey import small_png

pytestmark = pytest.mark.e2e


def test_a_supervisors_observation_is_asked_back_answered_and_becomes_a_finding(
    browser_page, login, live_server, tmp_path
):
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    firm = EnterpriseFactory(park=park, name="平顶山示范企业有限公司")
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park], name="纪检干部甲")
    supervisor = appointed(park, supervisor=UserFactory(role=Role.SUPERVISOR, name="特约监察员丙"))
    photo = tmp_path / "窗口照片.png"
    photo.write_bytes(small_png())

    # The supervisor, on a phone, files from the desk.
    observer = login(browser_page("supervisor", viewport=PHONE), supervisor)
    observer.get_by_text("您还没有反映过廉情信息。").wait_for()
    observer.get_by_role("link", name="反映廉情信息").first.click()
    observer.locator("[name=category]").select_option(label="吃拿卡要")
    observer.locator("[name=place]").fill("政务服务中心二楼审批窗口")
    observer.locator("[name=unit_named]").fill("政务服务中心审批科")
    observer.locator("[name=description]").fill("窗口工作人员暗示企业“意思意思”才能加快办理施工许可。")
    observer.locator("[name=files]").set_input_files(str(photo))
    observer.get_by_role("button", name="提交").click()
    observer.get_by_text("廉情信息已提交，已通知园区的纪检监察干部。").wait_for()
    observation = Observation.objects.get()
    assert observation.supervisor == supervisor and observation.attachments.count() == 1
    assert observer.locator("#observation-status").inner_text() == "已提交"
    assert observer.goto(f"{live_server.url}/enterprises/{firm.pk}/").status == 404  # no ledger of their park

    # The inspector is told, asks for more.
    staff = login(browser_page("inspector"), inspector)
    staff.goto(f"{live_server.url}/inbox/")
    staff.get_by_role("link", name="监督员反映了新的廉情信息：吃拿卡要").click()
    staff.wait_for_url(f"**/supervision/observations/{observation.pk}/")
    ask = staff.locator("form:has(input[name=step][value=ask])")
    ask.locator("textarea").fill("请补充发生的具体时间和在场人员。")
    ask.get_by_role("button", name="要求补充").click()
    staff.get_by_text("已完成。").wait_for()

    # The supervisor answers from the desk's notice.
    observer.goto(f"{live_server.url}/")
    observer.get_by_role("link", name="去补充").click()
    observer.get_by_role("link", name=re.compile("窗口工作人员暗示")).click()
    answer = observer.locator("form:has(input[name=step][value=answer])")
    answer.locator("textarea").fill("11月20日上午，另有两名工作人员在场。")
    answer.get_by_role("button", name="补充并重新提交").click()
    observer.get_by_text("已完成。").wait_for()
    assert observer.locator("#observation-status").inner_text() == "已提交"

    # The inspector accepts it as a finding in one step.
    staff.goto(f"{live_server.url}/supervision/observations/{observation.pk}/")
    staff.get_by_role("link", name="采纳为问题").click()
    assert "特约监察员丙" not in staff.locator("[name=description]").input_value()
    staff.get_by_role("button", name="记录问题").click()
    staff.get_by_text("廉情信息已采纳为问题，请分派整改任务。").wait_for()
    finding = Finding.objects.get()
    assert finding.park == park and finding.source == "observation"
    staff.wait_for_url(f"**/findings/{finding.pk}/")

    observer.goto(f"{live_server.url}/supervision/observations/")
    observer.locator("td .badge", has_text="已采纳为问题").wait_for()
    assert observer.locator("a[href^='/findings/']").count() == 0  # the finding is the commission's
