"""``Subsidy.paid_total`` is the sum of the subsidy's payments after every write path — the payment form,
the API, the import (new and corrected rows), the admin (new and corrected), a payment deleted, a subsidy
saved from a stale copy, and bulk loads mended by ``sync_paid_totals`` — so the figures built on it (what
is outstanding, the subsidies not landed) are the ones the payments say."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from risks import services
from risks.models import Subsidy, SubsidyPayment
from risks.paid import drifted, sync_paid_totals
from tests.factories import SubsidyFactory, SubsidyPaymentFactory
from tests.risks.test_payment_rules import CHANNELS, UPDATES
from tests.risks.test_payment_rules import subsidy as subsidy  # the fixture


def assert_in_step(subsidy):
    subsidy.refresh_from_db()
    paid = SubsidyPayment.objects.filter(subsidy=subsidy).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    assert subsidy.paid_total == paid
    assert not drifted().exists()
    return subsidy.paid_total


def test_a_factory_payment_keeps_the_total_in_step(subsidy):
    assert assert_in_step(subsidy) == Decimal("40000")


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_that_records_a_payment_keeps_the_total_in_step(client, world, subsidy, channel):
    CHANNELS[channel](client, world, subsidy, {"voucher_no": "PZ-NEW", "paid_on": "2026-03-20", "amount": "60000.00"})
    assert SubsidyPayment.objects.filter(voucher_no="PZ-NEW").exists()
    assert assert_in_step(subsidy) == Decimal("100000")


@pytest.mark.parametrize("channel", sorted(UPDATES))
def test_every_channel_that_corrects_a_payment_keeps_the_total_in_step(client, world, subsidy, channel):
    CHANNELS[channel](client, world, subsidy, {"voucher_no": "PZ-OLD", "paid_on": "2026-03-10", "amount": "25000.00"})
    assert assert_in_step(subsidy) == Decimal("25000")


def test_a_refused_payment_leaves_the_total_alone(client, world, subsidy):
    CHANNELS["form"](client, world, subsidy, {"voucher_no": "PZ-NEW", "paid_on": "2026-03-20", "amount": "90000.00"})
    assert assert_in_step(subsidy) == Decimal("40000")


def test_the_service_update_and_a_deleted_payment_keep_the_total_in_step(world, subsidy):
    payment = SubsidyPayment.objects.get(voucher_no="PZ-OLD")
    services.payment_update(
        actor=world["officer"], payment=payment, paid_on=payment.paid_on, amount=Decimal("70000"), voucher_no="PZ-OLD"
    )
    assert assert_in_step(subsidy) == Decimal("70000")
    payment.delete()
    assert assert_in_step(subsidy) == Decimal("0")


def test_a_subsidy_saved_from_a_stale_copy_does_not_undo_a_payment(world, subsidy):
    stale = Subsidy.objects.get(pk=subsidy.pk)  # read before the payment below, as a form would
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("10000"), paid_on=datetime.date(2026, 3, 20))
    stale.policy = "改名后的政策"
    services.ledger_save(actor=world["officer"], instance=stale)
    assert assert_in_step(subsidy) == Decimal("50000")


def test_the_subsidy_page_and_the_api_show_the_stored_total(client, world, subsidy):
    client.force_login(world["officer"])
    assert "40,000.00" in client.get(subsidy.get_absolute_url()).content.decode()
    row = client.get(reverse("subsidy-detail", args=[subsidy.pk])).json()
    assert (Decimal(row["paid_total"]), Decimal(row["outstanding"])) == (Decimal("40000"), Decimal("60000"))


def test_bulk_loads_are_brought_in_step_by_one_call(world):
    subsidies = [SubsidyFactory(enterprise=world["ent_a"], approved_amount=Decimal("1000")) for _ in range(3)]
    SubsidyPayment.objects.bulk_create(
        SubsidyPayment(park_id=s.park_id, subsidy=s, paid_on=s.approved_on, amount=Decimal(100 * n), voucher_no=f"B{n}")
        for n, s in enumerate(subsidies, start=1)
    )
    assert drifted().count() == 3  # bulk_create sends no signal
    assert sync_paid_totals() == 3
    assert [assert_in_step(s) for s in subsidies] == [Decimal("100"), Decimal("200"), Decimal("300")]


def test_sync_of_nothing_writes_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert sync_paid_totals([]) == 0
