"""Browser end-to-end tests: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it launches the system's ``chromium`` (``make test`` installs
it with apt when missing, see scripts/install_browser.sh). Without it the tests skip on a developer's
machine and fail under CI (``CI=true``), so a CI run cannot pass by not running them.

Each test gets ``browser_page(name, ...)``: a page in a context of its own (one per person in the story).
Every page must stay on the live server — any request to another host fails the test — and must raise
no Content-Security-Policy violation nor JavaScript error, and axe-core finds no serious or critical WCAG 2.1 AA
violation on any page and state it shows (checked once per address and state, ``tests/e2e/axe.py``). When the test ends, the last page of every
person is saved as a screenshot in ``var/e2e/<test>/`` (and its HTML too when the test failed).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

from . import axe

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CJK_FONTS = "/usr/share/fonts/**/NotoSansCJK*"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]
PASSWORD = "correct-horse-battery"  # tests/factories.py
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _missing_browser() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk, or run make test as root)"
    if not glob.glob(CJK_FONTS, recursive=True):
        return "no Chinese fonts for readable screenshots (apt-get install fonts-noto-cjk)"
    return None


@pytest.fixture
def chromium(monkeypatch):
    """Debian's chromium, started for one test (Playwright's event loop then runs in the test's thread
    only while the test does, so the rest of the suite never sees it)."""
    problem = _missing_browser()
    if problem:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"browser end-to-end tests cannot run under CI: {problem}", pytrace=False)
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    # The test's own database work (factories, assertions) runs while Playwright's event loop is in the
    # same thread; Django refuses that unless told it is safe, which it is: one thread, one connection.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What one person's browser did: every request, and what went wrong on our pages."""

    name: str
    page: object
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    documents_without_csp: list[str] = field(default_factory=list)
    check_accessibility: bool = True
    accessibility: dict[str, list[axe.Violation]] = field(default_factory=dict)


CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def browser_page(transactional_db, live_server, chromium, request):
    """``browser_page("officer", viewport=PHONE)``: a fresh browser context and its page, logged in by
    the test through the real login page when it needs to be."""
    server = urlsplit(live_server.url)
    watches: list[Watch] = []

    audited: set[str] = set()  # address and state: checked by axe once per test, whoever shows it

    def open_page(name: str, *, viewport=DESKTOP, check_accessibility=True) -> object:
        context = chromium.new_context(
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_REPORTER)
        page = context.new_page()
        watch = Watch(name, page, check_accessibility=check_accessibility)
        if check_accessibility:
            watch_accessibility(context, watch, audited)

        def on_request(req):
            watch.requests.append(req.url)

        def on_response(response):
            ours = urlsplit(response.url).netloc == server.netloc
            if (
                ours
                and response.request.resource_type == "document"
                and "content-security-policy" not in response.headers
            ):
                watch.documents_without_csp.append(response.url)

        def on_console(message):
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                watch.problems.append(f"console: {message.text}")

        context.on("request", on_request)
        context.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.problems.append(f"javascript: {error}"))
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm asks; the person agrees
        watches.append(watch)
        return page

    yield open_page

    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    failed = getattr(request.node, "rep_call", None) is None or request.node.rep_call.failed
    for number, watch in enumerate(watches, start=1):
        stem = folder / f"{number}-{watch.name}"
        try:
            if watch.check_accessibility:
                watch.page.evaluate(axe.CHECK_NOW)
            watch.page.screenshot(path=f"{stem}.png", full_page=True)
            if failed:
                stem.with_suffix(".html").write_text(watch.page.content(), encoding="utf-8")
        finally:
            watch.page.context.close()
    # While Playwright's loop runs, the test's database work used a connection of its own (Django keeps
    # connections per async context): close it, or it outlives the test and holds the test database open.
    connections.close_all()

    foreign = sorted(
        {
            url
            for w in watches
            for url in w.requests
            if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != server.netloc
        }
    )
    assert not foreign, f"the browser asked other hosts than the live server: {foreign}"
    problems = [f"{w.name}: {p}" for w in watches for p in w.problems]
    assert not problems, f"errors in the pages: {problems}"
    inaccessible = {f"{w.name}: {where}": found for w in watches for where, found in w.accessibility.items()}
    assert not inaccessible, f"serious or critical accessibility violations (axe-core):\n{axe.readable(inaccessible)}"
    without_csp = [url for w in watches for url in w.documents_without_csp]
    assert not without_csp, f"pages served without a Content-Security-Policy: {without_csp}"


def watch_accessibility(context, watch: Watch, audited: set[str]) -> None:
    """axe runs in every page the context loads (tests/e2e/axe.py) and reports here; the last page of each
    person is checked again at the end of the test, in case the person left it before axe had finished."""

    def wanted(_source, url: str, state: str) -> bool:
        key = f"{urlsplit(url).path}?{urlsplit(url).query} {state}".strip()
        if key in audited:
            return False
        audited.add(key)
        return True

    def report(_source, url: str, state: str, found: list[dict]) -> None:
        if found:
            watch.accessibility[f"{url} {state}".strip()] = axe.to_violations(found)

    context.expose_binding("__axeWanted", wanted)
    context.expose_binding("__axeReport", report)
    context.add_init_script(axe.auto_run_script())


@pytest.fixture
def login(live_server):
    """Log a person in through the login page, as they would."""

    def log_in(page, user):
        page.goto(f"{live_server.url}/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        assert "/account/2fa/" not in page.url, (
            "the second factor is required: run with TWO_FACTOR_REQUIRED_ROLES empty"
        )
        return page

    return log_in
