"""A Content-Security-Policy on every response, and pages that keep it without exceptions: no inline
<script> with a body, no on…= handlers, no style= attributes, no <style> elements, no javascript: links.
The crawl of tests/core/test_crawl.py applies ``assert_obeys_csp`` to every page each role reaches; here
the public pages, the printable ones, the error pages and the Django admin."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from complaints import services

pytestmark = pytest.mark.django_db

SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class InlineCode(HTMLParser):
    """Everything in a page that runs or styles from inside the HTML, as (kind, value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._script_type = None
        self._script_body = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(("handler", value))
            elif name == "style":
                self.found.append(("style", value))
            elif name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.found.append(("javascript: address", value))
        if tag == "style":
            self.found.append(("style element", ""))
        if tag == "script" and "src" not in dict(attrs):
            self._script_type = (dict(attrs).get("type") or "").lower()
            self._script_body = ""

    def handle_data(self, data):
        if self._script_type is not None:
            self._script_body += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script_type is not None:
            if self._script_body.strip() and self._script_type in SCRIPT_TYPES:  # json_script is data
                self.found.append(("inline script", self._script_body.strip()[:80]))
            self._script_type = None


def inline_code(html: str) -> list[tuple[str, str]]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_obeys_csp(response, url=""):
    """The strict policy is sent, and the page needs no exception from it."""
    directives = policy(response)
    assert directives["script-src"] == ["'self'"], url
    assert directives["style-src"] == ["'self'"], url
    assert "script-src-attr" not in directives and "style-src-attr" not in directives, url
    assert not any("'unsafe-inline'" in sources for sources in directives.values()), url
    if response.get("Content-Type", "").startswith("text/html"):
        assert inline_code(response.content.decode()) == [], url


def sha256(value: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'"


def test_the_policy_is_the_strict_one():
    response = Client().get(reverse("login"))
    directives = policy(response)
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }


def test_the_checker_finds_what_the_policy_refuses():
    html = (
        '<p style="color:red" onclick="x()"><a href="javascript:go()">a</a></p><style>p{}</style>'
        '<script>alert(1)</script><script type="application/json">{"data": 1}</script>'
        '<script src="/static/js/portal.js"></script>'
    )
    assert [kind for kind, _value in inline_code(html)] == [
        "style",
        "handler",
        "javascript: address",
        "style element",
        "inline script",
    ]


def test_public_pages_obey_the_policy(world):
    from accounts.models import User  # noqa: F401 - the world fixture made the parks

    public = Client(REMOTE_ADDR="198.51.100.77")
    park = world["park_a"]
    urls = [
        reverse("login"),
        reverse("complaints:choose-park"),
        reverse("complaints:report", args=[park.code]),
        reverse("complaints:poster", args=[park.code]),
        reverse("complaints:track"),
        "/no-such-page/",
        "/report/?q=%00",
    ]
    for url in urls:
        assert_obeys_csp(public.get(url), url)
    filed = public.post(
        reverse("complaints:report", args=[park.code]),
        {"category": "not_handled", "subject": "某科", "description": "一直不办", "is_anonymous": "on"},
        follow=True,
    )
    assert filed.redirect_chain, "the complaint was not filed"
    assert_obeys_csp(filed, "receipt")
    assert b"data-print" in filed.content


def test_refusals_and_error_pages_obey_the_policy(world):
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(reverse("complaints:track"), {"code": "x"})
    assert refused.status_code == 403
    assert_obeys_csp(refused, "csrf failure")
    too_large = Client().generic("POST", "/track/", CONTENT_LENGTH=str(10**12))
    assert too_large.status_code == 413
    assert_obeys_csp(too_large, "413")
    assert inline_code(render_to_string("500.html")) == []


@pytest.mark.parametrize("role", ["admin", "inspector", "officer", "enterprise_user"])
def test_the_pages_each_role_starts_from_obey_the_policy(world, role):
    client = Client()
    client.force_login(world[role])
    for url in ["/", reverse("parks:enterprise-list"), reverse("imports:index"), reverse("password_change")]:
        response = client.get(url)
        if response.status_code == 200:
            assert_obeys_csp(response, url)


def test_the_printable_evaluation_report_obeys_the_policy_and_prints_from_a_script(world):
    from evaluations import services as evaluation_services

    year = 2026
    evaluation_services.round_open(actor=world["admin"], year=year)
    client = Client()
    client.force_login(world["admin"])
    for url in [
        reverse("evaluations:round", args=[year]),
        reverse("evaluations:park", args=[year, world["park_a"].code]),
        reverse("evaluations:report", args=[year, world["park_a"].code]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_obeys_csp(response, url)
    assert b"data-print" in response.content
    assert b"js/portal.js" in response.content


def test_json_answers_carry_the_policy_too(world):
    response = Client().post(reverse("public-track"), {"code": "x"}, content_type="application/json")
    assert response.status_code == 404
    assert policy(response)["default-src"] == ["'self'"]


# --- the Django admin ----------------------------------------------------------------------------------------


def allowed(kind: str, value: str, directives: dict[str, list[str]]) -> bool:
    """Whether the policy lets exactly this inline attribute run (by its hash, with 'unsafe-hashes')."""
    directive = {"handler": "script-src-attr", "style": "style-src-attr"}.get(kind)
    sources = directives.get(directive, [])
    return "'unsafe-hashes'" in sources and sha256(value) in sources


def admin_urls(world, complaint):
    from django_celery_beat.models import PeriodicTask

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    enterprise = world["ent_a"]
    urls += [
        reverse("admin:parks_enterprise_change", args=[enterprise.pk]),
        reverse("admin:parks_enterprise_history", args=[enterprise.pk]),
        reverse("admin:parks_enterprise_export"),
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        reverse("admin:complaints_complaint_history", args=[complaint.pk]),
        reverse("admin:complaints_complaint_export"),
        reverse("admin:django_celery_beat_periodictask_change", args=[PeriodicTask.objects.first().pk]),
        reverse("admin:accounts_user_change", args=[world["officer"].pk]),
        reverse("admin:parks_park_add"),
    ]
    return urls


def test_the_admin_runs_under_the_policy_with_only_hashed_exceptions(world):
    """Django's own admin needs nothing inline. Two third-party pages do, and get exactly their
    attributes by hash on those views alone: django-import-export's export form and
    django-simple-history's history list. django-celery-beat's inline script is replaced by a file."""
    complaint = services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description="一直不办", contact_name="甲"
    ).complaint
    client = Client()
    client.force_login(world["admin"])
    excepted = set()
    for url in admin_urls(world, complaint):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"], url
        found = inline_code(response.content.decode())
        assert [kind for kind, _value in found if kind not in ("handler", "style")] == [], url
        for kind, value in found:
            assert allowed(kind, value, directives), (url, kind, value)
            excepted.add(re.sub(r"/\d+/", "/<id>/", url))
        if not found:
            assert "script-src-attr" not in directives and "style-src-attr" not in directives, url
    assert excepted == {"/admin/parks/enterprise/export/", "/admin/complaints/complaint/export/"} | {
        "/admin/parks/enterprise/<id>/history/"
    }
