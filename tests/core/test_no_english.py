"""No English left in what users read. With the demo data, every page reachable from the home page as
each demo user (and the public pages as an anonymous visitor), every Django admin list, add form and change
form as the commission admin, and the error pages are rendered; their visible text — and the attribute
values a browser shows or reads aloud (placeholder, title, aria-label, alt, the value of a button) — may
hold an ASCII word of two or more letters only if it is a code or on the short ``ALLOWED`` list below.

Codes are not words: a token with a digit, a dot or a slash inside (credit codes, contract and tracking
numbers, dates, Celery task names, time zones like Asia/Shanghai), a setting's name in capitals
(CELERY_TASK_QUEUES), a park code in capitals with hyphens (CQJB-GC), a masked secret (rD*****), a web
address or path, and the text of elements that show a code on purpose (``<code>``, ``<kbd>``, the TOTP
secret, the recovery codes, credit and tracking codes). A code in lower case with underscores is not
exempt: that is a value a user should read in words (an alert rule, a notification kind).
"""

import io
import re
import zoneinfo
from collections import defaultdict, deque
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User

# Words that stay as they are in Chinese text, each for a reason a reader would accept:
ALLOWED = {
    # file formats and units users pick or are told about
    *("Excel", "CSV", "PDF", "OFD", "WPS", "Office", "SVG", "PNG", "MB", "JSON"),
    # names of technologies and products as they are written in Chinese too
    *("xlsx", "csv", "UTC"),
    # names of technologies and products as they are written in Chinese too
    *("API", "QR", "TOTP", "IP", "ID", "HTTP", "Token", "Microsoft", "Authenticator", "Google", "FreeOTP"),
    *("Redis", "Celery", "RabbitMQ", "AMQP"),
    # keyboard keys, as printed on them (Django's "按住 Control 键或 Mac 上的 Command 键来选择多项")
    *("Control", "Command", "Mac"),
}
# Words on pages another part of issue 12 changes in parallel (the sort labels of the lists): allowed
# until that work is merged; then the entry must go (the test says so), so the pages are held to the rule.
KNOWN_PARALLEL: dict[str, str] = {}  # words another change is rewording, with the reason; empty now
# The time-zone choice of the periodic-task schedules lists the IANA names (Asia/Shanghai, but also UTC,
# GMT, Zulu …), which are identifiers, not English.
TIME_ZONE_WORDS = {word for name in zoneinfo.available_timezones() for word in re.findall(r"[A-Za-z]+", name)}
# Data, not labels: django-axes writes "<unknown>" for a header the browser did not send.
DATA_PLACEHOLDERS = ("<unknown>",)

SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
BUTTON_TYPES = {"submit", "button", "reset"}
CODE_TAGS = {"code", "kbd", "samp"}
CODE_CLASSES = {"otp-secret", "recovery-codes", "credit-code", "tracking-code"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.*/\-]*")
ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|(?<![\w/])/[\w\-]+/\S*")
SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
PARK_CODE = re.compile(r"^[A-Z]+(?:-[A-Z]+)+$")
LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/logout/", "/static/", "/api/", "/media/", "/exports/", "/admin/", "/favicon.ico")


