"""Lists whose cost follows the page, not the table (issue 13): the searches and the default orders are
served by indexes, the ledgers' alert badges too, and an unfiltered list over a big table shows
PostgreSQL's estimate of its total instead of counting every row.

The plans are asked with sequential scans (and sorts) discouraged: the tables of a test are tiny, and
the point is that the index *can* serve the query as Django writes it."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from complaints.filters import ComplaintFilter
from complaints.models import Complaint
from core.trigram import AddTrigramIndex
from inspections.api.views import TaskViewSet
from inspections.selectors import task_board
from parks.filters import EnterpriseFilter
from parks.models import Enterprise
from risks.api.views import AlertViewSet, ContractViewSet, DecisionViewSet
from risks.filters import DecisionFilter, SubsidyFilter
from risks.models import Alert, Decision, Subsidy
from risks.views.alerts import AlertListView
from risks.views.ledgers import DecisionListView, SubsidyListView

from ..factories import ContractFactory, EnterpriseFactory, ProjectFactory, SubsidyFactory, TaskFactory

pytestmark = pytest.mark.django_db


def plan_of(queryset, *, no_sort=False, by_condition=False) -> str:
    """The plan PostgreSQL would choose on a big table (the test's tables are tiny: reading them whole would
    win). ``by_condition``: only index conditions may find rows — no walking a whole index either, which
    the planner may prefer on a tiny table whatever its statistics say."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if by_condition:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        if no_sort:
            cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


@pytest.mark.parametrize(
    ("filterset", "model", "index"),
    [
        (SubsidyFilter, Subsidy, "subsidy_policy_trgm"),
        (SubsidyFilter, Subsidy, "enterprise_name_trgm"),
        (ComplaintFilter, Complaint, "complaint_subject_trgm"),
        (ComplaintFilter, Complaint, "complaint_description_trgm"),
        (EnterpriseFilter, Enterprise, "enterprise_name_trgm"),
        (EnterpriseFilter, Enterprise, "enterprise_legal_rep_trgm"),
        (DecisionFilter, Decision, "decision_subject_trgm"),
    ],
)
def test_a_search_reads_its_trigram_index_not_the_table(filterset, model, index):
    queryset = filterset({"q": "研发投入"}, queryset=model.objects.all()).qs
    assert index in plan_of(queryset, by_condition=True)


def test_the_subsidy_list_reads_its_order_from_an_index(world):
    SubsidyFactory(enterprise=world["ent_a"])
    view = SubsidyListView(request=RequestFactory().get("/"))
    view.request.user = world["admin"]
    plan = plan_of(view.get_base_queryset()[:25], no_sort=True)
    assert "subsidy_list_order" in plan


def test_the_alert_list_reads_its_order_from_an_index(world):
    view = AlertListView(request=RequestFactory().get("/"))
    view.request.user = world["admin"]
    view.request.GET = {}
    plan = plan_of(view.get_base_queryset()[:25], no_sort=True)
    assert "alert_list_order" in plan


def test_the_rectification_board_reads_its_order_from_an_index(world):
    plan = plan_of(task_board(user=world["admin"])[:25], no_sort=True)
    assert "task_board_order" in plan


def api_list_queryset(viewset, user):
    """The queryset an API list pages, as DRF builds it: the caller's scope, the filters, the default order."""
    view = viewset(action="list", format_kwarg=None, kwargs={})
    view.request = Request(APIRequestFactory().get("/"))
    view.request.user = user
    return view.filter_queryset(view.get_queryset())


@pytest.mark.parametrize(
    ("viewset", "index"),
    [(AlertViewSet, "alert_api_order"), (TaskViewSet, "task_api_order"), (DecisionViewSet, "decision_list_order")],
)
def test_an_api_list_reads_its_default_order_from_an_index(world, viewset, index):
    plan = plan_of(api_list_queryset(viewset, world["admin"])[:50], no_sort=True)
    assert index in plan, plan


def test_the_decision_list_reads_its_order_from_an_index(world):
    view = DecisionListView(request=RequestFactory().get("/"))
    view.request.user = world["admin"]
    plan = plan_of(view.get_base_queryset()[:25], no_sort=True)
    assert "decision_list_order" in plan, plan


