"""The search results page in a browser: marked snippets that pass the accessibility and
HTML gates the other public pages pass, at phone and desktop widths, and nothing a
reader types that makes the page scroll sideways."""

import json
import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import NARROW, VIEWPORTS
from tests.e2e.test_accessibility import RUN_AXE, WCAG_TAGS, describe

# In the demo content: "tides" marks "tide" and "tides" in two articles.
RESULTS = "/search/?q=tides"
NOTHING = "/search/?q=zebras"
PAGES = {"results": RESULTS, "nothing found": NOTHING, "no words": "/search/"}


def test_a_reader_sees_each_result_with_its_words_marked(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search articles").fill("tides")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “tides”")
    expect(page.get_by_role("searchbox", name="Search articles")).to_have_value("tides")
    results = page.locator("main article.card--result")
    expect(results).to_have_count(2)
    for result in results.all():
        expect(result.locator(".card__snippet mark").first).to_be_visible()
        marked = {text.casefold() for text in result.locator(".card__snippet mark").all_inner_texts()}
        assert marked <= {"tide", "tides"}, marked


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_the_search_page_has_no_accessibility_violations(axe_source, open_context, name, screen):
    page = open_context(viewport=VIEWPORTS[screen], bypass_csp=True).new_page()
    assert page.goto(PAGES[name]).status == 200
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert not violations, f"{PAGES[name]} at {VIEWPORTS[screen]['width']} px:\n{describe(violations)}"


def test_the_search_page_is_valid_html(vnu_jar, page, tmp_path):
    files = []
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response.status == 200, path
        files.append(tmp_path / f"{name.replace(' ', '-')}.html")
        files[-1].write_bytes(response.body())
    result = subprocess.run(["java", "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, files)],
                            capture_output=True, text=True, timeout=120)
    assert result.stdout, result.stderr
    errors = [message for message in json.loads(result.stdout)["messages"] if message["type"] != "info"]
    assert not errors, errors


@pytest.mark.parametrize("query", ["x" * 100, "tides " + "y" * 90, '"<script>" tides -"mark"', "تحديث tides"])
def test_nothing_typed_makes_the_page_scroll_sideways_on_a_phone(open_context, query):
    page = open_context(viewport=NARROW).new_page()
    assert page.goto("/search/?" + "q=" + query).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], query