class VisibleText(HTMLParser):
    """The text a reader meets: no script or style, no code shown as code; plus the shown attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, hides its text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        hides = tag in ("script", "style", "template") or tag in CODE_TAGS or bool(classes & CODE_CLASSES)
        if not self._hidden:
            shown = SHOWN_ATTRIBUTES
            if tag == "img" and "/admin/img/icon-" in (attributes.get("src") or ""):
                shown = ()  # Django's yes/no icons say True/False/None to a screen reader; an icon, not a label
            self.parts.extend(attributes[name] for name in shown if attributes.get(name))
            if tag == "input" and attributes.get("type") in BUTTON_TYPES and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in VOID:
            self._open.append((tag, hides))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    @property
    def _hidden(self) -> bool:
        return any(hides for _, hides in self._open)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = ADDRESS.sub(" ", " ".join(parser.parts))
    for placeholder in DATA_PLACEHOLDERS:
        text = text.replace(placeholder, " ")
    words = set()
    for token in TOKEN.findall(text):
        token = token.rstrip(".-/")
        if re.search(r"[0-9*]|\w[./]\w", token) or PARK_CODE.match(token) or SETTING_NAME.match(token):
            continue  # a code
        words.update(word for word in re.findall(r"[A-Za-z]{2,}", token))
    return words - ALLOWED - set(KNOWN_PARALLEL)


class Findings:
    def __init__(self, data_words: set[str]):
        self.data_words = data_words
        self.where: dict[str, list[str]] = defaultdict(list)
        self.parallel_seen: set[str] = set()
        self.pages = 0

    def read(self, url: str, response) -> str | None:
        if response.status_code >= 500:
            self.where["<server error>"].append(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            return None
        html = response.content.decode()
        self.pages += 1
        parser = VisibleText()
        parser.feed(html)
        shown = " ".join(parser.parts)
        self.parallel_seen.update(word for word in KNOWN_PARALLEL if word in shown)
        for word in english_words(html):
            if word in self.data_words or (word in TIME_ZONE_WORDS and "/admin/django_celery_beat/" in url):
                continue
            self.where[word].append(url)
        return html

    def report(self) -> str:
        return "\n".join(
            f"{word}: {', '.join(urls[:3])}{' …' if len(urls) > 3 else ''}" for word, urls in sorted(self.where.items())
        )


def crawl(client: Client, start: list[str], findings: Findings, limit: int = 400) -> None:
    """Every page reachable from ``start``; a page is visited once per path and set of query keys (the
    same list under other filter values shows the same words)."""
    seen, queue = set(), deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        path, _, query = url.partition("?")
        shape = (path, tuple(sorted(part.split("=")[0] for part in query.split("&") if part)))
        if shape in seen:
            continue
        seen.add(shape)
        html = findings.read(url, client.get(url))
        for link in LINK.findall(html or ""):
            link = link.replace("&amp;", "&")
            if not link.startswith(SKIP) and "export=" not in link:
                queue.append(link)


def admin_pages(client: Client, findings: Findings) -> None:
    """The admin's index, each app's index and each model's list, add form and the change form of its first
    row — the pages a commission admin opens."""
    findings.read("/admin/", client.get("/admin/"))
    apps = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        apps.add(meta.app_label)
        urls = [f"admin:{meta.app_label}_{meta.model_name}_changelist", f"admin:{meta.app_label}_{meta.model_name}_add"]
        first = model_admin.get_queryset(_request_of(client)).order_by("pk").first()
        for name in urls:
            url = reverse(name)
            findings.read(url, client.get(url))
        if first is not None:
            try:
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            except NoReverseMatch:
                continue
            findings.read(url, client.get(url))
    for label in sorted(apps):
        url = reverse("admin:app_list", args=[label])
        findings.read(url, client.get(url))


def _request_of(client: Client):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


@pytest.mark.django_db
def test_no_page_shows_english():
    call_command("seed_demo", stdout=io.StringIO())
    # The demo users' log-in names (admin, inspector …) are data on the user list and the admin's header.
    findings = Findings(data_words=set(User.objects.values_list("username", flat=True)))
    anonymous = Client()
    crawl(anonymous, ["/login/", "/report/", "/track/", "/no-such-page/"], findings)
    for username in ("admin", "inspector", "officer", "enterprise", "supervisor"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        crawl(client, ["/", "/imports/", "/account/tokens/", "/account/2fa/setup/", "/no-such-page/"], findings)
    client = Client()
    client.force_login(User.objects.get(username="enterprise"))
    findings.read("/risks/riskpoints/", client.get("/risks/riskpoints/"))  # the 403 page
    client.force_login(User.objects.get(username="admin"))
    admin_pages(client, findings)
    assert findings.pages > 150
    assert not findings.where, "English words on the pages:\n" + findings.report()
    merged = set(KNOWN_PARALLEL) - findings.parallel_seen
    assert not merged, f"no page shows {merged} any more: remove them from KNOWN_PARALLEL"


def test_the_scan_finds_english_and_passes_codes():
    html = """<html><head><title>清廉 Portal</title><script>var x = "English";</script></head><body>
      <p>统一社会信用代码 91410400J1RNJWHAR7，园区 CQJB-GC，合同 HT-2026-001，导出 Excel</p>
      <input type="submit" value="Save"><input placeholder="Search"><span aria-label="Close">×</span>
      <code>Authorization: Token abc</code><div class="otp-secret">JBSW Y3DP</div>
      <a href="/x/" title="Sort descending">core.send_reminders</a> http://testserver/report/ABC/
      规则 subsidy_not_landed，CELERY_TASK_QUEUES，Asia/Shanghai，盐 rD******，链接 /complaints/4/</body></html>"""
    assert english_words(html) == {
        "Portal",
        "Save",
        "Search",
        "Close",
        "Sort",
        "descending",
        "subsidy",
        "not",
        "landed",
    }