def test_the_api_contract_list_is_ordered_by_the_contracts_own_columns(world):
    """Ordered by park code and project name (the model's order), a page sorted every contract in scope."""
    sql = str(api_list_queryset(ContractViewSet, world["admin"]).query)
    order = sql[sql.index("ORDER BY") :]
    assert "risks_project" not in order and "parks_park" not in order, order
    # Park B's project recorded first: by park code it would come second.
    first, second = ProjectFactory(park=world["park_b"]), ProjectFactory(park=world["park_a"])
    signed = [datetime.date(2026, 3, day) for day in (2, 1)]
    contracts = [ContractFactory(project=project, signed_on=day) for day in signed for project in (first, second)]
    listed = list(api_list_queryset(ContractViewSet, world["admin"]))
    # Each project's contracts together, oldest first; the projects in the order they were recorded.
    assert listed == [contracts[2], contracts[0], contracts[3], contracts[1]]


def test_the_board_keeps_overdue_first_then_open_then_verified(world):
    today = timezone.localdate()
    found = today - datetime.timedelta(days=200)
    verified_early = TaskFactory(
        finding__found_on=found, deadline=today - datetime.timedelta(days=100), status="verified"
    )
    open_later = TaskFactory(finding__found_on=found, deadline=today + datetime.timedelta(days=10))
    overdue = TaskFactory(finding__found_on=found, deadline=today - datetime.timedelta(days=10))
    assert list(task_board(user=world["admin"])) == [overdue, open_later, verified_early]


def test_a_ledgers_alert_badges_have_an_index_leading_with_the_row(world):
    """live_alert_counts asks for (content type, object ids); the unique index leads with the rule, so on
    a filled table only ``alert_target`` serves it (on an empty one the planner takes either)."""
    from risks.selectors import live_alert_counts

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'alert_target'")
        (definition,) = cursor.fetchone()
    assert "(content_type_id, object_id, cleared_at)" in definition
    subsidy = SubsidyFactory(enterprise=world["ent_a"])
    assert live_alert_counts(Subsidy, [subsidy.pk]) == {}


def analyse(model):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


@override_settings(PORTAL_ESTIMATED_COUNT_ABOVE=3)
def test_an_unfiltered_big_list_shows_an_estimate_and_a_filtered_one_an_exact_count(client, world):
    EnterpriseFactory.create_batch(3, park=world["park_a"])
    analyse(Enterprise)  # the estimate: 5 rows
    client.force_login(world["admin"])
    page = client.get("/enterprises/")
    assert page.context["paginator"].count_is_estimate
    assert "约 5 条" in page.content.decode()
    filtered = client.get("/enterprises/", {"park": world["park_a"].pk})
    assert not filtered.context["paginator"].count_is_estimate
    assert filtered.context["paginator"].count == 4


@override_settings(PORTAL_ESTIMATED_COUNT_ABOVE=3)
def test_a_filtered_list_longer_than_the_cap_says_more_than_and_pages_on(client, world):
    """A big park's list costs its page: counted up to the cap (or the page asked), then 超过 N 条."""
    EnterpriseFactory.create_batch(55, park=world["park_a"])  # 56 in park A; a page is 25 (the API's 50)
    client.force_login(world["officer"])
    page = client.get("/enterprises/")  # the officer's scope: a filtered list
    assert page.context["paginator"].count_is_capped and page.context["paginator"].count == 25
    html = page.content.decode()
    assert "超过 25 条" in html and "page=2" in html
    last = client.get("/enterprises/", {"page": 3})
    assert len(last.context["object_list"]) == 6 and not last.context["paginator"].count_is_capped
    assert last.context["paginator"].count == 56
    body = client.get("/api/enterprises/", {"park": world["park_a"].pk}).json()
    assert body["count_is_capped"] is True and body["count"] == 50 and body["next"]


@override_settings(PORTAL_ESTIMATED_COUNT_ABOVE=3)
def test_the_api_says_when_its_count_is_an_estimate(client, world):
    EnterpriseFactory.create_batch(3, park=world["park_a"])
    analyse(Enterprise)
    client.force_login(world["admin"])
    body = client.get("/api/enterprises/").json()
    assert body["count"] == 5 and body["count_is_estimate"] is True
    body = client.get("/api/enterprises/", {"park": world["park_a"].pk}).json()
    assert body["count"] == 4 and body["count_is_estimate"] is False


def test_a_small_or_never_analysed_table_is_counted_exactly(client, world):
    client.force_login(world["admin"])
    page = client.get("/enterprises/")
    assert not page.context["paginator"].count_is_estimate
    assert page.context["paginator"].count == 2


