"""How long the nightly alert rescan takes on big ledgers, and what the set-based rules save.

Fills a throwaway PostgreSQL database with SUBSIDIES subsidies (half of them partly paid), as many
decisions and contracts, then times:
  - the full rescan (every rule, every park), first run (raising) and second run (refreshing);
  - one rule, "subsidy not landed", set-based (the engine's query) against the baseline a naive
    implementation would be: load every subsidy with its payments and check it in Python.
Prints seconds and the ratio naive/set-based.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/rescan.py [SUBSIDIES]
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
PARKS = 20


def fill() -> None:
    from parks.models import Enterprise, Park
    from risks.models import Subsidy, SubsidyPayment
    from risks.paid import sync_paid_totals
    from tests.factories import valid_credit_code

    today = timezone.localdate()
    parks = Park.objects.bulk_create(
        Park(code=f"B{i:03d}", name=f"园区{i}", level="provincial", kind="industrial", region="某市")
        for i in range(PARKS)
    )
    firms = Enterprise.objects.bulk_create(
        Enterprise(credit_code=valid_credit_code(i), name=f"企业{i}", park=parks[i % PARKS]) for i in range(2000)
    )
    subsidies = Subsidy.objects.bulk_create(
        (
            Subsidy(
                park=firms[i % 2000].park,
                enterprise=firms[i % 2000],
                policy=f"政策{i % 17}",
                period=str(2020 + i % 7),
                approved_amount=Decimal(100000),
                approved_on=today - datetime.timedelta(days=i % 400),
            )
            for i in range(N)
        ),
        batch_size=5000,
    )
    SubsidyPayment.objects.bulk_create(
        (
            SubsidyPayment(
                park_id=s.park_id,
                subsidy=s,
                paid_on=s.approved_on,
                amount=Decimal(50000 + (i % 3) * 25000),
                voucher_no=f"V{i}",
            )
            for i, s in enumerate(subsidies)
            if i % 2 == 0
        ),
        batch_size=5000,
    )
    sync_paid_totals()  # bulk_create sends no signal: Subsidy.paid_total from the payments, once
    _fill_decisions_and_contracts(parks, firms, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _fill_decisions_and_contracts(parks, firms, today) -> None:
    from risks.models import Contract, Decision, Project

    Decision.objects.bulk_create(
        (
            Decision(
                park=parks[i % PARKS], kind="large_funds", subject=f"事项{i}", amount=Decimal(400000 + i % 5 * 100000),
                meeting_on=today if i % 3 else None, meeting_kind="party_committee" if i % 3 else "",
                members_entitled=9 if i % 3 else None, members_present=(5 + i % 5) if i % 3 else None, has_minutes=bool(i % 4),
            )
            for i in range(N)
        ),
        batch_size=5000,
    )  # fmt: skip
    projects = Project.objects.bulk_create(Project(park=parks[i % PARKS], name=f"项目{i}") for i in range(N // 20))
    Contract.objects.bulk_create(
        (
            Contract(
                project=projects[i % len(projects)], number=f"C{i}", contractor=firms[i % 2000],
                procurement_method=("direct", "open_tender", "inquiry")[i % 3], amount=Decimal(1000000 + (i % 7) * 700000),
                signed_on=today - datetime.timedelta(days=i % 300), integrity_contract=bool(i % 5),
            )
            for i in range(N)
        ),
        batch_size=5000,
    )  # fmt: skip


def naive_not_landed(today):
    """The baseline: every subsidy and its payments loaded, the rule checked row by row in Python."""
    from risks.models import Subsidy

    cutoff = today - datetime.timedelta(days=30)
    hits = []
    for subsidy in Subsidy.objects.prefetch_related("payments"):
        paid = sum((p.amount for p in subsidy.payments.all()), Decimal(0))
        if paid < subsidy.approved_amount and subsidy.approved_on <= cutoff:
            hits.append(subsidy.pk)
    return hits


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    from risks.engine import evaluate_all
    from risks.rules import REGISTRY

    today = timezone.localdate()
    first, outcome = timed(evaluate_all)
    second, again = timed(evaluate_all)
    print(f"{N} subsidies, {N} decisions, {N} contracts in {PARKS} parks")
    print(f"full rescan, first run:  {first:6.2f} s  raised {outcome.raised}")
    print(f"full rescan, second run: {second:6.2f} s  refreshed {again.refreshed}, raised {again.raised}")
    rule = REGISTRY["subsidy_not_landed"]
    set_based, ids = timed(lambda: list(rule.offenders(today).values_list("pk", flat=True)))
    naive, naive_ids = timed(lambda: naive_not_landed(today))
    assert sorted(ids) == sorted(naive_ids)
    print(
        f"'subsidy not landed': set-based {set_based:.3f} s, naive Python loop {naive:.3f} s, ratio {naive / set_based:.1f}x"
    )


if __name__ == "__main__":
    old = setup_databases(verbosity=0, interactive=False)
    try:
        fill()
        main()
    finally:
        teardown_databases(old, verbosity=0)
