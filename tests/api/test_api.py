import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.services import token_issue
from complaints.models import Complainant, Complaint


@pytest.mark.parametrize("urlconf", [None, "config.api_public"], ids=["staff", "public"])
def test_the_schema_is_generated_without_warnings(db, urlconf):
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", *(["--urlconf", urlconf] if urlconf else []), stdout=out
    )
    assert "openapi: 3" in out.getvalue()


def test_token_authentication(world):
    _instance, token = token_issue(user=world["inspector"])
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("enterprise-list")).status_code == 200
    refused = Client(HTTP_AUTHORIZATION="Token wrong").get(reverse("enterprise-list"))
    assert refused.status_code in (401, 403) and refused.json()["code"] == "authentication_failed"


def test_errors_have_a_stable_shape(client, world):
    client.force_login(world["officer"])
    bad = client.post(
        reverse("riskpoint-list"), {"park": world["park_a"].pk, "likelihood": 9}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid" and "likelihood" in bad.json()["fields"]
    missing = client.get(reverse("riskpoint-detail", args=[999999]))
    assert missing.status_code == 404 and set(missing.json()) == {"code", "detail", "fields"}
    anonymous = Client().get(reverse("riskpoint-list"))
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "not_authenticated"


def test_a_service_validation_error_names_its_field(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("decision-list"),
        {"park": world["park_a"].pk, "kind": "appointment", "subject": "x", "meeting_on": "2026-03-01", "meeting_kind": "party_committee", "members_entitled": 5, "members_present": 7},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "members_present" in response.json()["fields"]


@pytest.fixture
def anonymous(client_ip):
    return Client(REMOTE_ADDR=client_ip)


@pytest.fixture
def client_ip():
    import uuid

    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_the_public_can_file_and_follow_a_complaint_through_the_api(anonymous, world):
    filed = anonymous.post(
        reverse("public-complaint"),
        {"park": world["park_a"].code.lower(), "category": "favours", "subject": "某科", "description": "暗示请吃饭", "is_anonymous": True, "contact_name": "不存"},
        content_type="application/json",
    )  # fmt: skip
    assert filed.status_code == 201
    code = filed.json()["tracking_code"]
    assert not Complainant.objects.exists()
    followed = anonymous.post(reverse("public-track"), {"code": code.lower()}, content_type="application/json")
    assert followed.status_code == 200
    assert followed.json()["status"] == "待受理"
    assert [step["kind"] for step in followed.json()["steps"]] == ["提交"]
    unknown = anonymous.post(reverse("public-track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, content_type="application/json")
    malformed = anonymous.post(reverse("public-track"), {"code": "<x>"}, content_type="application/json")
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json() == malformed.json()
    assert Complaint.objects.count() == 1


def test_public_endpoints_refuse_unknown_parks_and_bad_input(anonymous, world):
    assert (
        anonymous.post(
            reverse("public-complaint"),
            {"park": "NOPE", "category": "other", "subject": "x", "description": "y", "is_anonymous": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    empty = anonymous.post(
        reverse("public-complaint"),
        {"park": world["park_a"].code, "category": "other", "subject": " ", "description": ""},
        content_type="application/json",
    )
    assert empty.status_code == 400 and {"subject", "description"} <= set(empty.json()["fields"])
    bad_phone = anonymous.post(
        reverse("public-complaint"),
        {"park": world["park_a"].code, "category": "other", "subject": "某科", "description": "说明", "contact_phone": "12345"},
        content_type="application/json",
    )  # fmt: skip
    assert bad_phone.status_code == 400 and list(bad_phone.json()["fields"]) == ["contact_phone"]
    assert not Complaint.objects.exists()


def test_public_endpoints_are_rate_limited(anonymous, world, settings):
    settings.TRACKING_LOOKUP_RATE = "2/m"
    statuses = [
        anonymous.post(
            reverse("public-track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [404, 404, 429]
    assert (
        "请求过于频繁"
        in anonymous.post(reverse("public-track"), {"code": "x"}, content_type="application/json").json()["detail"]
    )


def test_only_the_public_endpoints_are_anonymous(db):
    from config.api import router

    anonymous = Client()
    for prefix, _viewset, basename in router.registry:
        assert anonymous.get(reverse(f"{basename}-list")).status_code in (401, 403), prefix


def test_liaisons_through_the_api(client, world):
    client.force_login(world["admin"])
    response = client.post(
        reverse("liaison-list"),
        {"member": world["admin"].pk, "enterprise": world["ent_a"].pk, "started_on": "2099-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    world["liaison_a"].refresh_from_db()
    assert world["liaison_a"].ended_on is not None  # the previous one ended
    client.force_login(world["officer"])
    refused = client.post(
        reverse("liaison-list"),
        {"member": world["inspector"].pk, "enterprise": world["ent_a"].pk},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_evaluation_results_through_the_api(client, world):
    from evaluations import services

    services.round_open(actor=world["admin"], year=2026)
    client.force_login(world["inspector"])
    results = client.get(reverse("evaluationround-results", args=[2026])).json()
    assert [row["park"] for row in results] == [world["park_a"].code]
    client.force_login(world["officer"])
    assert client.get(reverse("evaluationround-list")).status_code == 403


def test_subsidy_payments_through_the_api(client, world):
    from tests.factories import SubsidyFactory

    subsidy = SubsidyFactory(
        park=world["park_a"], enterprise=world["ent_a"], approved_amount="1000", approved_on="2026-03-01"
    )
    client.force_login(world["officer"])
    url = reverse("subsidy-payments", args=[subsidy.pk])
    too_much = client.post(
        url, {"paid_on": "2026-03-05", "amount": "1500", "voucher_no": "A1"}, content_type="application/json"
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["fields"]
    assert (
        client.post(
            url, {"paid_on": "2026-03-05", "amount": "600", "voucher_no": "A1"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert [p["voucher_no"] for p in client.get(url).json()] == ["A1"]
    client.force_login(world["inspector"])
    assert (
        client.post(
            url, {"paid_on": "2026-03-06", "amount": "1", "voucher_no": "A2"}, content_type="application/json"
        ).status_code
        == 403
    )
