"""The Content-Security-Policy as Chromium enforces it: every page has Loa's policy and breaks none of it.

`watch(context)` makes every page of a Playwright browser context record its `securitypolicyviolation`
events from the start of the document (an init script runs before the page's own); `problems(page, url)`
reads them, and says so if the page lacks the policy. Used by test_a11y.py (every page) and
test_search.py (search open, a query typed).
"""

from __future__ import annotations

from typing import Any

from loa.render.view import CSP

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} refused ${e.blockedURI || "(inline)"} ` +
                              `at ${e.sourceFile || ""}:${e.lineNumber || 0} ${e.sample || ""}`);
});
"""
READ = """() => [
  (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content || null,
  window.__cspViolations || null]"""


def watch(context: Any) -> None:
    """Record the violations of every page this browser context opens."""
    context.add_init_script(LISTEN)


def problems(page: Any, url: str) -> list[str]:
    """`url: ...` for each violation on the page as it is now, and for a missing or different policy."""
    policy, violations = page.evaluate(READ)
    found = [f"{url}: {violation}" for violation in violations or []]
    if violations is None:
        found.append(f"{url}: the CSP listener did not run (watch() the context first)")
    if policy != CSP:
        found.append(f"{url}: policy {policy!r}, expected Loa's (loa/render/view.py::CSP)")
    return found
