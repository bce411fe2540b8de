"""The published OpenAPI schema is true: Schemathesis generates requests from it against a live server
and checks every answer against it — no server error; status codes, content types, bodies and headers as
documented; requests the schema calls invalid are refused (``CHECKS`` says what is left out and why).

Every operation of the staff schema (with a commission admin's knox token) and of the public schema is
run, so a new endpoint is covered the day it lands. Examples are bounded (``MAX_EXAMPLES`` per operation,
no coverage phase) so the run takes a minute or two."""

import contextlib
import os

import hypothesis
import pytest
import requests
import schemathesis
from django.urls import reverse
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup

from accounts.choices import Role
from accounts.services import token_issue
from complaints import services as complaint_services
from tests.factories import (
    ContractFactory,
    DecisionFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    LiaisonFactory,
    ParkFactory,
    ProjectFactory,
    RiskPointFactory,
    SubsidyFactory,
    TaskFactory,
    UserFactory,
)
from tests.supervision.factories import observation_in

MAX_EXAMPLES = 8
#: CONTRACT_VERBOSE=1 adds the request, the status and the start of the answer to each failure.
VERBOSE = bool(os.environ.get("CONTRACT_VERBOSE"))
DETAIL_CHARS = 200

#: What each run checks (schemathesis' names). Left out: positive_data_acceptance — a request the schema
#: allows can still name an object that does not exist or is outside the caller's parks, or break a rule
#: between fields or against the database (paid on before approved, more than outstanding); the server
#: answers those 400 with ``fields``, which the schema documents. The stateful, multi-request checks
#: (use_after_free, ensure_resource_availability: there is no DELETE; ignored_auth has its own tests in
#: tests/api/test_api.py) and max_response_time (a slow shared CI machine is no contract breach).
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
]


def contract_config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )


@pytest.fixture
def seeded(transactional_db, settings):
    """A park with one object of every kind, a commission admin with a token; rate limits out of the way."""
    settings.COMPLAINT_SUBMIT_RATE = "100000/m"
    settings.TRACKING_LOOKUP_RATE = "100000/m"
    park = ParkFactory(code="PARK-A")
    enterprise = EnterpriseFactory(park=park)
    LiaisonFactory(enterprise=enterprise)
    admin = UserFactory(role=Role.COMMISSION_ADMIN)
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[park])
    RiskPointFactory(park=park)
    DecisionFactory(park=park)
    SubsidyFactory(enterprise=enterprise)
    ContractFactory(project=ProjectFactory(park=park))
    inspection = InspectionFactory(parks=[park])
    TaskFactory(finding=FindingFactory(park=park, inspection=inspection), owner=officer)
    complaint_services.complaint_submit(
        park=park, category="other", subject="招商承诺未兑现", description="补贴迟迟未发放。"
    )
    observation_in(park)  # a supervisor's observation, and their appointment
    _instance, token = token_issue(user=admin)
    return {"token": token, "park": park}


