"""How much the scoping rule costs on a big ledger.

Fills PostgreSQL with PARKS parks and ENTERPRISES enterprises (in a throwaway test database), then
times the first page of the enterprise list and a name search, for a commission admin (no filter: the
baseline) and for an inspector of a few parks (the ``park_id IN (subquery)`` filter). Prints the
inspector/admin ratio: near 1 (or below, since fewer rows match) means scoping is free.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/scoping.py [ENTERPRISES]
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

PARKS = 60
ENTERPRISES = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
REPEAT = 30


def fill() -> None:
    from accounts.choices import Role
    from accounts.models import User
    from parks.models import Enterprise, Park
    from tests.factories import valid_credit_code

    parks = Park.objects.bulk_create(
        Park(code=f"P{i:03d}", name=f"园区{i}", level="provincial", kind="industrial", region="某市")
        for i in range(PARKS)
    )
    batch = []
    for n in range(ENTERPRISES):
        batch.append(Enterprise(credit_code=valid_credit_code(n), name=f"企业{n:06d}有限公司", park=parks[n % PARKS]))
        if len(batch) == 5000:
            Enterprise.objects.bulk_create(batch)
            batch = []
    Enterprise.objects.bulk_create(batch)
    inspector = User.objects.create(username="bench-inspector", role=Role.INSPECTOR)
    inspector.parks.set(parks[:3])
    User.objects.create(username="bench-admin", role=Role.COMMISSION_ADMIN)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn) -> float:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    from accounts.models import User
    from parks.filters import EnterpriseFilter
    from parks.selectors import enterprise_list

    admin, inspector = User.objects.get(username="bench-admin"), User.objects.get(username="bench-inspector")

    def first_page(user, query=None):
        def run():
            queryset = EnterpriseFilter(query, queryset=enterprise_list(user=user)).qs
            list(queryset[:25])
            queryset.count()

        return run

    print(f"{ENTERPRISES} enterprises in {PARKS} parks; inspector assigned 3 parks; median of {REPEAT}")
    for label, query in [("first page", None), ("search by name", {"q": "企业0123"})]:
        base = timed(first_page(admin, query))
        scoped = timed(first_page(inspector, query))
        print(
            f"{label:<16} admin {base * 1000:7.2f} ms   inspector {scoped * 1000:7.2f} ms   ratio {scoped / base:5.2f}"
        )


if __name__ == "__main__":
    old = setup_databases(verbosity=0, interactive=False)
    try:
        fill()
        main()
    finally:
        teardown_databases(old, verbosity=0)
