"""The API documentation in a real browser: Swagger UI from the portal's own files draws the
operations under the site's Content-Security-Policy, with no console error and no request
leaving the portal."""

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_from_local_assets(page, live_server, reference_data):
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((live_server.url, "data:", "blob:")) else None,
    )
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock-tag", has_text="Trao đổi số liệu").count() == 1
    assert page.locator(".opblock", has_text="/api/v1/data-values/").count() >= 2
    assert errors == [] and outside == []