def _load(live_server, name: str, headers: dict) -> schemathesis.BaseSchema:
    url = live_server.url + reverse(name) + "?format=json"
    answer = requests.get(url, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    schema = schemathesis.openapi.from_dict(answer.json(), config=contract_config())
    schema.config.update(base_url=live_server.url, headers=headers)
    return schema


def _existing_id(live_server, path: str, headers: dict) -> int | None:
    """The id of a real object for ``/api/<resource>/{id}/…``: the first one its list answers."""
    listing = live_server.url + path.split("{id}")[0]
    answer = requests.get(listing, headers=headers, timeout=30)
    if answer.status_code != 200:
        return None
    data = answer.json()
    rows = data.get("results", []) if isinstance(data, dict) else data
    return rows[0]["id"] if rows else None


def run_contract(live_server, schema: schemathesis.BaseSchema, headers: dict) -> tuple[int, dict[str, set[str]]]:
    """Run every operation of ``schema``: valid requests (against a real object where the path names one)
    and invalid ones. Answers how many operations ran and the distinct failures by operation."""
    failures: dict[str, set[str]] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        pinned = {}
        if "{id}" in operation.path:
            pk = _existing_id(live_server, operation.path, headers)
            if pk is not None:
                pinned["id"] = pk
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(
                generation_mode=mode, path_parameters=pinned if mode is GenerationMode.POSITIVE else None
            )
            found = failures.setdefault(f"{operation.method.upper()} {operation.path}", set())
            # Unsatisfiable: nothing in this operation can be made invalid (no parameters, no body).
            with contextlib.suppress(hypothesis.errors.Unsatisfiable):
                _exercise(strategy, headers, found)()
    return operations, {label: found for label, found in failures.items() if found}


def _exercise(strategy, headers: dict, found: set[str]):
    """A bounded Hypothesis run of one operation, collecting distinct failures instead of stopping at the
    first (no shrinking: the report names the failure, the verbose mode shows the request)."""

    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def exercise(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, headers=headers)
        except (FailureGroup, Failure) as error:
            for failure in error.exceptions if isinstance(error, FailureGroup) else [error]:
                detail = ""
                if VERBOSE:
                    detail = (
                        f" [{response.status_code}] {response.request.url} {response.request.body!r:.300}"
                        f" -> {response.text[:DETAIL_CHARS]} :: {failure.message[:DETAIL_CHARS]}"
                    )
                found.add(f"{type(failure).__name__}: {failure.title}{detail}")

    return exercise


def _report(failures: dict[str, set[str]]) -> str:
    return "\n".join(f"{label}\n    " + "\n    ".join(sorted(found)) for label, found in sorted(failures.items()))


def test_the_staff_api_keeps_its_published_contract(live_server, seeded):
    headers = {"Authorization": f"Token {seeded['token']}"}
    schema = _load(live_server, "api-schema", headers)
    operations, failures = run_contract(live_server, schema, headers)
    assert operations > 60  # every operation of the staff API ran
    assert not failures, f"{sum(map(len, failures.values()))} failures:\n" + _report(failures)


def test_the_public_api_keeps_its_published_contract(live_server, seeded):
    schema = _load(live_server, "api-public-schema", {})
    operations, failures = run_contract(live_server, schema, {})
    assert operations == 2
    assert not failures, f"{sum(map(len, failures.values()))} failures:\n" + _report(failures)


def test_an_unknown_api_url_answers_404_in_the_error_shape(client, world):
    client.force_login(world["admin"])
    for url in ("/api/alerts/not-a-number/", "/api/no-such-resource/", "/api/complaints/1/no-such-step/"):
        answer = client.get(url)
        assert answer.status_code == 404 and answer["Content-Type"] == "application/json", url
        assert set(answer.json()) == {"code", "detail", "fields"}


def test_marking_a_notification_that_is_not_a_number_read_is_404_not_500(client, world):
    client.force_login(world["officer"])
    answer = client.post("/api/notifications/abc/read/")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


@pytest.mark.parametrize("year", ["1.5", "-1.0701073032785568e-112", "99999999999999999999"])
def test_a_demand_year_that_is_not_a_year_is_refused_not_a_server_error(client, world, year):
    client.force_login(world["admin"])
    answer = client.get("/api/demands/", {"year": year})
    assert answer.status_code == 400 and "year" in answer.json()["fields"]


def test_a_yes_no_filter_refuses_anything_but_yes_no_or_empty(client, world):
    client.force_login(world["admin"])
    assert client.get("/api/riskpoints/", {"alerted": "-268435456"}).status_code == 400
    for value in ("true", "false", ""):
        assert client.get("/api/riskpoints/", {"alerted": value}).status_code == 200
    # The list page shares the filter: a bad value there is a message on the form, never a 500.
    assert client.get(reverse("risks:riskpoint-list"), {"alerted": "maybe"}).status_code == 200


def test_a_yes_no_field_filter_of_the_api_is_strict_too(client, world):
    client.force_login(world["admin"])
    assert client.get("/api/contracts/", {"integrity_contract": "perhaps"}).status_code == 400
    assert client.get("/api/contracts/", {"integrity_contract": "true"}).status_code == 200
