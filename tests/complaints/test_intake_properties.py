"""The public windows as properties over hostile input — arbitrary Unicode, NULs, huge and malformed values
in every field: never a server error, and either a complaint saved with exactly what was sent (after the
usual trimming) or a refusal with nothing saved. The same for the tracking look-up."""

import itertools
import json
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse
from hypothesis import assume, event, given
from hypothesis import strategies as st

from complaints import services
from complaints.api.public import PublicComplaintInput
from complaints.choices import Category
from complaints.forms import ComplaintForm
from complaints.models import Complainant, Complaint, ComplaintAttachment
from tests.properties import PROPERTY

TEXT = st.text(max_size=80)  # every code point but surrogates: controls, NUL, bidi marks, CJK, emoji
ODD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "举报\x00人",
        "\u3000\u3000",
        "\ufeff",
        "\u202e反转文字",
        "\r\n\t",
        "💥" * 3,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%s%(x)s{0}",
        "{{ request }}",
        '=HYPERLINK("http://x")',
    ]
)
HUGE = st.sampled_from([50, 51, 200, 201, 5000, 5001, 60_000]).map(lambda n: "诉" * n)


HOSTILE = st.one_of(TEXT, ODD, HUGE)


def spoiled(valid: dict, hostile: dict):
    """A valid submission with a few of its fields (none, one, up to three) replaced by hostile values, so
    that both the saving and the refusing paths are walked with every kind of value."""
    return st.sets(st.sampled_from(sorted(hostile)), max_size=3).flatmap(
        lambda names: st.fixed_dictionaries(
            {key: hostile[key] if key in names else st.just(value) for key, value in valid.items()}
        )
    )


_addresses = itertools.count(1)


def _client() -> Client:
    """A visitor of its own address: the per-client rate limit is not what is tested here."""
    n = next(_addresses)
    return Client(REMOTE_ADDR=f"198.18.{n // 250 % 250}.{n % 250 + 1}")


def _rows() -> tuple[int, int, int]:
    return Complaint.objects.count(), Complainant.objects.count(), ComplaintAttachment.objects.count()


def _stored_as_sent(complaint: Complaint, sent: dict, is_anonymous: bool) -> None:
    assert complaint.category == sent["category"]
    assert complaint.subject == sent["subject"].strip()
    assert complaint.description == sent["description"].strip()
    assert complaint.demand == sent.get("demand", "").strip()
    assert complaint.is_anonymous == is_anonymous
    if is_anonymous:
        assert not Complainant.objects.filter(complaint=complaint).exists()
    else:
        assert complaint.complainant.name == sent.get("contact_name", "").strip()
        assert complaint.complainant.phone == sent.get("contact_phone", "").strip()
        assert complaint.complainant.enterprise_name == sent.get("enterprise_name", "").strip()


UPLOAD = st.one_of(
    st.none(),
    st.tuples(
        # Any name the test client can put in a request (it refuses empty names and paths itself).
        st.one_of(st.just("照片.png"), st.text(min_size=1, max_size=250)).filter(
            lambda name: name == os.path.basename(name) and name not in ("", ".", "..")
        ),
        st.one_of(
            st.binary(max_size=64).map(lambda tail: b"\x89PNG\r\n\x1a\n" + tail),  # a picture
            st.binary(max_size=64),  # anything at all
        ),
    ),
)


def _kept_files(upload) -> int:
    """Django drops a file whose name is nothing but non-printable characters (or a path): the browser
    sent no usable file, and the complaint is filed without it."""
    return int(upload is not None and MultiPartParser.sanitize_file_name(None, upload[0]) is not None)


VALID_FORM = {
    "category": "not_handled",
    "subject": "政务服务中心",
    "description": "材料齐全却不予受理。",
    "demand": "",
    "is_anonymous": "",
    "contact_name": "李女士",
    "contact_phone": "13911112222",
    "enterprise_name": "",
}
FORM = spoiled(
    VALID_FORM,
    {
        **dict.fromkeys(VALID_FORM, HOSTILE),
        "category": st.one_of(st.sampled_from(Category.values), HOSTILE),
        "is_anonymous": st.one_of(st.sampled_from(["on", "false", "0", "\x00", "是"]), HOSTILE),
    },
)


@PROPERTY
@given(form=FORM, upload=UPLOAD)
def test_the_complaint_page_saves_what_was_sent_or_nothing(world, settings, form, upload):
    settings.COMPLAINT_SUBMIT_RATE = "100000/m"
    data = dict(form)
    if upload is not None:
        name, content = upload
        data["files"] = [SimpleUploadedFile(name, content, content_type="application/octet-stream")]
    with transaction.atomic():
        before = _rows()
        response = _client().post(reverse("complaints:report", args=[world["park_a"].code]), data)
        event(f"answered {response.status_code}")
        assert response.status_code < 500
        after = _rows()
        if response.status_code == 302:
            assert response.url == reverse("complaints:receipt")
            assert after[0] == before[0] + 1
            widget = ComplaintForm.base_fields["is_anonymous"]
            is_anonymous = widget.clean(widget.widget.value_from_datadict(form, {}, "is_anonymous"))
            _stored_as_sent(Complaint.objects.latest("pk"), form, is_anonymous)
            assert after[2] == before[2] + _kept_files(upload)
        else:
            assert response.status_code in (200, 400, 413)
            assert after == before, "a refused complaint left rows behind"
            if response.status_code == 200:
                assert response.context["form"].errors
        transaction.set_rollback(True)


JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT, ODD, HUGE
)
JSON_VALUE = st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=3), st.dictionaries(TEXT, JSON_SCALAR, max_size=3))


VALID_BODY = {
    "park": "PARK-A",
    "category": "not_handled",
    "subject": "政务服务中心",
    "description": "材料齐全却不予受理。",
    "demand": "尽快受理",
    "is_anonymous": False,
    "contact_name": "李女士",
    "contact_phone": "13911112222",
    "enterprise_name": "某科技有限公司",
}
MISSING = object()
API_BODY = st.tuples(
    spoiled(
        VALID_BODY,
        {
            **dict.fromkeys(VALID_BODY, st.one_of(JSON_VALUE, st.just(MISSING))),
            "park": st.one_of(st.just("park-a "), JSON_VALUE, st.just(MISSING)),
        },
    ),
    st.dictionaries(TEXT, JSON_VALUE, max_size=2),  # keys nobody asked for
).map(lambda parts: {**parts[1], **{key: value for key, value in parts[0].items() if value is not MISSING}})


def _as_text(value) -> str:
    """What DRF's CharField makes of a number."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


@PROPERTY
@given(body=API_BODY)
def test_the_intake_api_saves_what_was_sent_or_nothing(world, settings, body):
    settings.COMPLAINT_SUBMIT_RATE = "100000/m"
    with transaction.atomic():
        before = _rows()
        response = _client().post(reverse("public-complaint"), json.dumps(body), content_type="application/json")
        event(f"answered {response.status_code}")
        assert response.status_code < 500, response.content[:300]
        after = _rows()
        if response.status_code == 201:
            assert after[0] == before[0] + 1
            complaint = Complaint.objects.latest("pk")
            assert services.complaint_find_by_code(response.json()["tracking_code"]) == complaint
            sent = {key: _as_text(value) for key, value in body.items()}
            anonymous = PublicComplaintInput().fields["is_anonymous"].to_internal_value(body.get("is_anonymous", False))
            _stored_as_sent(complaint, sent, anonymous)
        else:
            assert 400 <= response.status_code < 500
            assert set(response.json()) >= {"code", "detail", "fields"} or response.status_code == 404
            assert after == before, "a refused complaint left rows behind"
        transaction.set_rollback(True)


def _not_an_object(body: bytes) -> bool:
    try:
        return not isinstance(json.loads(body), dict)
    except ValueError:
        return True


@PROPERTY
@given(
    body=st.one_of(
        st.binary(max_size=200), TEXT.map(str.encode), JSON_VALUE.map(lambda value: json.dumps(value).encode())
    )
)
def test_the_intake_api_refuses_bodies_that_are_not_a_json_object(world, settings, body):
    settings.COMPLAINT_SUBMIT_RATE = "100000/m"
    assume(_not_an_object(body))  # objects are the test above
    response = _client().post(reverse("public-complaint"), body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert set(response.json()) >= {"code", "detail", "fields"}
    assert not Complaint.objects.exists()


@PROPERTY
@given(code=st.one_of(TEXT, ODD, HUGE, st.from_regex(r"\A[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\Z")))
def test_the_tracking_page_answers_any_code_without_a_server_error(world, settings, code):
    settings.TRACKING_LOOKUP_RATE = "100000/m"
    response = _client().post(reverse("complaints:track"), {"code": code})
    # nothing was filed: every code is unknown, and all look the same; a NUL is refused before any look-up
    assert response.status_code == (400 if "\x00" in code else 404)


@PROPERTY
@given(body=st.one_of(st.fixed_dictionaries({"code": st.one_of(TEXT, ODD, HUGE, JSON_VALUE)}), JSON_VALUE))
def test_the_tracking_api_answers_any_body_without_a_server_error(world, settings, body):
    settings.TRACKING_LOOKUP_RATE = "100000/m"
    code = body.get("code") if isinstance(body, dict) else None
    event("code is text" if isinstance(code, str) else "code is not text")
    response = _client().post(reverse("public-track"), json.dumps(body), content_type="application/json")
    assert response.status_code in (400, 404), response.content[:300]


def test_a_filed_complaint_is_found_by_its_code_and_by_nothing_else(world, settings):
    """The properties above see only unknown codes; this one makes sure a known code still opens."""
    settings.TRACKING_LOOKUP_RATE = "100000/m"
    code = services.complaint_submit(
        park=world["park_a"], category="other", subject="某局", description="x"
    ).tracking_code
    assert _client().post(reverse("complaints:track"), {"code": code}).status_code == 302
    found = _client().post(reverse("public-track"), {"code": code}, content_type="application/json")
    assert found.status_code == 200
