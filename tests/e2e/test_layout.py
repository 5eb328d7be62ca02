"""Phones and desktops: no sideways scrolling, and the navigation and search within reach."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import VIEWPORTS

OVERFLOW = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    innerWidth: window.innerWidth,
    widest: [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
            + ' right=' + Math.round(el.getBoundingClientRect().right)),
})"""


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_pages_fit_the_screen_and_keep_navigation_and_search_in_reach(open_context, public_pages, screen, tmp_path):
    page = open_context(viewport=VIEWPORTS[screen]).new_page()
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))
    too_wide = []
    for name, path in public_pages.items():
        response = page.goto(path)
        assert response.status == 200, f"{name} page {path} answered {response.status}"

        size = page.evaluate(OVERFLOW)
        if max(size["scrollWidth"], size["bodyScrollWidth"]) > size["innerWidth"]:
            shot = tmp_path / f"{name}-{size['innerWidth']}.png"
            page.screenshot(path=str(shot), full_page=True)
            too_wide.append(f"{name} ({path}): scrollWidth {size['scrollWidth']} > {size['innerWidth']}; "
                            f"sticking out: {size['widest']}; screenshot: {shot}")

        nav_links = page.get_by_role("navigation", name="Categories").get_by_role("link")
        expect(nav_links.first).to_be_attached()
        for link in nav_links.all():
            link.scroll_into_view_if_needed()
            expect(link).to_be_in_viewport()
        search = page.get_by_role("searchbox", name="Search articles")
        search.scroll_into_view_if_needed()
        expect(search).to_be_in_viewport()
        expect(page.get_by_role("search").get_by_role("button", name="Search")).to_be_visible()

    assert not too_wide, f"sideways scrolling at {VIEWPORTS[screen]['width']} px:\n" + "\n".join(too_wide)
    assert not console_errors, "errors in the browser console (CSP?):\n" + "\n".join(console_errors)
