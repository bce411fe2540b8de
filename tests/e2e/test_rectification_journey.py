"""Journey 2: an alert becomes a finding and a rectification task; the reminder job reminds its owner;
the owner submits evidence and cannot close the task; an inspector verifies it and the park's figures move."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.choices import Role
from core.workdays import add_working_days, is_working_day
from inspections.choices import TaskStatus
from inspections.models import RectificationTask
from risks.models import Alert
from tests.factories import EnterpriseFactory, ParkFactory, SubsidyFactory, UserFactory

pytestmark = pytest.mark.e2e


def figures(page, url: str) -> dict[str, str]:
    """The park page's figure cards, label → number as shown."""
    page.goto(url)
    cards = page.locator(".portal-card.text-center")
    return {
        card.locator(".portal-figure-label").inner_text().strip(): card.locator(".portal-figure").inner_text().strip()
        for card in cards.all()
    }


def next_working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def test_an_alert_becomes_a_rectification_that_is_reminded_submitted_and_verified_by_an_inspector_only(
    browser_page, login, live_server
):
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park], name="纪检干部甲")
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[park], name="园区干部乙")
    SubsidyFactory(enterprise=EnterpriseFactory(park=park), approved_on=datetime.date(2026, 1, 5))
    alert = Alert.objects.get(rule="subsidy_not_landed")  # raised by the rules when the ledger row was saved
    # The reminder job runs on a working day (Chinese calendar: holidays and make-up days count); the
    # deadline is three working days after it, so that day's run reminds the owner.
    run_day = next_working_day(timezone.localdate() + datetime.timedelta(days=1))
    deadline = add_working_days(run_day, 3)

    staff = login(browser_page("inspector"), inspector)
    park_url = f"{live_server.url}/parks/{park.code}/"
    before = figures(staff, park_url)
    staff.goto(f"{live_server.url}/risks/alerts/{alert.pk}/")
    staff.get_by_role("button", name="转为问题").click()
    staff.get_by_text("预警已转为问题，请分派整改任务。").wait_for()
    staff.locator("[name=owner]").select_option(label="园区干部乙")
    staff.locator("[name=measures]").fill("一个月内完成奖补资金拨付，并建立拨付台账。")
    staff.locator("[name=deadline]").fill(deadline.isoformat())
    staff.get_by_role("button", name="派单").click()
    staff.get_by_text("整改任务已分派").wait_for()
    task = RectificationTask.objects.get()
    assert task.owner == officer and task.deadline == deadline
    assert figures(staff, park_url)["未销号任务"] == str(int(before["未销号任务"]) + 1)

    call_command("send_reminders", date=run_day.isoformat())

    # The officer sees the reminder in the inbox and follows it to the task.
    owner = login(browser_page("officer"), officer)
    owner.goto(f"{live_server.url}/inbox/")
    reminder = owner.get_by_role("link", name=re.compile(f"整改任务还有 3 个工作日到期（{deadline.isoformat()}）"))
    reminder.click()
    owner.wait_for_url(f"**/rectification/{task.pk}/")
    submit = owner.locator("form:has(input[name=step][value=submit])")
    submit.locator("[name=evidence]").fill("奖补资金 100,000.00 元已于本周拨付到企业账户，拨付台账已建立。")
    submit.locator("[name=recovered_losses]").fill("12000")
    submit.get_by_role("button", name="提交").click()
    owner.get_by_text("已提交待验收").first.wait_for()

    # The owner has no verify button, and a forged verify is refused.
    assert owner.get_by_role("button", name="验收销号").count() == 0
    token = owner.locator("[name=csrfmiddlewaretoken]").first.input_value()
    forged = owner.request.post(
        f"{live_server.url}/rectification/{task.pk}/",
        form={"csrfmiddlewaretoken": token, "step": "verify"},
        headers={"Referer": owner.url},
    )
    assert forged.status == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED and task.verified_by is None

    # The inspector verifies it; the park's figures change.
    staff.goto(f"{live_server.url}/rectification/{task.pk}/")
    staff.get_by_role("button", name="验收销号").click()
    staff.get_by_text("纪检干部甲").first.wait_for()
    task.refresh_from_db()
    assert task.status == TaskStatus.VERIFIED and task.verified_by == inspector
    after = figures(staff, park_url)
    assert after["未销号任务"] == before["未销号任务"]
    assert after["已销号"] == str(int(before["已销号"]) + 1)
    assert after["挽回经济损失（元）"] == "12,000.00"