def test_the_trigram_index_is_skipped_on_sqlite():
    executed = []
    editor = SimpleNamespace(connection=SimpleNamespace(vendor="sqlite"), execute=executed.append)
    operation = AddTrigramIndex("enterprise", "name", "enterprise_name_trgm")
    operation.database_forwards("parks", editor, None, None)
    operation.database_backwards("parks", editor, None, None)
    assert executed == []


def test_alerts_needing_attention_are_counted_from_their_own_index(world):
    """The alert list's default and the dashboard's figure are exact counts: read from a partial index."""
    # A ledger's history as it is in real life: most alerts cleared or decided long ago, a few needing attention.
    ledger, now = ContentType.objects.get_for_model(Subsidy), timezone.now()
    Alert.objects.bulk_create(
        Alert(
            rule="subsidy_not_landed", severity="medium", park=world["park_a"], content_type=ledger, object_id=n,
            first_seen=now, last_seen=now, cleared_at=None if n < 3 else now,
        )
        for n in range(600)
    )  # fmt: skip
    queryset = Alert.objects.needing_attention().order_by()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE risks_alert")  # those statistics, whatever autovacuum did or did not do before
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = queryset.explain()
    # Either partial index over the live alerts answers it (the dashboard's, or the one-live-per-rule unique
    # index), or the live alerts' range of the API order's index (alert_api_order leads with cleared_at, nulls
    # last): a few index entries, never the cleared history.
    live_range = "alert_api_order" in plan and "Index Cond: (cleared_at IS NULL)" in plan
    assert "alert_attention_by_park" in plan or "alert_one_live_per_rule_and_object" in plan or live_range, plan


def test_a_search_counts_up_to_its_cap_and_pages_on_while_rows_exist(world):
    from core.pagination import PortalPaginator

    EnterpriseFactory.create_batch(8, park=world["park_a"])  # 10 enterprises in all
    rows = Enterprise.objects.order_by("pk")
    paginator = PortalPaginator(rows, 2, count_cap=3)
    page = paginator.page(1)
    assert (paginator.count, paginator.count_is_capped, paginator.count_is_estimate) == (3, True, True)
    assert page.has_next()
    deep = PortalPaginator(rows, 2, count_cap=3)
    page = deep.page(4)  # past the cap: counted as far as the page reaches
    assert list(page) == list(rows[6:8]) and page.has_next() and deep.count_is_capped
    last = PortalPaginator(rows, 2, count_cap=3)
    page = last.page(5)
    assert list(page) == list(rows[8:10]) and not page.has_next() and not last.count_is_capped
    assert last.count == 10
    exact = PortalPaginator(rows, 2, count_cap=20)
    assert (exact.count, exact.count_is_capped, exact.count_is_estimate) == (10, False, False)


@override_settings(PORTAL_SEARCH_COUNT_CAP=3)
def test_a_searched_list_says_more_than_the_cap_and_a_filtered_one_counts_exactly(client, world):
    EnterpriseFactory.create_batch(25, park=world["park_a"])  # 27 named 测试科技有限公司…, one page is 25
    client.force_login(world["admin"])
    page = client.get("/enterprises/", {"q": "测试科技"})
    assert page.context["paginator"].count_is_capped
    html = page.content.decode()
    assert "超过 25 条" in html and "第 1 页" in html and "page=2" in html
    filtered = client.get("/enterprises/", {"park": world["park_a"].pk})
    assert not filtered.context["paginator"].count_is_capped
    assert filtered.context["paginator"].count == 26


@override_settings(PORTAL_SEARCH_COUNT_CAP=3)
def test_the_api_says_when_a_search_found_more_than_it_counted(client, world):
    EnterpriseFactory.create_batch(60, park=world["park_a"])
    client.force_login(world["admin"])
    body = client.get("/api/enterprises/", {"q": "测试科技"}).json()
    assert body["count_is_capped"] is True and body["count_is_estimate"] is True
    assert body["next"] and body["count"] == len(body["results"])
    body = client.get("/api/enterprises/", {"park": world["park_b"].pk}).json()
    assert body["count"] == 1 and body["count_is_capped"] is False and body["count_is_estimate"] is False


@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "1.5"])
def test_the_api_refuses_a_page_that_is_not_a_page_number(client, world, page):
    client.force_login(world["admin"])
    assert client.get("/api/enterprises/", {"page": page}).status_code == 404
    assert client.get("/api/enterprises/", {"page": "1"}).status_code == 200
