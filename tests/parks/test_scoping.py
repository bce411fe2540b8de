"""The scoping rule, as a matrix: every role × every park-owned model × list and detail, through the
queryset, the pages and the API. Outside the scope is 404, never 403 and never the object."""

import pytest
from django.urls import reverse

from parks.models import Enterprise, Liaison, Park

ROLES = ["admin", "inspector", "officer", "enterprise_user", "idle_inspector", "supervisor"]

# What each role sees of the world fixture: the suffixes of the objects (a = park A's, b = park B's).
EXPECTED = {
    "admin": {"a", "b"},
    "inspector": {"a"},
    "officer": {"a"},
    "enterprise_user": {"a"},
    "idle_inspector": set(),
    "supervisor": set(),  # a supervisor reads their parks' public pages only (supervision)
}

MODELS = {
    Park: "park_",
    Enterprise: "ent_",
    Liaison: "liaison_",
}

PAGES = {
    Park: ("parks:park-list", "parks:park-detail", lambda park: {"code": park.code}),
    Enterprise: ("parks:enterprise-list", "parks:enterprise-detail", lambda ent: {"pk": ent.pk}),
}

API = {
    Park: ("park-list", "park-detail", lambda park: {"code": park.code}),
    Enterprise: ("enterprise-list", "enterprise-detail", lambda ent: {"pk": ent.pk}),
}


