"""A reader finds an article, checks how the site makes money and who wrote it."""

import re

from playwright.sync_api import expect


def category_nav(page):
    return page.get_by_role("navigation", name="Categories")


def test_reader_browses_to_an_article_then_checks_the_money_and_the_author(page):
    page.goto("/")
    link = category_nav(page).get_by_role("link").first
    category = link.inner_text().strip()
    link.click()

    expect(page).to_have_url(re.compile(r"/category/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(category)
    expect(category_nav(page).get_by_role("link", name=category, exact=True)).to_have_attribute("aria-current", "page")

    article_link = page.get_by_role("main").get_by_role("article").first.get_by_role("heading").get_by_role("link")
    title = article_link.inner_text().strip()
    article_link.click()

    expect(page).to_have_url(re.compile(r"/[\w-]+\.htm$"))
    article_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # The disclosure bar's <details>: closed at first, its links hidden until opened.
    partners_link = page.get_by_role("link", name="See our affiliate partners")
    expect(partners_link).to_be_hidden()
    disclosure = page.get_by_role("complementary", name="Advertiser disclosure")
    disclosure.get_by_text("Advertiser Disclosure", exact=True).click()
    expect(disclosure.get_by_text("How We Make Money", exact=True)).to_be_visible()
    partners_link.click()

    expect(page).to_have_url(re.compile(r"/affiliate-partners/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Our Affiliate Partners")
    expect(page.get_by_role("main").get_by_role("listitem").first.get_by_role("heading", level=2)).to_be_visible()

    page.go_back()
    expect(page).to_have_url(article_url)
    byline = page.locator(".byline").get_by_text(re.compile(r"^By ")).get_by_role("link")
    author = byline.inner_text().strip()
    byline.click()

    expect(page).to_have_url(re.compile(r"/author/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(author)
    expect(page.get_by_role("main").get_by_role("link", name=title, exact=True)).to_be_visible()


def tab_to(page, selector: str, *, limit: int = 60) -> str:
    """Press Tab until the focused element matches ``selector``; return its text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return page.evaluate("() => document.activeElement.textContent.trim()")
    raise AssertionError(f"{limit} presses of Tab never reached {selector!r} on {page.url}")


def test_reader_uses_only_the_keyboard_from_home_to_an_article(page):
    page.goto("/")

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")

    category = tab_to(page, "nav[aria-label=Categories] a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/category/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(category)

    title = tab_to(page, "main article h2 a, main article h3 a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/[\w-]+\.htm$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
