"""axe-core, the accessibility engine, run inside the browser tests against WCAG 2.0/2.1 A and AA.

axe-core comes from the npm registry, pinned in package.json/package-lock.json at the repository root
(``make test`` runs ``npm ci`` when node_modules/axe-core/axe.min.js is missing); the tests read it from disk
and hand it to the page through Playwright (an init script or ``page.evaluate``, which the page's
Content-Security-Policy does not govern), never from a CDN.

A violation of impact serious or critical fails the test; minor and moderate ones are left to review.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")

# Runs axe on the document and returns its serious and critical violations, reduced to what a reader needs.
RUN = """async ([tags, impacts]) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    // WCAG 2.5.3 "label in name": an experimental rule in axe 4, so off unless asked for.
    rules: {"label-content-name-mismatch": {enabled: true}},
    resultTypes: ["violations"],
  });
  return results.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""

# For the journeys: axe checks every page once it has loaded (top frame only) and hands what it found to
# the test through two bindings; ``__axeWanted`` lets the test skip a page and state it has checked already.
AUTO_RUN = """
if (window.top === window) {
  window.__axeCheckNow = () => (window.__axeDone ||= (async () => {
    const state = document.querySelector(".errorlist, .is-invalid, .alert-danger") ? "with errors" : "";
    if (typeof axe === "undefined" || !(await window.__axeWanted(location.href, state))) return;
    const found = await (%s)([%s, %s]);
    await window.__axeReport(location.href, state, found);
  })());
  window.addEventListener("load", () => setTimeout(window.__axeCheckNow, 0));
}
"""
# At the end of a test: the check of the page shown last, started now or awaited if under way.
CHECK_NOW = "() => window.__axeCheckNow && window.__axeCheckNow()"


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}, {len(self.targets)}×): {self.help} — {', '.join(self.targets[:6])}"


@functools.cache
def axe_source() -> str:
    """The pinned axe-core; missing, the browser tests skip on a developer's machine and fail under CI."""
    if not AXE_JS.is_file():
        problem = f"no {AXE_JS.relative_to(AXE_JS.parents[2])} (run `npm ci` at the repository root)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"browser end-to-end tests cannot run under CI: {problem}", pytrace=False)
        pytest.skip(problem)
    # A trailing statement keeps Playwright from taking the script for a function to call.
    return AXE_JS.read_text(encoding="utf-8") + "\n;true"


def auto_run_script() -> str:
    """axe plus the load-time runner, for ``context.add_init_script``."""
    return axe_source() + "\n" + AUTO_RUN % (RUN, json.dumps(WCAG_TAGS), json.dumps(FAILING_IMPACTS))


def audit(page) -> list[Violation]:
    """Run axe on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    found = page.evaluate(RUN, [WCAG_TAGS, list(FAILING_IMPACTS)])
    return to_violations(found)


def to_violations(found: list[dict]) -> list[Violation]:
    return [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found]


def readable(findings: dict[str, list[Violation]]) -> str:
    """``{page: violations}`` as the lines a failing test prints."""
    lines = []
    for where, violations in findings.items():
        lines.append(where)
        lines.extend(f"  - {violation}" for violation in violations)
    return "\n".join(lines)
