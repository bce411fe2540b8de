"""Journey: a commission admin launches a campaign; a park officer returns its self-inspection checklist; an
inspector passes it; a data-collision alert (a subsidy approved after its recipient was deregistered) becomes a
finding of the campaign in one action; the campaign report prints."""

import datetime

import pytest
from django.utils import timezone

from accounts.choices import Role
from campaigns.models import Campaign, CampaignFinding, ParkReturn
from risks.engine import evaluate_all
from risks.models import Alert
from tests.collisions.helpers import register
from tests.factories import EnterpriseFactory, ParkFactory, SubsidyFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_campaign_from_launch_to_report(browser_page, login, live_server):
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    other = ParkFactory(code="PDS-NL", name="尼龙新材料开发区")
    admin = UserFactory(role=Role.COMMISSION_ADMIN, name="管理员甲")
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park], name="纪检干部甲")
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[park], name="园区干部乙")
    subsidy = SubsidyFactory(enterprise=EnterpriseFactory(park=park), approved_on=datetime.date(2026, 1, 5))
    register(subsidy.enterprise, rep=("丁", 1), status="deregistered", deregistered_on=datetime.date(2025, 6, 30))
    evaluate_all()
    alert = Alert.objects.get(rule="collision_ghost_recipient")
    today = timezone.localdate()

    # The commission admin prepares the campaign, writes its checklist and launches it.
    desk = login(browser_page("admin"), admin)
    desk.goto(f"{live_server.url}/campaigns/new/")
    desk.locator("[name=name]").fill("惠企奖补资金发放专项整治")
    desk.locator("[name=theme]").select_option("subsidies")
    desk.locator(f"[name=parks][value='{park.pk}']").check()
    desk.locator("[name=starts_on]").fill(today.isoformat())
    desk.locator("[name=ends_on]").fill((today + datetime.timedelta(days=90)).isoformat())
    desk.locator("[name=lead_unit]").fill("市纪委监委第三监督检查室")
    desk.locator("[name=rules][value=collision_ghost_recipient]").check()
    desk.get_by_role("button", name="保存").click()
    desk.get_by_text("已保存").first.wait_for()
    for text in ("奖补资金是否按时拨付", "是否存在重复申领"):
        desk.locator("[name=text]").fill(text)
        desk.get_by_role("button", name="添加事项").click()
        desk.get_by_text(text).wait_for()
    desk.get_by_role("button", name="启动专项整治").click()
    desk.locator("#campaign-status", has_text="开展中").wait_for()
    campaign = Campaign.objects.get()
    assert list(ParkReturn.objects.values_list("park", flat=True)) == [park.pk]  # covered parks only
    assert other.pk not in campaign.parks.values_list("pk", flat=True)

    # The park officer fills in and returns the checklist.
    park_desk = login(browser_page("officer"), officer)
    park_desk.goto(f"{live_server.url}/campaigns/returns/")
    park_desk.get_by_role("link", name="平顶山高新区").click()
    park_desk.get_by_role("button", name="报送自查自纠").click()  # nothing answered: refused, in Chinese
    park_desk.get_by_text("请填写“奖补资金是否按时拨付”的自查结果。").wait_for()
    for radio in park_desk.locator("input[type=radio][value=done]").all():
        radio.check()
    park_desk.get_by_role("button", name="报送自查自纠").click()
    park_desk.locator("#return-status", has_text="已提交").wait_for()

    # An inspector of the park passes it.
    staff = login(browser_page("inspector"), inspector)
    park_return = ParkReturn.objects.get()
    staff.goto(f"{live_server.url}/campaigns/returns/{park_return.pk}/")
    staff.get_by_role("button", name="审核通过").click()
    staff.locator("#return-status", has_text="已通过").wait_for()

    # The alert becomes a finding of the campaign in one action.
    staff.goto(f"{live_server.url}/risks/alerts/{alert.pk}/")
    staff.get_by_label("纳入专项整治").select_option(label="惠企奖补资金发放专项整治")
    staff.get_by_role("button", name="转为问题").click()
    staff.get_by_text("预警已转为问题，请分派整改任务。").wait_for()
    staff.get_by_role("link", name="惠企奖补资金发放专项整治").wait_for()
    assert CampaignFinding.objects.get().finding.alert == alert

    # The board counts it; the printable report shows the same figures.
    desk.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert desk.locator("[data-figure=findings]").first.inner_text() == "1"
    desk.get_by_role("link", name="打印报告").click()
    desk.get_by_role("heading", name="专项整治报告").wait_for()
    assert "已通过" in desk.locator("table").inner_text()
    desk.get_by_role("button", name="打印").wait_for()

    # Tagged by mistake after all: the inspector takes it off the campaign from its findings list, with a
    # reason; the board follows, and the finding's page says who took it off and why.
    staff.goto(f"{live_server.url}/campaigns/{campaign.pk}/findings/")
    staff.get_by_text("移出专项整治").first.click()  # the folded form opens
    staff.get_by_label("移出理由").fill("误标：该线索属另一专项")
    staff.get_by_role("button", name="移出专项整治").click()
    staff.get_by_text("已移出专项整治“惠企奖补资金发放专项整治”。").wait_for()
    assert not CampaignFinding.objects.exists()
    desk.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert desk.locator("[data-figure=findings]").first.inner_text() == "0"
    staff.goto(f"{live_server.url}{Alert.objects.get(pk=alert.pk).finding.get_absolute_url()}")
    staff.get_by_text("误标：该线索属另一专项").wait_for()
