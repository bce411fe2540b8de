"""The connection view is reachable from where people look — the enterprise's page, the official's card,
the collision alert — for those who may open it; and an alert links only what its viewer may open."""

import pytest
from django.urls import reverse

from risks.engine import evaluate_all
from risks.models import Alert

from ..factories import BidFactory, OfficialFactory, ProjectFactory
from .helpers import register

pytestmark = pytest.mark.django_db

GRAPH = "关联关系图"


@pytest.mark.parametrize(
    ("role", "shown"), [("admin", True), ("inspector", True), ("officer", True), ("enterprise_user", False)]
)
def test_the_enterprise_page_links_its_connection_view_for_those_who_may_open_it(client, world, role, shown):
    client.force_login(world[role])
    body = client.get(world["ent_a"].get_absolute_url()).content.decode()
    graph = reverse("collisions:enterprise-graph", args=[world["ent_a"].pk])
    assert (f'href="{graph}"' in body) is shown and (GRAPH in body) is shown
    assert client.get(graph).status_code == (200 if shown else 404)


@pytest.mark.parametrize(("role", "shown"), [("inspector", True), ("officer", True)])
def test_the_official_card_links_the_official_connection_view(client, world, role, shown):
    official = OfficialFactory(park=world["park_a"])
    client.force_login(world[role])
    body = client.get(reverse("risks:official-list")).content.decode()
    graph = reverse("collisions:official-graph", args=[official.pk])
    assert (f'href="{graph}"' in body) is shown
    assert client.get(graph).status_code == 200


@pytest.fixture
def rigged(world):
    """A project of park A: ent_a won, ent_b (an enterprise of park B) lost; both registered with one phone."""
    project = ProjectFactory(park=world["park_a"], name="园区道路提升改造工程")
    BidFactory(project=project, enterprise=world["ent_a"], won=True)
    BidFactory(project=project, enterprise=world["ent_b"])
    register(world["ent_a"], rep=("甲", 1), phone="0375-2345678")
    register(world["ent_b"], rep=("乙", 2), phone="0375 2345678")
    evaluate_all()
    return Alert.objects.get(rule="collision_bid_rigging", object_id=project.pk, cleared_at__isnull=True)


def test_an_alert_links_both_sides_and_the_connection_view_for_the_commission(client, world, rigged):
    client.force_login(world["admin"])
    body = client.get(rigged.get_absolute_url()).content.decode()
    for enterprise in (world["ent_a"], world["ent_b"]):
        assert f'<a href="{enterprise.get_absolute_url()}">{enterprise.name}</a>' in body
    assert f'href="{reverse("collisions:enterprise-graph", args=[world["ent_a"].pk])}">{GRAPH}</a>' in body


def test_a_park_officer_reads_the_other_side_out_of_scope_as_plain_text(client, world, rigged):
    client.force_login(world["officer"])
    page = client.get(rigged.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert world["ent_b"].name in body and f'href="{world["ent_b"].get_absolute_url()}"' not in body
    assert f'<a href="{world["ent_a"].get_absolute_url()}">{world["ent_a"].name}</a>' in body
    for _label, url in page.context["links"]:
        if url:  # every link shown opens for the officer
            assert client.get(url).status_code == 200, url
    assert client.get(world["ent_b"].get_absolute_url()).status_code == 404  # what a link would have led to


def test_a_link_to_a_page_the_viewer_may_not_open_is_left_out(world, rigged):
    class Reader:  # a staff reader the connection views refuse (a role that may read alerts but not graphs)
        can_view_connections = False

        def __getattr__(self, name):
            return getattr(world["admin"], name)

    labels = [label for label, _url in rigged.links_for(Reader())]
    assert world["ent_a"].name in labels and world["ent_b"].name in labels and GRAPH not in labels