def _expected(world, role, model):
    return {world[MODELS[model] + suffix] for suffix in EXPECTED[role]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_visible_to_returns_exactly_the_scope(world, role, model):
    assert set(model.objects.visible_to(world[role])) == _expected(world, role, model)


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_anonymous_and_deactivated_users_see_nothing(world, model, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not model.objects.visible_to(AnonymousUser()).exists()
    admin = world["admin"]
    admin.is_active = False
    admin.save()
    assert not model.objects.visible_to(admin).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(PAGES), ids=lambda m: m.__name__)
def test_pages_list_only_and_open_only_what_is_in_scope(client, world, role, model):
    list_name, detail_name, kwargs = PAGES[model]
    client.force_login(world[role])
    listing = client.get(reverse(list_name))
    assert listing.status_code == 200
    expected = _expected(world, role, model)
    assert set(listing.context["object_list"]) == expected
    for suffix in ("a", "b"):
        obj = world[MODELS[model] + suffix]
        response = client.get(reverse(detail_name, kwargs=kwargs(obj)))
        assert response.status_code == (200 if obj in expected else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(API), ids=lambda m: m.__name__)
def test_api_lists_only_and_opens_only_what_is_in_scope(client, world, role, model):
    list_name, detail_name, kwargs = API[model]
    client.force_login(world[role])
    listing = client.get(reverse(list_name)).json()
    expected = _expected(world, role, model)
    assert {row["id"] for row in listing["results"]} == {obj.pk for obj in expected}
    for suffix in ("a", "b"):
        obj = world[MODELS[model] + suffix]
        response = client.get(reverse(detail_name, kwargs=kwargs(obj)))
        assert response.status_code == (200 if obj in expected else 404)


@pytest.mark.parametrize("model", list(API), ids=lambda m: m.__name__)
def test_api_refuses_anonymous_callers(client, world, model):
    list_name, detail_name, kwargs = API[model]
    assert client.get(reverse(list_name)).status_code == 403
    assert client.get(reverse(detail_name, kwargs=kwargs(world[MODELS[model] + "a"]))).status_code == 403


@pytest.mark.parametrize("model", list(PAGES), ids=lambda m: m.__name__)
def test_pages_send_anonymous_visitors_to_the_login(client, world, model):
    list_name, _detail, _kwargs = PAGES[model]
    response = client.get(reverse(list_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_admin_lists_go_through_the_same_rule(client, world, model):
    client.force_login(world["admin"])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == _expected(world, "admin", model)


@pytest.mark.parametrize("role", ["inspector", "officer", "enterprise_user"])
def test_only_commission_admins_reach_the_admin_site(client, world, role):
    client.force_login(world[role])
    response = client.get(reverse("admin:parks_enterprise_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_park_filter_cannot_widen_the_scope(client, world):
    """Asking the list for another park's rows by filter gives nothing, not the rows."""
    client.force_login(world["inspector"])
    response = client.get(reverse("parks:enterprise-list"), {"park": world["park_b"].pk})
    assert world["ent_b"] not in response.context["object_list"]
    api = client.get(reverse("enterprise-list"), {"park": world["park_b"].pk})
    assert api.status_code == 400 or api.json()["results"] == []


# --- the risk ledgers and alerts follow the same rule ----------------------------------------------------


@pytest.fixture
def ledgers(world):
    from risks.engine import evaluate_all
    from tests.factories import ContractFactory, DecisionFactory, RiskPointFactory, SubsidyFactory

    rows = {}
    for suffix in ("a", "b"):
        park, enterprise = world[f"park_{suffix}"], world[f"ent_{suffix}"]
        rows[f"riskpoint_{suffix}"] = RiskPointFactory(park=park)
        rows[f"decision_{suffix}"] = DecisionFactory(park=park, has_minutes=False)
        rows[f"subsidy_{suffix}"] = SubsidyFactory(park=park, enterprise=enterprise)
        rows[f"contract_{suffix}"] = ContractFactory(project__park=park, contractor=enterprise)
    evaluate_all()
    from risks.models import Alert

    for suffix in ("a", "b"):
        rows[f"alert_{suffix}"] = Alert.objects.for_object(rows[f"decision_{suffix}"]).get(rule="decision_no_minutes")
    return rows


LEDGER_PAGES = {
    "riskpoint": "risks:riskpoint-detail",
    "decision": "risks:decision-detail",
    "subsidy": "risks:subsidy-detail",
    "alert": "risks:alert-detail",
}


def _alerts_in(world, role):
    from risks.models import Alert

    return set(Alert.objects.needing_attention().filter(park__in=[world[f"park_{s}"] for s in EXPECTED[role]]))


@pytest.mark.parametrize("role", ["admin", "inspector", "officer", "idle_inspector"])
@pytest.mark.parametrize("kind", list(LEDGER_PAGES))
def test_ledger_pages_follow_the_scoping_rule(client, world, ledgers, role, kind):
    client.force_login(world[role])
    for suffix in ("a", "b"):
        visible = suffix in EXPECTED[role]
        response = client.get(reverse(LEDGER_PAGES[kind], args=[ledgers[f"{kind}_{suffix}"].pk]))
        assert response.status_code == (200 if visible else 404), (kind, suffix)
    listing = client.get(reverse(LEDGER_PAGES[kind].replace("-detail", "-list")))
    shown = set(listing.context["object_list"])
    if kind == "alert":
        assert shown == _alerts_in(world, role)
    else:
        assert shown == {ledgers[f"{kind}_{s}"] for s in EXPECTED[role]}


# Enterprise users see their own subsidies and the contracts they hold, nothing else of the ledgers.
RISK_SCOPE = {
    "riskpoint": {"enterprise_user": set()},
    "decision": {"enterprise_user": set()},
    "alert": {"enterprise_user": set()},
    "subsidy": {},
    "contract": {},
}


@pytest.mark.parametrize("role", ["admin", "inspector", "officer", "enterprise_user", "idle_inspector"])
@pytest.mark.parametrize("kind", list(RISK_SCOPE))
def test_every_risk_model_queryset_follows_the_rule(world, ledgers, role, kind):
    model = type(ledgers[f"{kind}_a"])
    expected = RISK_SCOPE[kind].get(role)
    if expected is None and kind == "alert":
        expected = set(model.objects.filter(park__in=[world[f"park_{s}"] for s in EXPECTED[role]]))
    elif expected is None:
        expected = {ledgers[f"{kind}_{s}"] for s in EXPECTED[role]}
    assert set(model.objects.visible_to(world[role])) == expected


# The assigned parks as literal ids (accounts.backends, User.park_ids_in_scope): loaded with the request's
# user, never stale across requests or after a change through the user object.


def test_a_request_filters_by_the_users_park_ids_loaded_with_the_user(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["officer"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("parks:enterprise-list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [world["ent_a"]]
    reads = [q["sql"] for q in captured if "accounts_user_parks" in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith('SELECT "accounts_user"."id"')  # within the user's own query
    lists = [q["sql"] for q in captured if 'FROM "parks_enterprise"' in q["sql"]]
    assert lists and all(f'"park_id" IN ({world["park_a"].pk})' in sql for sql in lists)


def test_a_park_taken_away_is_out_of_scope_at_the_next_request(client, world):
    officer = world["officer"]
    client.force_login(officer)
    detail = reverse("parks:enterprise-detail", kwargs={"pk": world["ent_a"].pk})
    assert client.get(detail).status_code == 200
    type(officer).objects.get(pk=officer.pk).parks.set([world["park_b"]])  # another object, as the admin's
    assert client.get(detail).status_code == 404
    assert client.get(reverse("parks:enterprise-detail", kwargs={"pk": world["ent_b"].pk})).status_code == 200


def test_a_user_object_forgets_its_park_ids_when_its_parks_change(world):
    inspector = world["inspector"]
    assert list(Enterprise.objects.visible_to(inspector)) == [world["ent_a"]]
    inspector.parks.add(world["park_b"])
    assert set(Enterprise.objects.visible_to(inspector)) == {world["ent_a"], world["ent_b"]}
    inspector.parks.clear()
    assert list(Enterprise.objects.visible_to(inspector)) == []
