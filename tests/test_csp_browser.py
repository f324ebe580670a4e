"""The Content-Security-Policy as chromium applies it: the pages work under it (the Vega charts are drawn, htmx
runs) and the browser reports no violation on the pages a reader and an editor open."""

from __future__ import annotations

from typing import Any

from webserver import browser, page, server  # noqa: F401  (fixtures)

KEY = "kamikawa-chubu"  # the sample's sphere, loaded by renkei serve on its first start


def violations(page: Any) -> list[str]:  # noqa: F811
    found: list[str] = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return found


def test_the_pages_work_under_the_csp_without_a_violation(page: Any) -> None:  # noqa: F811
    found = violations(page)
    response = page.goto(f"/spheres/{KEY}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("section.charts").scroll_into_view_if_needed()  # charts may load as they come into view
    page.wait_for_function(
        "() => document.querySelectorAll('div.vega').length > 0 && "
        "[...document.querySelectorAll('div.vega')].every(el => el.dataset.rendered === 'true')",
        timeout=30_000,
    )
    assert page.locator("div.vega svg").count() > 0
    for path in ("/", "/search?q=観光", "/check", "/login", "/api/docs", f"/spheres/{KEY}/revisions"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert found == []
