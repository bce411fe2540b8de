"""The collision rules at province scale: 100,000 enterprises with registrations and 500,000 registration
people (shareholders), loaded with COPY into a throwaway database next to the ledgers of bench/rescan.py,
with ties planted (shared shareholders between contractors and bidders of one project, officials' relatives among
recipients, deregistered recipients, recipients sharing a phone). Times each collision rule (first run:
raising; second run: refreshing) and prints it against the existing rescan of bench/rescan.py on the same
data (every other rule), so the ratio says what the collisions add to the nightly budget.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/collisions.py [ENTERPRISES] [SUBSIDIES]
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench import rescan  # noqa: E402

PEOPLE_PER_FIRM = 5
#: One enterprise in TIE_EVERY shares a shareholder with the next one (planted ties).
TIE_EVERY = 200


def copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        out.write(buffer.getvalue())


def seed_bids(enterprises: int) -> None:
    """The bids: each contractor won its project, one other bidder lost."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO risks_bid (project_id, enterprise_id, amount, submitted_on, won, created_at, updated_at)
            SELECT project_id, contractor_id, sum(amount), min(signed_on), true, now(), now()
              FROM risks_contract GROUP BY project_id, contractor_id
            UNION ALL
            SELECT p.id, e.id, NULL, '2026-01-01', false, now(), now() FROM risks_project p
              JOIN parks_enterprise e ON e.id = (SELECT min(id) FROM parks_enterprise) + p.id * 7919 %% %s
            ON CONFLICT DO NOTHING
        """,
            [enterprises],
        )


def seed_keys() -> None:
    """The registration keys of every record, and the planted ties."""
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO collisions_registrationkey (record_id, credit_code, kind, role, value, label)
            SELECT id, credit_code, 'person', 'legal_rep', legal_rep_id_hash, '张*' FROM collisions_registrationrecord
            UNION ALL SELECT p.record_id, r.credit_code, 'person', 'shareholder', p.id_hash, '李*'
              FROM collisions_registrationperson p JOIN collisions_registrationrecord r ON r.id = p.record_id
            UNION ALL SELECT id, credit_code, 'address', 'address', address_key, address FROM collisions_registrationrecord
            UNION ALL SELECT id, credit_code, 'phone', 'phone', phone_key, '0375****' FROM collisions_registrationrecord
        """)
        # Planted: the contractors and bidders of every 50th project share a person; the recipients of
        # 政策0 2020 in each park share a phone.
        cursor.execute("""
            INSERT INTO collisions_registrationkey (record_id, credit_code, kind, role, value, label)
            SELECT DISTINCT r.id, r.credit_code, 'person', 'shareholder', 'planted-' || c.project_id, '李*'
              FROM (SELECT project_id, contractor_id AS enterprise_id FROM risks_contract
                    UNION SELECT project_id, enterprise_id FROM risks_bid) c
              JOIN parks_enterprise e ON e.id = c.enterprise_id
              JOIN collisions_registrationrecord r ON r.credit_code = e.credit_code
             WHERE c.project_id % 50 = 0
            UNION
            SELECT DISTINCT r.id, r.credit_code, 'phone', 'phone', 'planted-' || s.park_id, '0375****'
              FROM risks_subsidy s JOIN parks_enterprise e ON e.id = s.enterprise_id
              JOIN collisions_registrationrecord r ON r.credit_code = e.credit_code
             WHERE s.policy = '政策0' AND s.period = '2020'
        """)
        cursor.execute("ANALYZE")


