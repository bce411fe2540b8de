"""The conflict-of-interest register at scale: the list of officials shows no form whose <select> lists
every enterprise in scope; a tie is added on its own page, the enterprise typed by its name or its
统一社会信用代码 and looked up among the user's enterprises only."""

import pytest
from django.urls import reverse

from risks.models import OfficialTie

from ..factories import EnterpriseFactory, OfficialFactory, OfficialTieFactory

pytestmark = pytest.mark.django_db


def _fill(park, officials: int, enterprises: int) -> None:
    EnterpriseFactory.create_batch(enterprises, park=park)
    for _ in range(officials):
        OfficialTieFactory(official__park=park)


def _list_queries(client, django_assert_max_num_queries, limit=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if limit is None:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("risks:official-list")).status_code == 200
        return len(captured)
    with django_assert_max_num_queries(limit):
        page = client.get(reverse("risks:official-list"))
    assert page.status_code == 200
    return page


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_the_officials_list_costs_the_same_with_ten_times_the_officials_and_enterprises(
    client, world, role, django_assert_max_num_queries
):
    client.force_login(world[role])
    _fill(world["park_a"], officials=2, enterprises=3)
    client.get(reverse("risks:official-list"))  # warm-up: first-request caches
    small = _list_queries(client, django_assert_max_num_queries)
    _fill(world["park_a"], officials=20, enterprises=30)
    page = _list_queries(client, django_assert_max_num_queries, limit=small)
    html = page.content.decode()
    assert "<select" not in html.split('id="official-', 1)[1]  # no enterprise picker in the cards
    assert reverse("risks:official-tie-add", args=[OfficialTie.objects.first().official_id]) in html


def test_a_tie_is_added_by_credit_code_typed_the_way_people_type(client, world):
    official = OfficialFactory(park=world["park_a"])
    client.force_login(world["officer"])
    code = world["ent_a"].credit_code
    answer = client.post(
        reverse("risks:official-tie-add", args=[official.pk]),
        {"enterprise": f" {code.lower()} ", "relation": "spouse"},
    )
    assert answer.status_code == 302
    assert official.ties.get().enterprise == world["ent_a"]


def test_a_tie_is_added_by_the_enterprises_full_name(client, world):
    official = OfficialFactory(park=world["park_a"])
    client.force_login(world["officer"])
    answer = client.post(
        reverse("risks:official-tie-add", args=[official.pk]),
        {"enterprise": world["ent_a"].name, "relation": "spouse"},
    )
    assert answer.status_code == 302
    assert official.ties.get().enterprise == world["ent_a"]


def test_an_unknown_name_is_refused_in_chinese_and_kept(client, world):
    official = OfficialFactory(park=world["park_a"])
    client.force_login(world["officer"])
    page = client.post(
        reverse("risks:official-tie-add", args=[official.pk]), {"enterprise": "不存在的公司", "relation": "spouse"}
    )
    html = page.content.decode()
    assert page.status_code == 200 and not official.ties.exists()
    assert "您所辖园区中没有名称或统一社会信用代码为“不存在的公司”的企业" in html
    assert 'value="不存在的公司"' in html


def test_an_enterprise_outside_the_users_parks_is_not_found(client, world):
    official = OfficialFactory(park=world["park_a"])
    client.force_login(world["officer"])
    page = client.post(
        reverse("risks:official-tie-add", args=[official.pk]),
        {"enterprise": world["ent_b"].credit_code, "relation": "spouse"},
    )
    assert page.status_code == 200 and not official.ties.exists()
    assert world["ent_b"].name not in page.content.decode()


def test_a_partial_name_offers_a_bounded_list_of_the_users_enterprises(client, world):
    official = OfficialFactory(park=world["park_a"])
    EnterpriseFactory.create_batch(12, park=world["park_a"], name=factory_name("华东精密"))
    EnterpriseFactory(park=world["park_b"], name="华东精密（园区B）")
    client.force_login(world["officer"])
    page = client.post(
        reverse("risks:official-tie-add", args=[official.pk]), {"enterprise": "华东精密", "relation": "spouse"}
    )
    html = page.content.decode()
    assert "有多家企业与“华东精密”相符" in html
    assert len(page.context["candidates"]) == 10
    assert "园区B" not in html
    assert not official.ties.exists()


def factory_name(prefix):
    import factory

    return factory.Sequence(lambda n: f"{prefix}{n:02d}有限公司")


def test_an_official_outside_the_users_parks_is_a_404(client, world):
    official = OfficialFactory(park=world["park_b"])
    client.force_login(world["officer"])
    url = reverse("risks:official-tie-add", args=[official.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"enterprise": world["ent_b"].name, "relation": "spouse"}).status_code == 404


def test_only_ledger_keepers_add_ties(client, world):
    official = OfficialFactory(park=world["park_a"])
    client.force_login(world["inspector"])
    answer = client.post(
        reverse("risks:official-tie-add", args=[official.pk]), {"enterprise": world["ent_a"].name, "relation": "spouse"}
    )
    assert answer.status_code == 403 and not official.ties.exists()
