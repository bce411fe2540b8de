"""The searches choose between walking the list's order and sorting their matches (core.filters.search_in_order),
and find a term of one or two characters through its gram index (core.grams): the rows and their order must be
exactly those of the plain search, whatever the term."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from complaints.filters import ComplaintFilter
from complaints.models import Complaint
from core import filters as core_filters
from parks.credit_code import normalize_credit_code
from parks.filters import EnterpriseFilter
from parks.models import Enterprise
from risks.filters import SubsidyFilter
from risks.models import Subsidy

from ..factories import EnterpriseFactory, ParkFactory, SubsidyFactory, UserFactory

pytestmark = pytest.mark.django_db

POLICIES = ["技改扶持政策", "人才扶持政策", "Ab研发%_计划", "稳岗补贴"]
SUBJECTS = ["经发局", "招商局", "规划局", "Tax 税务"]


@pytest.fixture
def world():
    parks = [ParkFactory() for _ in range(3)]
    firms = [
        EnterpriseFactory(park=parks[i % 3], name=f"重庆{'江北' if i % 4 == 0 else '渝北'}企业{i:04d}有限公司")
        for i in range(40)
    ]
    firms.append(EnterpriseFactory(park=parks[2], name="Zeta技改咨询 ltd"))
    start = datetime.date(2025, 1, 1)
    for i in range(160):
        SubsidyFactory(
            enterprise=firms[i % len(firms)],
            policy=POLICIES[0] if i % 2 else POLICIES[1 + i % 3],
            approved_on=start + datetime.timedelta(days=i % 50),
        )
    moment = timezone.now()
    for i in range(120):
        Complaint.objects.create(
            park=parks[i % 3],
            category="favours",
            tracking_digest=f"search{i:058d}",
            accept_due=datetime.date(2026, 3, 5),
            subject=SUBJECTS[i % 4] if i < 100 else "党政办",
            description=f"投诉内容{i:05d}：办事拖延\\{'，罕见词' if i == 117 else ''}",
            submitted_at=moment - datetime.timedelta(minutes=i),
        )
    return firms


def old_subsidies(term):
    firms = Enterprise.objects.filter(Q(name__icontains=term) | Q(credit_code__startswith=term.upper()))
    return Subsidy.objects.filter(Q(enterprise__in=firms) | Q(policy__icontains=term))


def old_complaints(term):
    term = term.strip()
    return Complaint.objects.filter(Q(subject__icontains=term) | Q(description__icontains=term))


def old_enterprises(term):
    term = term.strip()
    return Enterprise.objects.filter(
        Q(name__icontains=term)
        | Q(credit_code__startswith=normalize_credit_code(term))
        | Q(legal_representative__icontains=term)
    )


CASES = [(SubsidyFilter, Subsidy, old_subsidies), (ComplaintFilter, Complaint, old_complaints)]
CASES.append((EnterpriseFilter, Enterprise, old_enterprises))
TERMS = ["技改", "技", "扶持政策", "江北", "北", "渝北企业0001", "ab", "%_", "经发局", "拖延", "罕见", "罕", "tax"]
TERMS += ["00117", "\\", "_", "%", "不存在的词", "91", "z", "Zeta技改"]


@pytest.mark.parametrize(("filterset", "model", "old"), CASES)
def test_a_search_lists_the_plain_searchs_rows_in_the_same_order(world, filterset, model, old):
    for value in (*TERMS, world[3].credit_code[:6], world[3].credit_code[:2]):
        found = filterset({"q": value}, queryset=model.objects.all()).qs
        expected = old(value).order_by(*model._meta.ordering, "pk")
        assert [row.pk for row in found] == [row.pk for row in expected]
        assert [row.pk for row in found[25:50]] == [row.pk for row in expected[25:50]]


@pytest.mark.parametrize("term", ["技改", "渝北", "Zeta"])
def test_a_search_with_other_filters_lists_the_plain_searchs_rows(world, term):
    park = world[2].park
    request = RequestFactory().get("/")
    request.user = UserFactory(role=Role.COMMISSION_ADMIN)
    found = SubsidyFilter({"q": term, "park": park.pk}, queryset=Subsidy.objects.all(), request=request).qs
    expected = old_subsidies(term).filter(park=park).order_by(*Subsidy._meta.ordering, "pk")
    assert list(found) == list(expected)
    ordered = ComplaintFilter({"q": "局", "ordering": "submitted_at"}, queryset=Complaint.objects.all()).qs
    assert list(ordered) == list(old_complaints("局").order_by("submitted_at"))


@pytest.mark.parametrize(("term", "walks"), [("技改", True), ("渝北企业0001", False), ("Zeta", False)])
def test_a_common_term_walks_the_lists_order_and_a_rare_one_sorts_its_matches(world, term, walks):
    found = SubsidyFilter({"q": term}, queryset=Subsidy.objects.all()).qs
    assert all(isinstance(term, str) for term in found.query.order_by) is walks


def test_the_choice_costs_one_query_whatever_the_term(world, django_assert_num_queries):
    for term in ("技改", "Zeta", "不存在的词"):
        with django_assert_num_queries(1):
            assert SubsidyFilter({"q": term}, queryset=Subsidy.objects.all()).qs is not None


@pytest.mark.parametrize(
    ("filterset", "model", "index"),
    [
        (SubsidyFilter, Subsidy, "subsidy_policy_grams"),
        (SubsidyFilter, Subsidy, "enterprise_name_grams"),
        (ComplaintFilter, Complaint, "complaint_subject_grams"),
        (ComplaintFilter, Complaint, "complaint_description_grams"),
        (EnterpriseFilter, Enterprise, "enterprise_name_grams"),
        (EnterpriseFilter, Enterprise, "enterprise_legal_rep_grams"),
    ],
)
def test_a_two_character_search_reads_its_gram_index_not_the_table(filterset, model, index):
    queryset = filterset({"q": "罕见"}, queryset=model.objects.all()).qs  # nothing: the rare plan
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        plan = queryset.explain()
    assert index in plan, plan


@pytest.mark.parametrize(("filterset", "model", "old"), CASES)
def test_odd_terms_search_without_error(world, filterset, model, old):
    for term in ("", " ", "%", "_", "\\", "'", "x" * 500, "技" * 200):
        found = filterset({"q": term}, queryset=model.objects.all()).qs
        assert found[:25].count() <= 25 and len(list(found[:25])) <= 25


def test_the_dense_threshold_is_a_page_within_the_head(monkeypatch, world):
    """With fewer head rows than a page of matches, every search sorts its matches (and still agrees)."""
    monkeypatch.setattr(core_filters, "SEARCH_HEAD_ROWS", 10)
    found = SubsidyFilter({"q": "技改"}, queryset=Subsidy.objects.all()).qs
    assert not all(isinstance(term, str) for term in found.query.order_by)
    assert list(found) == list(old_subsidies("技改").order_by(*Subsidy._meta.ordering))


@pytest.mark.parametrize("path", ["parks:enterprise-list", "risks:subsidy-list", "complaints:list"])
def test_a_searched_pages_query_count_does_not_grow_with_rows_or_matches(client, world, path):
    client.force_login(UserFactory(role=Role.COMMISSION_ADMIN))
    counts = set()
    for term in ("技改", "江北", "罕见", "Zeta技改", "不存在的词"):
        client.get(reverse(path), {"q": term})  # warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(path), {"q": term}).status_code == 200
        counts.add(len(captured))
    SubsidyFactory.create_batch(30, enterprise=world[0], policy=POLICIES[0])
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(path), {"q": "技改"})
    assert len(captured) <= max(counts)
