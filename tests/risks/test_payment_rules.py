"""One path for payment writes: the payment form, the API, the import and the Django admin refuse the
same bad payment with the same Chinese message (they all call risks.validation), save nothing, and
save the good one."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from risks.models import SubsidyPayment
from tests.factories import SubsidyFactory, SubsidyPaymentFactory

PAYMENT_HEADERS = ["统一社会信用代码", "政策名称", "所属期间", "凭证号", "拨付日期", "拨付金额"]


@pytest.fixture
def subsidy(world):
    """Approved 100,000.00 on 2026-03-01; 40,000.00 already paid (voucher PZ-OLD)."""
    subsidy = SubsidyFactory(
        enterprise=world["ent_a"], approved_amount=Decimal("100000"), approved_on=datetime.date(2026, 3, 1)
    )
    SubsidyPaymentFactory(
        subsidy=subsidy, amount=Decimal("40000"), paid_on=datetime.date(2026, 3, 10), voucher_no="PZ-OLD"
    )
    return subsidy


# --- the four channels: each posts one payment row and answers what the user reads -------------------------


def _by_form(client, world, subsidy, row):
    client.force_login(world["officer"])
    post = {"paid_on": row["paid_on"], "amount": row["amount"], "voucher_no": row["voucher_no"]}
    return client.post(subsidy.get_absolute_url(), post).content.decode()


def _by_api(client, world, subsidy, row):
    client.force_login(world["officer"])
    response = client.post(
        reverse("subsidy-payments", args=[subsidy.pk]),
        {"paid_on": row["paid_on"], "amount": row["amount"], "voucher_no": row["voucher_no"]},
        content_type="application/json",
    )
    if response.status_code == 201:
        return ""
    return " ".join(message for messages in response.json()["fields"].values() for message in messages)


def _by_import(client, world, subsidy, row):
    client.force_login(world["officer"])
    book = openpyxl.Workbook()
    book.active.append(PAYMENT_HEADERS)
    book.active.append(
        [
            subsidy.enterprise.credit_code,
            subsidy.policy,
            subsidy.period,
            row["voucher_no"],
            row["paid_on"],
            row["amount"],
        ]
    )
    data = io.BytesIO()
    book.save(data)
    preview = client.post(
        reverse("imports:upload", args=["payments"]), {"file": SimpleUploadedFile("payments.xlsx", data.getvalue())}
    )
    if preview.context["report"].ok:
        client.post(reverse("imports:upload", args=["payments"]), {"token": preview.context["token"]})
    return preview.content.decode()


def _by_admin(client, world, subsidy, row):
    client.force_login(world["admin"])
    existing = SubsidyPayment.objects.filter(voucher_no=row["voucher_no"]).first()
    post = {"subsidy": subsidy.pk, "paid_on": row["paid_on"], "amount": row["amount"], "voucher_no": row["voucher_no"]}
    if existing is None:
        response = client.post(reverse("admin:risks_subsidypayment_add"), post)
    else:
        response = client.post(reverse("admin:risks_subsidypayment_change", args=[existing.pk]), post)
    return response.content.decode()


CHANNELS = {"form": _by_form, "api": _by_api, "import": _by_import, "admin": _by_admin}

BAD_ROWS = {
    "before-approval": (
        {"voucher_no": "PZ-NEW", "paid_on": "2026-02-28", "amount": "1000.00"},
        "拨付日期不能早于批准日期（2026-03-01）。",
    ),
    "more-than-outstanding": (
        {"voucher_no": "PZ-NEW", "paid_on": "2026-03-20", "amount": "60000.01"},
        "60,000.01 超过未拨付余额 60,000.00",
    ),
    "five-times-the-approved-amount": (
        {"voucher_no": "PZ-NEW", "paid_on": "2026-03-20", "amount": "500000.00"},
        "500,000.00 超过未拨付余额 60,000.00",
    ),
    # Correcting PZ-OLD (40,000.00) to 100,000.01: its own old amount does not count, the rest does.
    "update-pushing-it-over": (
        {"voucher_no": "PZ-OLD", "paid_on": "2026-03-10", "amount": "100000.01"},
        "100,000.01 超过未拨付余额 100,000.00",
    ),
}
# The form and the API record payments; correcting one is done in the admin or by importing it again.
UPDATES = {"import", "admin"}


@pytest.mark.parametrize(
    ("case", "channel"),
    [
        (case, channel)
        for case in BAD_ROWS
        for channel in CHANNELS
        if case != "update-pushing-it-over" or channel in UPDATES
    ],
)
def test_every_channel_refuses_a_bad_payment_with_the_same_message(client, world, subsidy, case, channel):
    row, message = BAD_ROWS[case]
    before = sorted(SubsidyPayment.objects.values_list("voucher_no", "amount", "paid_on"))
    body = CHANNELS[channel](client, world, subsidy, row)
    assert message in body
    assert sorted(SubsidyPayment.objects.values_list("voucher_no", "amount", "paid_on")) == before


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_saves_a_good_payment(client, world, subsidy, channel):
    CHANNELS[channel](client, world, subsidy, {"voucher_no": "PZ-NEW", "paid_on": "2026-03-20", "amount": "60000.00"})
    payment = SubsidyPayment.objects.get(voucher_no="PZ-NEW")
    assert (payment.amount, payment.park_id, payment.overpayment_confirmed) == (
        Decimal("60000"),
        subsidy.park_id,
        False,
    )


@pytest.mark.parametrize("channel", sorted(UPDATES))
def test_correcting_a_payment_within_the_outstanding_amount_is_saved(client, world, subsidy, channel):
    CHANNELS[channel](client, world, subsidy, {"voucher_no": "PZ-OLD", "paid_on": "2026-03-10", "amount": "100000.00"})
    assert SubsidyPayment.objects.get(voucher_no="PZ-OLD").amount == Decimal("100000")


@pytest.mark.parametrize("channel", ["form", "api", "import"])
def test_a_payment_on_a_subsidy_of_another_park_is_refused(client, world, channel):
    other = SubsidyFactory(enterprise=world["ent_b"], approved_on=datetime.date(2026, 3, 1))
    CHANNELS[channel](client, world, other, {"voucher_no": "PZ-NEW", "paid_on": "2026-03-20", "amount": "1000.00"})
    assert not SubsidyPayment.objects.exists()


def test_the_admin_has_no_park_field_and_puts_a_payment_in_its_subsidys_park(client, world, subsidy):
    client.force_login(world["admin"])
    page = client.get(reverse("admin:risks_subsidypayment_add")).content.decode()
    assert 'name="park"' not in page
    post = {"subsidy": subsidy.pk, "park": world["park_b"].pk, "paid_on": "2026-03-20", "amount": "100.00"}
    client.post(reverse("admin:risks_subsidypayment_add"), {**post, "voucher_no": "PZ-NEW"})
    assert SubsidyPayment.objects.get(voucher_no="PZ-NEW").park == world["park_a"]


def test_the_subsidy_page_of_the_admin_shows_payments_without_editing_them(client, world, subsidy):
    client.force_login(world["admin"])
    page = client.get(reverse("admin:risks_subsidy_change", args=[subsidy.pk])).content.decode()
    assert "PZ-OLD" in page
    assert 'name="payments-0-amount"' not in page and 'name="payments-TOTAL_FORMS"' in page
    assert reverse("admin:risks_subsidypayment_add") + f"?subsidy={subsidy.pk}" in page


def test_the_admin_records_an_over_payment_only_when_ticked(client, world, subsidy):
    client.force_login(world["admin"])
    post = {"subsidy": subsidy.pk, "paid_on": "2026-03-20", "amount": "500000.00", "voucher_no": "PZ-NEW"}
    refused = client.post(reverse("admin:risks_subsidypayment_add"), post).content.decode()
    assert "如确已超额拨付，请勾选“确认超额拨付”" in refused
    client.post(reverse("admin:risks_subsidypayment_add"), {**post, "allow_overpayment": "on"})
    assert SubsidyPayment.objects.get(voucher_no="PZ-NEW").overpayment_confirmed


def test_a_duplicate_voucher_in_the_admin_is_explained_not_a_server_error(client, world, subsidy):
    client.force_login(world["admin"])
    post = {"subsidy": subsidy.pk, "paid_on": "2026-03-20", "amount": "10.00", "voucher_no": "PZ-OLD"}
    response = client.post(reverse("admin:risks_subsidypayment_add"), post)
    assert response.status_code == 200 and "凭证号" in response.content.decode()
    assert SubsidyPayment.objects.count() == 1


def test_an_admin_payment_without_a_subsidy_is_explained(client, world):
    client.force_login(world["admin"])
    post = {"paid_on": "2026-03-20", "amount": "10.00", "voucher_no": "PZ-NEW"}
    response = client.post(reverse("admin:risks_subsidypayment_add"), post)
    assert response.status_code == 200 and "errornote" in response.content.decode()
