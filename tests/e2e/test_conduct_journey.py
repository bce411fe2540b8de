"""Journey: a park official registers a contact; the negative list refuses it with the reason, keeping what
was typed; the official ticks "self-report" and sends it again; the park's inspector finds it in the inbox
and among the self-reports awaiting review, and marks it reviewed."""

import importlib

import pytest
from django.apps import apps

from accounts.choices import Role
from conduct.models import ContactRegistration
from tests.factories import EnterpriseFactory, ParkFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_an_official_is_refused_then_self_reports_and_the_inspector_sees_it(browser_page, login, live_server):
    importlib.import_module("conduct.migrations.0002_default_lists").install(apps, None)  # after a flush
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    firm = EnterpriseFactory(park=park, name="平顶山高新电气设备有限公司")
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park], name="纪检干部甲")
    official = UserFactory(role=Role.PARK_OFFICER, parks=[park], name="园区干部乙")

    page = login(browser_page("official"), official)
    page.get_by_role("button", name="政商交往与清廉文化").click()
    page.get_by_role("link", name="我的交往报备").click()
    page.get_by_role("link", name="新增").click()
    page.locator("[name=park]").select_option(label=park.name)
    page.locator("[name=enterprise]").select_option(label=firm.name)
    page.locator("[name=place]").fill("园区附近餐馆")
    page.locator("[name=purpose]").fill("协调企业用电增容，会后企业安排了工作餐")
    page.get_by_role("radio", name="企业支付").check()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("该交往与负面清单相符").wait_for()
    page.get_by_text("接受企业宴请或由企业支付餐费", exact=False).first.wait_for()
    assert page.locator("[name=purpose]").input_value() == "协调企业用电增容，会后企业安排了工作餐"
    assert not ContactRegistration.objects.exists()

    page.get_by_role("checkbox", name="主动报告").check()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已作为主动报告记录").wait_for()
    registration = ContactRegistration.objects.get()
    assert registration.self_reported and registration.official == official

    staff = login(browser_page("inspector"), inspector)
    staff.goto(f"{live_server.url}/inbox/")
    staff.get_by_role("link", name="园区干部乙 主动报告与平顶山高新电气设备有限公司的交往").click()
    staff.wait_for_url(f"**/conduct/registrations/{registration.pk}/")
    staff.get_by_text("接受企业宴请或由企业支付餐费").wait_for()
    staff.get_by_role("button", name="政商交往与清廉文化").click()
    staff.get_by_role("link", name="待查看的主动报告").click()
    staff.get_by_role("link", name=registration.contact_on.isoformat()).click()
    staff.get_by_role("button", name="标记主动报告已查看").click()
    staff.get_by_text("已标记为已查看。").wait_for()
    registration.refresh_from_db()
    assert registration.reviewed_by == inspector

    # The park's 清廉文化 ledger: the inspector records an activity and finds it counted on the park page.
    staff.goto(f"{live_server.url}/conduct/activities/new/")
    staff.locator("[name=park]").select_option(label=park.name)
    staff.locator("[name=kind]").select_option(label="警示教育")
    staff.locator("[name=title]").fill("观看警示教育片《镜鉴》")
    staff.locator("[name=audience]").select_option(label="园区干部")
    staff.locator("[name=attendance]").fill("48")
    staff.get_by_role("button", name="保存").click()
    staff.get_by_role("heading", name="观看警示教育片《镜鉴》").wait_for()
    staff.goto(f"{live_server.url}/parks/{park.code}/")
    card = staff.locator(".portal-card", has_text="本年清廉文化活动")
    assert card.locator(".portal-figure").inner_text().strip() == "1"
