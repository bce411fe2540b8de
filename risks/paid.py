"""``Subsidy.paid_total``: what a subsidy's payments add up to, stored on the subsidy so that the figures
built on it (what is outstanding, the subsidies not landed) read an indexed column instead of summing the
payments of every subsidy. It is written here only, after every payment write: the services behind the
form, the API and the admin (through the signals of ``risks.signals``), the payment import (bulk, no
signals: it calls ``sync_paid_totals`` itself), and bulk loaders such as the benchmark's seeder, which
call ``sync_paid_totals()`` once at the end. Recomputed from the payments, never incremented, so a
repeated or missed call is mended by the next one."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import models, transaction
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Subsidy, SubsidyPayment

MONEY = models.DecimalField(max_digits=18, decimal_places=2)


def payments_sum():
    """SUM(amount) of the payments of the subsidy in the outer query (0 without payments)."""
    total = (
        SubsidyPayment.objects.filter(subsidy=OuterRef("pk"))
        .order_by()
        .values("subsidy")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0.00"), output_field=MONEY))


def sync_paid_totals(subsidy_ids: Iterable[int] | None = None) -> int:
    """Set ``paid_total`` to the sum of the payments for these subsidies (every subsidy when None).

    The subsidies are locked first (in a fixed order), then summed in a second statement: under READ
    COMMITTED that statement sees every payment committed by a writer that held the lock before us, so two
    payments recorded at once cannot leave a total that misses one of them."""
    if subsidy_ids is None:
        return Subsidy.objects.update(paid_total=payments_sum())
    ids = sorted({pk for pk in subsidy_ids if pk is not None})
    if not ids:
        return 0
    with transaction.atomic():
        subsidies = Subsidy.objects.filter(pk__in=ids)
        list(subsidies.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
        return subsidies.update(paid_total=payments_sum())


def drifted() -> models.QuerySet[Subsidy]:
    """Subsidies whose stored ``paid_total`` is not the sum of their payments (none, when all is well)."""
    return Subsidy.objects.alias(summed=payments_sum()).exclude(paid_total=models.F("summed"))
