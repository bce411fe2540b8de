"""The API's documentation: the staff API (every scoped endpoint) is described to staff readers only;
the public part (intake, tracking) has its own schema and docs that anybody may read. The docs pages
load nothing from other sites and run under a Content-Security-Policy without 'unsafe-inline'."""

import re
import shutil
import subprocess

import pytest
import yaml
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.permissions import AllowAny

PUBLIC_PATHS = {"/api/public/complaints/", "/api/public/track/"}


def schema(response) -> dict:
    return yaml.safe_load(response.content)


@pytest.mark.parametrize("who", ["anonymous", "enterprise_user"])
def test_outsiders_cannot_read_the_staff_schema_or_docs(client, world, who):
    if who != "anonymous":
        client.force_login(world[who])
    refused = client.get(reverse("api-schema"))
    assert refused.status_code in (401, 403) and refused.json()["code"] in ("not_authenticated", "permission_denied")
    assert b"/api/complaints/" not in refused.content
    docs = client.get(reverse("api-docs"))
    if who == "anonymous":
        assert docs.status_code == 302 and docs.url.startswith(reverse("login"))
    else:
        assert docs.status_code == 403
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code in (302, 403)


@pytest.mark.parametrize("who", ["inspector", "officer", "admin"])
def test_staff_read_the_staff_schema_and_docs(client, world, who):
    client.force_login(world[who])
    paths = schema(client.get(reverse("api-schema")))["paths"]
    assert "/api/complaints/" in paths and "/api/tasks/{id}/verify/" in paths
    assert client.get(reverse("api-docs")).status_code == 200


def test_the_public_schema_describes_only_the_public_endpoints_to_anybody(db):
    anonymous = Client()
    response = anonymous.get(reverse("api-public-schema"))
    assert response.status_code == 200
    document = schema(response)
    assert set(document["paths"]) == PUBLIC_PATHS
    assert not any("Park" in name and "Public" not in name for name in document["components"]["schemas"])
    assert anonymous.get(reverse("api-public-docs")).status_code == 200


def test_redoc_is_gone(client, world):
    client.force_login(world["admin"])
    assert client.get("/api/redoc/").status_code == 404


@pytest.mark.parametrize("name", ["api-docs", "api-public-docs"])
def test_the_docs_page_runs_under_a_strict_content_security_policy(client, world, name):
    """No inline script or style (CSP: script-src 'self'; style-src 'self'), nothing from another site."""
    client.force_login(world["inspector"])
    page = client.get(reverse(name)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline <script>"
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources)
    assert "cdn" not in page.lower() and "googleapis" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page  # served from the sidecar package
    script_url = next(source for source in re.findall(r'<script src="([^"]+)"', page) if "script" in source)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


CSP = "default-src 'self'; img-src 'self' data:; report-uri /csp-report/"
VIOLATIONS: list[bytes] = []


def with_csp(view):
    """The policy the portal is to send on every page, added to one view."""

    def strict(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = CSP
        return response

    return strict


@csrf_exempt
def csp_report(request):
    VIOLATIONS.append(request.body)
    return HttpResponse(status=204)


def chromium_dom(url: str) -> str:
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return result.stdout


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs a headless Chromium")
def test_swagger_ui_renders_the_operations_in_chromium_under_the_policy(live_server, settings, db):
    settings.ROOT_URLCONF = __name__  # the portal's URLs, the docs pages sent with the policy
    VIOLATIONS.clear()
    dom = chromium_dom(live_server.url + reverse("api-public-docs"))
    assert "opblock-summary-path" in dom and "/api/public/track/" in dom  # the operations are listed
    assert VIOLATIONS == []
    # The harness bites: drf-spectacular's page with its inline script and style renders nothing under
    # the policy, and the browser reports both.
    dom = chromium_dom(live_server.url + "/inline-docs/")
    assert "swagger-ui" in dom and "opblock-summary-path" not in dom
    reported = b" ".join(VIOLATIONS)
    assert b"style-src-elem" in reported and b"script-src-elem" in reported


def _public_docs_view():
    from django.urls import resolve

    return resolve("/api/public/docs/", urlconf="config.urls").func


urlpatterns = [
    path("csp-report/", csp_report),
    path("api/public/docs/", with_csp(_public_docs_view())),
    path(
        "inline-docs/",
        with_csp(SpectacularSwaggerView.as_view(url_name="api-public-schema", permission_classes=[AllowAny])),
    ),
    path("", include("config.urls")),
]
