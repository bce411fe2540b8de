"""Who sees what: reference lists, exports and API for commission admins only; the connection view
within scope, people masked for park officers, no ID hash anywhere on a page."""

import pytest
from django.urls import reverse

from collisions.identity import id_hash

from ..factories import ContractFactory, EnterpriseFactory, OfficialFactory, ProjectFactory
from .helpers import id_number, register, relative

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied(world):
    """ent_a (park A) and ent_b (park B) share shareholder 李小红; 李小红 is the spouse of an official of park A."""
    register(world["ent_a"], rep=("王大明", 1), shareholders=[("李小红", 7)], address="建设路88号")
    register(world["ent_b"], rep=("赵四", 2), shareholders=[("李小红", 7)])
    official = OfficialFactory(park=world["park_a"], name="孙建国")
    relative(official, "李小红", 7)
    return official


@pytest.mark.parametrize("role", ["inspector", "officer", "enterprise_user"])
@pytest.mark.parametrize("name", ["collisions:registration-list", "collisions:relative-list"])
def test_reference_lists_and_their_exports_are_for_commission_admins_only(client, world, tied, role, name):
    client.force_login(world[role])
    assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse(name) + "?export=csv").status_code == 404


@pytest.mark.parametrize("role", ["inspector", "officer"])
@pytest.mark.parametrize("resource", ["registration", "relative"])
def test_the_reference_api_answers_others_with_nothing(client, world, tied, role, resource):
    client.force_login(world[role])
    response = client.get(f"/api/{resource}s/")
    assert response.status_code in (200, 403, 404)
    assert "李小红" not in response.content.decode() and "王大明" not in response.content.decode()


def test_a_commission_admin_sees_names_and_exports_them_without_hashes(
    client, world, tied, django_assert_max_num_queries
):
    client.force_login(world["admin"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("collisions:registration-list"))
    html = page.content.decode()
    assert "王大明" in html and "李小红" in html and id_hash(id_number(1)) not in html
    export = client.get(reverse("collisions:registration-list") + "?export=csv")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "王大明" in body and id_hash(id_number(1)) not in body and id_number(1) not in body
    api = client.get("/api/registrations/").content.decode()
    assert "王大明" in api and id_hash(id_number(1)) not in api


def test_the_enterprise_graph_masks_people_for_officers_and_links_only_within_scope(client, world, tied):
    url = reverse("collisions:enterprise-graph", args=[world["ent_a"].pk])
    other = reverse("collisions:enterprise-graph", args=[world["ent_b"].pk])
    client.force_login(world["officer"])
    html = client.get(url).content.decode()
    assert 'role="figure"' in html and "<title" in html and "<table" in html
    assert "李**" in html and "李小红" not in html and "王大明" not in html
    assert other not in html and world["ent_b"].name not in html and "范围外企业" in html
    assert id_hash(id_number(7)) not in html
    assert client.get(other).status_code == 404
    client.force_login(world["admin"])
    html = client.get(url).content.decode()
    assert "李小红" in html and other in html and world["ent_b"].name in html
    assert reverse("collisions:official-graph", args=[tied.pk]) in html


def test_the_graph_costs_the_same_with_more_ties(client, world, tied, django_assert_max_num_queries):
    project = ProjectFactory(park=world["park_a"])
    for n in range(10):
        contract = ContractFactory(project=project, contractor=EnterpriseFactory(park=world["park_a"]))
        register(contract.contractor, rep=(f"周{n}", 40 + n), shareholders=[("李小红", 7)])
    client.force_login(world["inspector"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("collisions:enterprise-graph", args=[world["ent_a"].pk])).status_code == 200


def test_the_official_graph_is_scoped_and_masks_relatives_for_officers(client, world, tied):
    url = reverse("collisions:official-graph", args=[tied.pk])
    client.force_login(world["officer"])
    html = client.get(url).content.decode()
    assert "李**" in html and "李小红" not in html
    client.force_login(world["enterprise_user"])
    assert client.get(url).status_code == 404
    outside = OfficialFactory(park=world["park_b"])
    client.force_login(world["inspector"])
    assert client.get(reverse("collisions:official-graph", args=[outside.pk])).status_code == 404


@pytest.mark.parametrize("role", ["admin", "inspector", "officer", "enterprise_user", "idle_inspector"])
def test_reference_rows_are_visible_to_commission_admins_only(world, tied, role):
    from collisions.models import RegistrationKey, RegistrationPerson, RegistrationRecord, Relative

    for model in (RegistrationRecord, RegistrationPerson, RegistrationKey, Relative):
        assert model.objects.visible_to(world[role]).exists() == (role == "admin"), model.__name__


def test_a_registration_row_leads_the_admin_to_its_enterprise_graph(client, world, tied):
    from collisions.models import RegistrationRecord

    record = RegistrationRecord.objects.get(credit_code=world["ent_a"].credit_code)
    url = reverse("collisions:registration-graph", args=[record.pk])
    client.force_login(world["admin"])
    assert url in client.get(reverse("collisions:registration-list")).content.decode()
    assert client.get(url)["Location"] == reverse("collisions:enterprise-graph", args=[world["ent_a"].pk])
    client.force_login(world["inspector"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["collisions:registration-list", "collisions:relative-list"])
def test_reference_lists_cost_the_same_with_more_rows(client, world, tied, name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["admin"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    for n in range(8):
        enterprise = EnterpriseFactory(park=world["park_a"])
        register(enterprise, rep=(f"钱{n}", 60 + n), shareholders=[(f"孙{n}", 80 + n)])
        relative(tied, f"孙{n}", 80 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse(name))
    assert "孙7" in page.content.decode()
