"""How long the nightly alert rescan takes on big ledgers, rule by rule and at two sizes.

Fills a throwaway PostgreSQL database with SUBSIDIES subsidies (half of them partly paid, 2 % of the
claims approved twice and paid under both approvals), as many decisions and contracts, then times:
  - the full rescan (every rule, every park), first run (raising) and second run (refreshing), with the
    time of each rule — at a tenth of SUBSIDIES and at SUBSIDIES, so that the growth of each rule shows
    (a linear rule grows about 10×);
  - the planner's row estimate against the real count for the "subsidy claimed twice" query, and the
    JIT time PostgreSQL spent on it (a misestimate crossing jit_above_cost shows here);
  - one rule, "subsidy not landed", set-based (the engine's query) against the baseline a naive
    implementation would be: load every subsidy with its payments and check it in Python.
Prints seconds and ratios. ``run(size)`` returns the figures as a dict (for a combined benchmark).

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/rescan.py [SUBSIDIES]
"""

import datetime
import json
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

PARKS = 20
FIRMS = 2000
#: One subsidy in DUPLICATE_EVERY repeats the claim (enterprise, policy, period) of the one before it.
DUPLICATE_EVERY = 50


def fill(start: int, stop: int) -> None:
    """Add subsidies number ``start`` to ``stop`` (and as many decisions and contracts); parks and
    enterprises are created on the first call."""
    from parks.models import Enterprise, Park

    today = timezone.localdate()
    parks = list(Park.objects.filter(code__startswith="B").order_by("code"))
    if not parks:
        parks = Park.objects.bulk_create(
            Park(code=f"B{i:03d}", name=f"园区{i}", level="provincial", kind="industrial", region="某市")
            for i in range(PARKS)
        )
        from tests.factories import valid_credit_code

        Enterprise.objects.bulk_create(
            Enterprise(credit_code=valid_credit_code(i), name=f"企业{i}", park=parks[i % PARKS]) for i in range(FIRMS)
        )
    firms = list(Enterprise.objects.order_by("credit_code").select_related("park"))
    _fill_subsidies(firms, start, stop, today)
    _fill_decisions_and_contracts(parks, firms, start, stop, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _claim(i: int) -> int:
    """The claim number of subsidy ``i``: every DUPLICATE_EVERY-th repeats the previous one's."""
    return i - 1 if i % DUPLICATE_EVERY == 1 else i


def _fill_subsidies(firms, start: int, stop: int, today) -> None:
    from risks.models import Subsidy, SubsidyPayment

    subsidies = Subsidy.objects.bulk_create(
        (
            Subsidy(
                park=firms[_claim(i) % FIRMS].park,
                enterprise=firms[_claim(i) % FIRMS],
                policy=f"政策{_claim(i) // FIRMS}",
                period=str(2020 + _claim(i) % 7),
                approved_amount=Decimal(100000),
                approved_on=today - datetime.timedelta(days=i % 400),
            )
            for i in range(start, stop)
        ),
        batch_size=5000,
    )
    SubsidyPayment.objects.bulk_create(
        (
            SubsidyPayment(
                park_id=s.park_id,
                subsidy=s,
                paid_on=s.approved_on,
                amount=Decimal(100000 if _claim(i) != i or (i + 1) % DUPLICATE_EVERY == 1 else 50000 + (i % 3) * 25000),
                voucher_no=f"V{i}",
            )
            for i, s in enumerate(subsidies, start)
            if i % 2 == 0 or _claim(i) != i or (i + 1) % DUPLICATE_EVERY == 1
        ),
        batch_size=5000,
    )
    from risks.paid import sync_paid_totals

    sync_paid_totals([s.pk for s in subsidies])  # bulk_create sends no signal: Subsidy.paid_total, once


def _fill_decisions_and_contracts(parks, firms, start: int, stop: int, today) -> None:
    from risks.models import Contract, Decision, Project

    Decision.objects.bulk_create(
        (
            Decision(
                park=parks[i % PARKS], kind="large_funds", subject=f"事项{i}", amount=Decimal(400000 + i % 5 * 100000),
                meeting_on=today if i % 3 else None, meeting_kind="party_committee" if i % 3 else "",
                members_entitled=9 if i % 3 else None, members_present=(5 + i % 5) if i % 3 else None, has_minutes=bool(i % 4),
            )
            for i in range(start, stop)
        ),
        batch_size=5000,
    )  # fmt: skip
    projects = Project.objects.bulk_create(
        Project(park=parks[i % PARKS], name=f"项目{i}") for i in range(start // 20, max(stop // 20, start // 20 + 1))
    )
    Contract.objects.bulk_create(
        (
            Contract(
                project=projects[i % len(projects)], number=f"C{i}", contractor=firms[i % FIRMS],
                procurement_method=("direct", "open_tender", "inquiry")[i % 3], amount=Decimal(1000000 + (i % 7) * 700000),
                signed_on=today - datetime.timedelta(days=i % 300), integrity_contract=bool(i % 5),
            )
            for i in range(start, stop)
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


def explain(queryset) -> dict:
    """The planner's estimate and the real row count of ``queryset``, and the JIT time (0 without JIT)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    jit = plan.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
    return {
        "estimated_rows": plan["Plan"]["Plan Rows"],
        "actual_rows": plan["Plan"]["Actual Rows"],
        "jit_ms": round(jit, 1),
        "execution_ms": round(plan["Execution Time"], 1),
    }


def rescan_by_rule() -> tuple[dict, dict]:
    """Every rule evaluated twice (raising, then refreshing): seconds per rule for each run."""
    from risks.engine import evaluate
    from risks.rules import REGISTRY

    first, second, raised = {}, {}, {}
    for code, rule in REGISTRY.items():
        first[code], outcome = timed(lambda rule=rule: evaluate(rule))
        raised[code] = outcome.raised
    second = {code: timed(lambda rule=rule: evaluate(rule))[0] for code, rule in REGISTRY.items()}
    return first, second, raised


def run(size: int) -> dict:
    """Fill the current (empty or smaller) database up to ``size`` subsidies and measure."""
    from risks.models import Alert, Subsidy
    from risks.rules import REGISTRY

    fill(Subsidy.objects.count(), size)
    Alert.objects.all().delete()
    today = timezone.localdate()
    first, second, raised = rescan_by_rule()
    duplicate = explain(REGISTRY["subsidy_duplicate"].offenders(today).values("pk"))
    rule = REGISTRY["subsidy_not_landed"]
    set_based, ids = timed(lambda: list(rule.offenders(today).values_list("pk", flat=True)))
    naive, naive_ids = timed(lambda: naive_not_landed(today))
    assert sorted(ids) == sorted(naive_ids)
    return {
        "size": size,
        "first_s": sum(first.values()),
        "second_s": sum(second.values()),
        "rules_first_s": first,
        "rules_second_s": second,
        "rules_raised": raised,
        "alerts": Alert.objects.count(),
        "duplicate_plan": duplicate,
        "not_landed_set_s": set_based,
        "not_landed_naive_s": naive,
    }


def report(small: dict, big: dict) -> None:
    for result in (small, big):
        print(
            f"{result['size']} subsidies, decisions and contracts each: first run {result['first_s']:.2f} s "
            f"({result['alerts']} alerts), second run {result['second_s']:.2f} s; "
            f"'subsidy claimed twice' plan: {result['duplicate_plan']}; 'subsidy not landed' set-based "
            f"{result['not_landed_set_s']:.3f} s vs naive {result['not_landed_naive_s']:.3f} s"
        )
    # A rule's time follows its alerts too (the engine writes each): the alerts raised are shown with it.
    print(f"\n{'rule':28} {small['size']:>10} {big['size']:>10}  growth (first run; second run)  alerts")
    for code in small["rules_first_s"]:
        a, b = small["rules_first_s"][code], big["rules_first_s"][code]
        c, d = small["rules_second_s"][code], big["rules_second_s"][code]
        alerts = f"{small['rules_raised'][code]} → {big['rules_raised'][code]}"
        print(f"{code:28} {a:9.3f}s {b:9.3f}s  {b / a:5.1f}x; {d / c:5.1f}x  {alerts}")
    print(f"{'total':28} {small['first_s']:9.3f}s {big['first_s']:9.3f}s  {big['first_s'] / small['first_s']:5.1f}x")


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    small = run(max(size // 10, 100))
    big = run(size)
    report(small, big)


if __name__ == "__main__":
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main()
    finally:
        teardown_databases(old, verbosity=0)
