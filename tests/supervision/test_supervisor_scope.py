"""A special supervisor sees nothing of the portal but their own appointments and observations and the parks'
public pages: no ledger, complaint, complainant, alert, finding or task — not even of the park they serve.
Checked by the scoping rule over every park-owned model, and by walking every URL of the URLconf filled
with the objects of the supervisor's own park (the generic walk in tests/security only names another park's)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from supervision.models import Appointment, Observation
from tests.api.test_matrix import objects  # noqa: F401 - the fixture: one object of each resource per park
from tests.security.test_url_walk import PUBLIC, Unfillable, WalkWorld, _refused, all_routes, view_model

from .factories import observation_in

SUPERVISION = "supervision"


def scoped_models():
    return [
        model
        for model in apps.get_models()
        if hasattr(model._default_manager, "visible_to") and model._meta.app_label != SUPERVISION
    ]


@pytest.mark.parametrize("model", scoped_models(), ids=lambda model: model.__name__)
def test_a_supervisor_sees_no_row_of_any_ledger_case_or_alert_even_in_their_park(world, objects, model):  # noqa: F811
    assert not model._default_manager.visible_to(world["supervisor"]).exists()


def test_observations_and_appointments_are_seen_by_their_supervisor_the_parks_inspectors_and_admins(world):
    mine = observation_in(world["park_a"], supervisor=world["supervisor"])
    other_a = observation_in(world["park_a"])  # another supervisor of park A
    in_b = observation_in(world["park_b"])
    seen = {
        role: set(Observation.objects.visible_to(world[role]))
        for role in world
        if role.endswith(("admin", "inspector", "officer", "user", "supervisor"))
    }
    assert seen["supervisor"] == {mine}
    assert seen["inspector"] == {mine, other_a}
    assert seen["admin"] == {mine, other_a, in_b}
    assert seen["officer"] == seen["enterprise_user"] == seen["idle_inspector"] == set()
    assert set(Appointment.objects.visible_to(world["supervisor"])) == {mine.appointment}
    assert not Appointment.objects.visible_to(world["officer"]).exists()
    assert set(Appointment.objects.visible_to(world["inspector"])) == {mine.appointment, other_a.appointment}


def _markers(world, objects) -> list[str]:  # noqa: F811
    """Texts of park A's ledgers and cases that no page may show a supervisor."""
    return [
        world["ent_a"].name,
        world["ent_a"].credit_code,
        objects["project_a"].name,
        objects["contract_a"].number,
        objects["inspection_a"].title,
        objects["finding_a"].description,
        objects["riskpoint_a"].description,
    ]


def test_every_url_named_with_an_object_of_their_own_park_is_refused_to_a_supervisor(world, objects):  # noqa: F811
    own = observation_in(world["park_a"], supervisor=world["supervisor"])
    own_park = {type(obj): obj for key, obj in objects.items() if key.endswith("_a")}
    own_park.update({type(world["park_a"]): world["park_a"], type(world["liaison_a"]): world["liaison_a"]})
    own_park.update({Observation: own, Appointment: own.appointment})
    walk = WalkWorld(world, own_park, 2026)
    client = Client(raise_request_exception=False)
    client.force_login(world["supervisor"])
    markers, failures, walked = _markers(world, objects), [], 0
    for route in all_routes():
        if route.name in PUBLIC or route.name.startswith(("logout", "admin:logout")):
            continue
        try:
            path, names_an_object = walk.fill(route)
        except (Unfillable, KeyError):  # a file of an object of park A that the fixture has not made
            continue
        model = view_model(route)
        if model is not None and model._meta.app_label == SUPERVISION:
            continue  # their own observation and appointment: theirs to open
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            walked += 1
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {path}: server error")
            elif names_an_object and not _refused(response):
                failures.append(f"{method.upper()} {path} [{route.name}]: {response.status_code}")
            elif response.status_code == 200 and hasattr(response, "content"):
                body = response.content.decode(errors="replace")
                shown = [marker for marker in markers if marker in body]
                if shown:
                    failures.append(f"{method.upper()} {path} [{route.name}] shows {shown}")
    assert walked > 200
    assert not failures, "A supervisor reaches what is not theirs:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    "url",
    ["/complaints/", "/risks/alerts/", "/risks/riskpoints/", "/rectification/", "/inspections/", "/visits/",
     "/api/complaints/", "/api/alerts/", "/api/findings/", "/api/tasks/", "/api/schema/"],
)  # fmt: skip
def test_the_staff_pages_and_api_refuse_a_supervisor_as_they_refuse_an_enterprise_user(client, world, url):
    client.force_login(world["supervisor"])
    assert client.get(url).status_code == 403
    assert not world["supervisor"].is_staff_reader and world["supervisor"].is_supervisor
