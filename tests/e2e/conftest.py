"""End-to-end fixtures: one real app under gunicorn and one Chromium for the session.

The site is started as `make run` starts it (tests/liveserver.py) on its own SQLite
database, so these tests never share the outer test database. Each test gets fresh
browser contexts (cookies, storage) from ``open_context``.

Without Chromium, Playwright, node_modules or Java the tests that need them are
skipped with the reason; in CI (CI=true) they fail instead, so a broken CI image
cannot pass by skipping.
"""

from __future__ import annotations

import pytest

from tests.e2e import browser as tools
from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME, LiveSite

DEFAULT_TIMEOUT_MS = 10_000


def require(reason: str | None) -> None:
    if reason is None:
        return
    if tools.in_ci():
        pytest.fail(f"e2e: {reason}; CI must install it (see .ci/run)", pytrace=False)
    pytest.skip(f"e2e: {reason}")


@pytest.fixture(scope="session")
def browser():
    require(tools.missing_browser())
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    playwright = sync_playwright().start()
    chromium = tools.launch_chromium(playwright)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def live_site(browser, tmp_path_factory):
    """The app as `make run` serves it, with the demo content and the admin account."""
    # The minimum time before a comment may be sent is tested in tests/articles;
    # here it would only make the journeys wait.
    with LiveSite(tmp_path_factory.mktemp("e2e-site"), COMMENT_MIN_SECONDS="0").start() as site:
        yield site


@pytest.fixture(scope="session")
def public_pages(browser, live_site) -> dict[str, str]:
    """name -> path of the pages the layout and accessibility checks visit."""
    return tools.page_paths(browser, live_site)


@pytest.fixture(scope="session")
def axe_source() -> str:
    require(tools.missing_axe())
    return tools.AXE_JS.read_text()


@pytest.fixture(scope="session")
def vnu_jar():
    require(tools.missing_vnu())
    return tools.VNU_JAR


@pytest.fixture
def open_context(browser, live_site, request, tmp_path_factory):
    """Open a fresh browser context (no cookies) on the live site; closed after the test."""
    contexts = []

    def open_(viewport=tools.WIDE, **options):
        # base_url: another address of the same site, e.g. localhost, where passkeys work.
        context = browser.new_context(**{"base_url": live_site.base, **options}, viewport=viewport)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        tools.watch_csp(context, request.node.e2e_csp_violations)
        contexts.append(context)
        return context

    # Read by _describe_failure when the test fails, and by the CSP check after it.
    request.node.e2e_contexts = contexts
    request.node.e2e_csp_violations = []
    request.node.e2e_log_start = live_site.log_position()
    request.node.e2e_tmp_path_factory = tmp_path_factory
    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context):
    """A page in a fresh, logged-out, wide-screen context."""
    return open_context().new_page()


@pytest.fixture
def admin_page(open_context):
    """A page in a fresh context, signed in to admin as the superuser."""
    from playwright.sync_api import expect

    page = open_context().new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


# --- Any Content-Security-Policy violation fails the test ------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    found = getattr(item, "e2e_csp_violations", None)
    if found is not None:
        for context in item.e2e_contexts:
            for page in context.pages:  # deliver what the pages reported and Playwright has not passed on yet
                if not page.is_closed():
                    page.evaluate("0")
        if found:
            pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(found)), pytrace=False)
    return result


# --- When a journey fails: say where the browser was, and keep screenshots ---------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].startswith("Skipped: e2e:"):
        # pytest files a fixture's skip under each test; one missing tool is one line in -ra.
        report.longrepr = (__file__, require.__code__.co_firstlineno, report.longrepr[2])
    if report.when == "call" and report.failed and getattr(item, "e2e_contexts", None):
        try:
            report.sections.append(("browser at failure", _describe_failure(item)))
        except Exception as error:  # the report must never hide the real failure
            report.sections.append(("browser at failure", f"could not describe the browser: {error!r}"))
    return report


_ERROR_SELECTORS = (
    ".errornote, .errorlist, .messagelist .error, .messagelist .warning, "
    "[role=alert], .ck-notification, h1"
)


def _describe_failure(item) -> str:
    out_dir = item.e2e_tmp_path_factory.mktemp("e2e-failure-" + item.name[:40], numbered=True)
    lines = []
    for c_index, context in enumerate(item.e2e_contexts):
        for p_index, page in enumerate(context.pages):
            if page.is_closed():
                continue
            shot = out_dir / f"context{c_index}-page{p_index}.png"
            page.screenshot(path=str(shot), full_page=True, timeout=5_000)
            texts = [t.strip() for t in page.locator(_ERROR_SELECTORS).all_inner_texts() if t.strip()]
            lines += [
                f"context {c_index} page {p_index}: {page.url}",
                f"  title: {page.title()!r}",
                *(f"  visible: {text[:300]!r}" for text in texts),
                f"  screenshot: {shot}",
            ]
    # open_context depends on both, so they are in every failing journey's funcargs.
    site, browser = item.funcargs.get("live_site"), item.funcargs.get("browser")
    if site is not None and browser is not None:
        for viewport in tools.VIEWPORTS.values():
            context = browser.new_context(base_url=site.base, viewport=viewport)
            try:
                page = context.new_page()
                for label, path in (("home", "/"), ("article", tools.ARTICLE_PATH)):
                    page.goto(path, timeout=5_000)
                    shot = out_dir / f"{label}-{viewport['width']}.png"
                    page.screenshot(path=str(shot), full_page=True, timeout=5_000)
                    lines.append(f"{label} at {viewport['width']} px: {shot}")
            finally:
                context.close()
        log = site.server_log_tail(20, since=getattr(item, "e2e_log_start", 0))
        lines.append("server log during the test (successful requests left out):\n" + (log or "(nothing)"))
    return "\n".join(lines)
