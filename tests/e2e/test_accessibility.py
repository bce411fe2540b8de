"""WCAG 2.1 AA, checked by axe-core (tests/e2e/axe.py) on what each role can reach over the demo data.

The crawl logs in as each demo user (and visits the public pages without an account), opens the home page,
follows every link of ours from it and from the pages it leads to (one page per kind of address: the first
complaint stands for all complaints), and runs axe on each. The states no link leads to — forms showing
their errors, the import preview, the printable report, the 403/404/429 pages — are made by hand. A serious or
critical violation anywhere fails, with the list of rules, elements and advice.
"""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from parks.demo import DEMO_PASSWORD
from tests.factories import ParkFactory

from .axe import Violation, audit, axe_source, readable
from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

ROLES = ("admin", "inspector", "officer", "enterprise", "supervisor")  # the demo users (parks/demo.py)
PAGES_PER_ROLE = 40
DEPTH = 2  # the home page's links, and theirs
# Not pages to read: logging out, files, the API, exports and downloads, other pages of a list, and the
# Django admin's pages beyond its index (its own markup, not ours).
NOT_A_PAGE = re.compile(
    r"^/(logout|static|media|api|exports|attachments|healthz|favicon)\b|/rectification/files/|^/admin/.|"
    r"\.(xlsx|csv|png|svg|pdf)\b|[?&](export|page|format)="
)
DEMO_PARK = "PDS-GXQ"


