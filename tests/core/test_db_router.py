"""Reports read from the replica, writes and everything else from the primary (core.db_router).

Two database aliases: ``replica`` is a second connection to the test database (a test mirror, config/settings/
test.py), so every query is counted on the connection that ran it. The tests commit (``transaction=True``),
as a replica only ever sees committed rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Complaint
from core.db_router import reporting_db
from desks.dashboard import overview
from evaluations import services as evaluation_services
from evaluations.choices import Source
from evaluations.models import Indicator, Score

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    """A site with REPLICA_DATABASE_URL set: reports read the ``replica`` alias."""
    settings.REPORTING_DATABASE = "replica"


def _complaint(world, n: int = 0) -> Complaint:
    return complaint_services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description=f"情况{n}"
    ).complaint


class Queries:
    """The SQL each connection ran inside the block."""

    def __enter__(self):
        self.captures = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")}
        for capture in self.captures.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc):
        for capture in self.captures.values():
            capture.__exit__(*exc)

    def on(self, alias: str) -> list[str]:
        return [query["sql"] for query in self.captures[alias].captured_queries]

    def touching(self, alias: str, table: str) -> list[str]:
        return [sql for sql in self.on(alias) if f'"{table}"' in sql]


def _selects_only(statements: list[str]) -> bool:
    return all(sql.lstrip().upper().startswith("SELECT") for sql in statements)


def test_the_dashboard_and_exports_read_the_replica(client, world, replica):
    for n in range(3):
        _complaint(world, n)
    client.force_login(world["admin"])
    with Queries() as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    row = next(r for r in response.context["dashboard"]["rows"] if r["park"] == world["park_a"])
    assert row["complaints_open"] == 3
    assert queries.touching("replica", "complaints_complaint")
    assert queries.touching("replica", "risks_alert") and queries.touching("replica", "inspections_rectificationtask")
    assert not queries.touching("default", "complaints_complaint")  # the primary served the session and user only
    assert _selects_only(queries.on("replica"))

    client.force_login(world["inspector"])
    with Queries() as queries:
        response = client.get(reverse("complaints:list"), {"export": "csv"})
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(content)))) == 4  # the header and the three complaints
    assert len(queries.touching("replica", "complaints_complaint")) >= 2  # the count, then the rows
    assert not queries.touching("default", "complaints_complaint")


def test_the_evaluation_reads_its_figures_from_the_replica_and_writes_scores_to_the_primary(world, replica):
    Indicator.objects.all().delete()
    Indicator.objects.create(
        dimension="relations", name="按时答复率", max_score=Decimal("10"), source=Source.COMPLAINT_ON_TIME
    )
    round_ = evaluation_services.round_open(actor=world["admin"], year=timezone.localdate().year)
    with Queries() as queries:
        evaluation_services.round_compute(actor=world["admin"], round_=round_)
    assert queries.touching("replica", "complaints_complaint")  # the year's figures
    assert _selects_only(queries.on("replica"))
    assert any(sql.lstrip().upper().startswith("UPDATE") for sql in queries.touching("default", "evaluations_score"))
    assert Score.objects.filter(round=round_, value=Decimal("10.00")).count() == 2  # both parks, no data: full score


def test_writes_and_a_transaction_s_own_reads_stay_on_the_primary(world, replica):
    with transaction.atomic(), Queries() as queries:
        _complaint(world)  # not committed: the replica could not see it yet
        figures = overview(user=world["admin"], year=timezone.localdate().year)
    row = next(r for r in figures["rows"] if r["park"] == world["park_a"])
    assert row["complaints_open"] == 1
    assert queries.on("replica") == []

    with reporting_db():
        assert router.db_for_read(Complaint) == "replica"
        assert router.db_for_write(Complaint) == "default"
        with Queries() as queries:
            complaint = _complaint(world)
            Complaint.objects.filter(pk=complaint.pk).update(subject="改")
        assert _selects_only(queries.on("replica"))  # the write's own look-ups may read it; it writes nothing there
        assert queries.touching("default", "complaints_complaint")
    assert router.db_for_read(Complaint) == "default"  # outside a report
    assert router.allow_migrate("default", "complaints") and not router.allow_migrate("replica", "complaints")


@pytest.mark.django_db(databases=["default", "replica"])
def test_without_a_replica_reports_read_the_primary(client, world):
    """REPLICA_DATABASE_URL unset (the test settings' REPORTING_DATABASE is "default"): one database for all."""
    _complaint(world)
    client.force_login(world["admin"])
    with Queries() as queries:
        assert client.get(reverse("home")).status_code == 200
    assert queries.on("replica") == []
    assert queries.touching("default", "complaints_complaint")


def test_replica_database_url_defines_the_replica_alias_connected_like_the_primary():
    from config.settings.scale_out import replica_database

    alias = replica_database("postgres://reader:secret@db-replica:5432/portal", {"CONN_MAX_AGE": 60})
    assert alias["ENGINE"] == "django.db.backends.postgresql"
    assert (alias["HOST"], alias["NAME"], alias["USER"]) == ("db-replica", "portal", "reader")
    assert alias["CONN_MAX_AGE"] == 60 and alias["CONN_HEALTH_CHECKS"] and not alias["ATOMIC_REQUESTS"]
