import datetime
from decimal import Decimal

import pytest

from campaigns import services
from campaigns.models import Campaign
from inspections import services as inspection_services
from inspections.models import AccountabilityMeasure
from tests.factories import FindingFactory, TaskFactory

D = datetime.date


@pytest.fixture
def draft(world):
    """A campaign in preparation over parks A and B with a two-item checklist."""
    campaign = services.campaign_save(
        actor=world["admin"],
        campaign=Campaign(
            name="惠企奖补专项整治", theme="subsidies", starts_on=D(2026, 1, 5), ends_on=D(2026, 6, 30),
            lead_unit="第三监督检查室", rules=["subsidy_not_landed"], ledgers=["subsidies"],
        ),
        parks=[world["park_a"], world["park_b"]],
    )  # fmt: skip
    services.checklist_item_add(actor=world["admin"], campaign=campaign, text="奖补资金是否按时拨付")
    services.checklist_item_add(actor=world["admin"], campaign=campaign, text="是否存在重复申领")
    return campaign


@pytest.fixture
def launched(world, draft):
    # Launched Monday 2 February 2026: 10 working days later is the make-up Saturday 14 February (the
    # Spring Festival holiday follows, 15–23 February).
    services.campaign_launch(actor=world["admin"], campaign=draft, today=D(2026, 2, 2))
    draft.refresh_from_db()
    return draft


@pytest.fixture
def tagged(world, launched):
    """Park A: two tagged findings — one task verified with losses recovered and a form-2 measure, one task
    overdue — and an untagged finding that counts nowhere."""
    officer, inspector = world["officer"], world["inspector"]
    first = FindingFactory(park=world["park_a"], found_on=D(2026, 1, 5))
    second = FindingFactory(park=world["park_a"], found_on=D(2026, 1, 5))
    FindingFactory(park=world["park_a"])  # not tagged
    for finding in (first, second):
        services.finding_tag(actor=inspector, campaign=launched, finding=finding)
    done = TaskFactory(finding=first, owner=officer, deadline=D(2099, 1, 1))
    inspection_services.task_submit(actor=officer, task=done, evidence="已整改", recovered_losses=Decimal("5000"))
    inspection_services.task_verify(actor=inspector, task=done)
    AccountabilityMeasure.objects.create(task=done, kind="four_forms", form=2, person="某")
    TaskFactory(finding=second, owner=officer, deadline=D(2026, 1, 20))  # overdue
    return launched


def answers_for(park_return, result="done", note=""):
    return {answer.pk: {"result": result, "note": note} for answer in park_return.answers.all()}
