"""The open API's docs page (/api/v1/docs) in chromium: Swagger UI from the site's own static
files draws every endpoint under the site's Content-Security-Policy, with no script error and no
blocked resource."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_tab

pytestmark = pytest.mark.browser


def test_the_docs_page_draws_every_endpoint_under_the_csp(browser, server):
    with browser_tab(browser, server) as tab:
        blocked: list[str] = []
        tab.on(
            "console",
            lambda message: (
                blocked.append(message.text)
                if "Content Security Policy" in message.text or message.type == "error"
                else None
            ),
        )
        remote: list[str] = []
        tab.on(
            "request",
            lambda request: (
                remote.append(request.url)
                if not request.url.startswith((server.url, "data:", "blob:"))
                else None
            ),
        )
        response = tab.goto("/api/v1/docs")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(tab.locator(".swagger-ui .info .title")).to_contain_text("开放接口")
        # One block per operation, from the schema the page fetched.
        expect(tab.locator(".opblock").first).to_be_visible()
        paths = tab.locator(".opblock-summary-path").all_inner_texts()
        for expected in ("/api/v1/rounds", "/api/v1/applications/{pk}", "/api/v1/certified"):
            assert any(expected in text.replace("\u200b", "") for text in paths), paths
        assert not blocked, blocked
        assert not remote, remote