def seed(enterprises: int, subsidies: int) -> None:
    from collisions.identity import address_key, id_hash
    from parks.models import Park
    from risks.models import Official
    from tests.factories import valid_credit_code

    parks = Park.objects.bulk_create(
        Park(code=f"B{i:03d}", name=f"园区{i}", level="provincial", kind="industrial", region="某市")
        for i in range(rescan.PARKS)
    )
    codes = [valid_credit_code(i) for i in range(enterprises)]
    copy("parks_enterprise", ["credit_code", "name", "park_id", "industry", "legal_representative", "contact_phone",
         "is_key", "is_monitoring_point", "is_four_winds_point", "has_special_supervisor", "created_at", "updated_at"],
         ((c, f"企业{i}", parks[i % len(parks)].pk, "", "", "", "f", "f", "f", "f", "now()", "now()")
          for i, c in enumerate(codes)))  # fmt: skip
    rescan.fill(0, subsidies)  # subsidies, decisions, contracts over these enterprises
    seed_bids(enterprises)
    copy("collisions_registrationrecord", ["credit_code", "name", "legal_rep_name", "legal_rep_id_hash", "address",
         "address_key", "phone", "phone_key", "status", "deregistered_on", "in_park_area", "imported_at"],
         ((c, f"企业{i}", "张某", id_hash(f"rep{i}"), f"某市创业大道{i}号", address_key(f"某市创业大道{i}号"),
           f"0375{i:07d}", f"0375{i:07d}", "deregistered" if i % 500 == 0 else "active",
           "2020-01-01" if i % 500 == 0 else None, "t", "now()") for i, c in enumerate(codes)))  # fmt: skip
    records = dict(connection.cursor().execute("SELECT credit_code, id FROM collisions_registrationrecord").fetchall())

    def holder(i: int, n: int) -> str:
        # Planted: every TIE_EVERY-th enterprise shares its first shareholder with the next one.
        return id_hash(f"p{i - 1}-0") if n == 0 and i % TIE_EVERY == 1 else id_hash(f"p{i}-{n}")

    copy("collisions_registrationperson", ["record_id", "name", "id_hash", "share"],
         ((records[c], "李某", holder(i, n), 20) for i, c in enumerate(codes) for n in range(PEOPLE_PER_FIRM)))  # fmt: skip
    seed_keys()
    officials = Official.objects.bulk_create(Official(park=p, name="孙某", position="副主任") for p in parks)
    copy("collisions_relative", ["official_id", "name", "id_hash", "relation"],
         ((officials[i % len(officials)].pk, "李某", id_hash(f"p{i}-1"), "spouse")
          for i in range(0, enterprises, 1000)))  # fmt: skip


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    from risks.engine import evaluate
    from risks.rules import REGISTRY

    enterprises = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    subsidies = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    seconds, _ = timed(lambda: seed(enterprises, subsidies))
    print(f"seeded {enterprises} enterprises, {enterprises * PEOPLE_PER_FIRM} registration people, "
          f"{subsidies} subsidies/contracts in {seconds:.1f} s")  # fmt: skip
    others = {code: rule for code, rule in REGISTRY.items() if not code.startswith("collision_")}
    mine = {code: rule for code, rule in REGISTRY.items() if code.startswith("collision_")}
    base = sum(timed(lambda rule=rule: evaluate(rule))[0] for rule in others.values())
    print(f"existing rescan (every other rule, first run): {base:.2f} s")
    from parks.models import Park

    park = [Park.objects.order_by("code").values_list("pk", flat=True).first()]
    total = 0.0
    for code, rule in mine.items():
        first, outcome = timed(lambda rule=rule: evaluate(rule))
        second, _ = timed(lambda rule=rule: evaluate(rule))
        one_park, _ = timed(lambda rule=rule: evaluate(rule, park_ids=park))
        total += first
        print(f"{code:28} first {first:7.3f} s ({outcome.raised} alerts)  second {second:7.3f} s  "
              f"one park (after a change) {one_park:6.3f} s  = {first / base:5.2f}× the existing rescan")  # fmt: skip
    print(f"{'collisions, all':28} first {total:7.3f} s = {total / base:5.2f}× the existing rescan")


if __name__ == "__main__":
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main()
    finally:
        teardown_databases(old, verbosity=0)
