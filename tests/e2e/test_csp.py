"""The browser refuses what the Content-Security-Policy refuses, and every browser test
hears about it: tests/e2e/conftest.py fails any test whose pages report a violation.
These check that watch, on the live site's real policy."""

import pytest
from playwright.sync_api import expect

from tests.e2e import browser as tools

INJECT_SCRIPT = "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.head.append(s); }"
INJECT_STYLE = "() => { const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.append(s); }"


@pytest.fixture
def watched(browser, live_site):
    """A page whose violations land in a list, outside the fixtures' own check."""
    context = browser.new_context(base_url=live_site.base)
    found: list[str] = []
    tools.watch_csp(context, found)
    yield context.new_page(), found
    context.close()


def test_an_injected_inline_script_is_refused_and_reported(watched):
    page, found = watched
    page.goto(tools.ARTICLE_PATH)

    page.evaluate(INJECT_SCRIPT)
    page.evaluate("0")  # let Playwright deliver the report

    assert page.evaluate("window.ran") is None
    assert any("script-src" in text and tools.ARTICLE_PATH in text for text in found), found


def test_an_injected_style_element_is_refused_on_a_public_page(watched):
    page, found = watched
    page.goto("/")

    page.evaluate(INJECT_STYLE)
    page.evaluate("0")

    assert any("style-src" in text for text in found), found


def test_the_public_pages_and_the_article_editor_load_with_no_violation(watched, public_pages):
    from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME

    page, found = watched
    for path in public_pages.values():
        page.goto(path)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/articles/article/add/")
    expect(page.locator(".ck-editor__editable").first).to_be_visible()
    page.evaluate("0")

    assert found == []