def kind_of(path: str) -> str:
    """One page per kind of address: ids and codes stand for every id and code, the query is dropped."""
    path = urlsplit(path).path
    return re.sub(r"\d+", "#", re.sub(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", "CODE", path))


def crawl(page, base: str, start: str, *, limit: int = PAGES_PER_ROLE) -> tuple[dict[str, list[Violation]], int]:
    """Breadth first from ``start``; returns the violations by page and how many pages were checked."""
    page.context.add_init_script(axe_source())  # once for the context, not once per page
    findings: dict[str, list[Violation]] = {}
    queue, seen, visited = deque([(start, 0)]), {kind_of(start)}, 0
    while queue and visited < limit:
        path, depth = queue.popleft()
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        visited += 1
        if found := audit(page):
            findings[path] = found
        if depth >= DEPTH:
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
            parts = urlsplit(href)
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc != urlsplit(base).netloc or NOT_A_PAGE.search(link) or kind_of(link) in seen:
                continue
            seen.add(kind_of(link))
            queue.append((link, depth + 1))
    return findings, visited


def log_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def check(findings: dict, where: str, page) -> None:
    if found := audit(page):
        findings[where] = found


def test_every_page_each_role_reaches_has_no_serious_accessibility_violation(browser_page, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    findings: dict[str, list[Violation]] = {}
    visited = {}

    public = browser_page("public", viewport=PHONE, check_accessibility=False)
    found, visited["public"] = crawl(public, live_server.url, f"/report/{DEMO_PARK}/")
    findings.update({f"public {path}": v for path, v in found.items()})
    for username in ROLES:
        page = browser_page(username, check_accessibility=False)
        log_in(page, live_server.url, username)
        found, visited[username] = crawl(page, live_server.url, "/")
        findings.update({f"{username} {path}": v for path, v in found.items()})

    print(f"pages checked by axe: {visited}")
    assert not findings, f"serious or critical accessibility violations (axe-core):\n{readable(findings)}"
    assert visited["public"] >= 4 and all(visited[username] >= 10 for username in ROLES), visited


def test_forms_with_errors_error_pages_import_preview_and_printable_report_have_no_serious_violation(
    browser_page, live_server, settings, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())
    settings.TRACKING_LOOKUP_RATE = "2/h"
    settings.COMPLAINT_SUBMIT_RATE = "1000/m"  # the error state is a POST; other tests filed from 127.0.0.1 too
    base, findings = live_server.url, {}

    person = browser_page("public", viewport=PHONE, check_accessibility=False)
    person.goto(f"{base}/report/{DEMO_PARK}/")
    person.get_by_role("button", name="提交").click()
    person.locator(".errorlist").first.wait_for()
    check(findings, "complaint form with errors", person)
    person.goto(f"{base}/login/")
    person.locator("#id_username").fill("nobody")
    person.locator("#id_password").fill("wrong-password")
    person.get_by_role("button", name="登录").click()
    person.locator(".alert-danger, .errorlist").first.wait_for()
    check(findings, "login with errors", person)
    for answer in (404, 404, 429):  # an unknown code twice, then the limit (TRACKING_LOOKUP_RATE)
        person.goto(f"{base}/track/")
        person.locator("[name=code]").fill("AAAA-BBBB-CCCC-DDDD")
        with person.expect_navigation() as navigation:
            person.get_by_role("button", name="查询").click()
        assert navigation.value.status == answer
        if answer == 404:
            check(findings, "tracking, code not found", person)
    check(findings, "429 too many requests", person)
    person.goto(f"{base}/no-such-page/")
    check(findings, "404", person)

    enterprise = browser_page("enterprise", check_accessibility=False)
    log_in(enterprise, base, "enterprise")
    assert enterprise.goto(f"{base}/calendar/").status == 403
    check(findings, "403", enterprise)

    admin = browser_page("admin", check_accessibility=False)
    log_in(admin, base, "admin")
    admin.set_viewport_size(PHONE)  # the staff pages on a phone: the menu folded behind its button, then open
    admin.goto(f"{base}/")
    check(findings, "home at 375 px", admin)
    admin.get_by_role("button", name="菜单").click()
    admin.locator("#portal-nav.show").wait_for()
    check(findings, "home at 375 px, menu open", admin)
    admin.set_viewport_size(DESKTOP)
    admin.goto(f"{base}/evaluations/2026/{DEMO_PARK}/report/")
    check(findings, "printable evaluation report", admin)
    admin.goto(f"{base}/risks/riskpoints/new/")
    admin.locator("main form button[type=submit]").last.click()
    admin.locator(".errorlist, .is-invalid").first.wait_for()
    check(findings, "ledger form with errors", admin)
    workbook = tmp_path / "subsidies.csv"
    workbook.write_text(
        "园区编码,统一社会信用代码,政策名称,所属期间,批准金额,批准日期\n"
        f"{DEMO_PARK},not-a-code,研发投入后补助,2026,1000.00,2026-02-30\n",
        encoding="utf-8",
    )
    admin.goto(f"{base}/imports/")
    card = admin.locator(".portal-card", has=admin.get_by_role("heading", name="奖补资金", exact=True))
    card.locator("input[name=file]").set_input_files(str(workbook))
    card.get_by_role("button", name="检查文件").click()
    admin.locator("#import-errors").wait_for()
    check(findings, "import preview with errors", admin)

    assert not findings, f"serious or critical accessibility violations (axe-core):\n{readable(findings)}"


# Links, buttons and fields smaller than 24 × 24 CSS pixels (WCAG 2.2, 2.5.8 — axe leaves it out of 2.1 AA).
# A link inside a sentence is exempt, as WCAG allows: one whose block holds text besides its links.
SMALL_TARGETS = """() => {
  const small = [];
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  for (const element of document.querySelectorAll(controls)) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || element.closest("[hidden]")) continue;  // not shown
    if (element.tagName === "A" && getComputedStyle(element).display === "inline") {
      let words = element.parentElement.textContent;
      for (const link of element.parentElement.querySelectorAll("a")) words = words.replace(link.textContent, "");
      if (words.trim()) continue;
    }
    if (box.width < 23.5 || box.height < 23.5) {
      const name = (element.textContent || element.getAttribute("aria-label") || element.name || "").trim();
      small.push(`${element.tagName.toLowerCase()} "${name.slice(0, 30)}" ${box.width.toFixed(0)}×${box.height.toFixed(0)}`);
    }
  }
  return small;
}"""


# What has the keyboard focus, and whether it shows: an outline or Bootstrap's focus ring (a box shadow).
FOCUSED = """() => {
  const element = document.activeElement;
  if (element === document.body) return null;  // past the last control
  const style = getComputedStyle(element);
  const shown = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  return {name: element.name || element.id || element.textContent.trim(), shown};
}"""


def tab_through(page, presses: int) -> list[dict]:
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        if stop := page.evaluate(FOCUSED):
            stops.append(stop)
    return stops


def test_the_public_pages_work_by_touch_and_keyboard_on_a_phone(browser_page, live_server, settings):
    settings.COMPLAINT_SUBMIT_RATE = "1000/m"  # counters of other tests' complaints from 127.0.0.1 this hour
    park = ParkFactory(code=DEMO_PARK, name="平顶山高新区")
    base, small = live_server.url, {}
    person = browser_page("public", viewport=PHONE)

    def measure(where: str) -> None:
        if found := person.evaluate(SMALL_TARGETS):
            small[where] = found

    for path in ("/report/", f"/report/{park.code}/", "/track/", "/login/"):
        person.goto(base + path)
        measure(path)
    person.goto(f"{base}/report/{park.code}/")
    stops = tab_through(person, 15)  # the skip link, the header's three links, then the form
    assert [stop["name"] for stop in stops if not stop["shown"]] == [], "focus not visible"
    reached = {stop["name"] for stop in stops}
    assert {"category", "subject", "description", "is_anonymous", "contact_name", "files", "提交"} <= reached, reached
    person.get_by_role("button", name="提交").click()
    person.locator(".errorlist").first.wait_for()
    measure("the complaint form with errors")
    person.locator("[name=category]").select_option("favours")
    person.locator("[name=subject]").fill("管委会规划建设局")
    person.locator("[name=description]").fill("经办人暗示需要宴请才能加快审批。")
    person.locator("[name=is_anonymous]").check()
    person.get_by_role("button", name="提交").click()
    person.get_by_text("已收到您的反映").wait_for()
    measure("the receipt")
    person.goto(f"{base}/track/")
    person.locator("[name=code]").fill("AAAA-BBBB-CCCC-DDDD")
    person.get_by_role("button", name="查询").click()
    person.wait_for_load_state()
    measure("tracking, code not found")

    assert not small, "targets under 24 × 24 px at 375 px wide:\n" + "\n".join(
        f"{where}: {', '.join(found)}" for where, found in small.items()
    )
