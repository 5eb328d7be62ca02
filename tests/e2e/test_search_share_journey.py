"""A reader searches for a word, opens the article found, goes up to its category and
back, and shares the article: with JavaScript by the "Copy link" button, without it by
selecting the link in its field, or by a plain email or network link. Until a share
link is clicked, the article asks nothing of any host but the site itself.

The networks' sites are never reached: every https request is answered by a stand-in.
"""

import re
from urllib.parse import quote, unquote, urlsplit

from playwright.sync_api import expect

SEARCH_WORD = "compost"  # in the demo article's title and body (demo/content/)
ARTICLE_TITLE = "How Do You Start a Compost Pile?"
ARTICLE_PATH = "/how-do-you-start-a-compost-pile.htm"
CATEGORY_NAME = "Home & Garden"
CATEGORY_PATH = "/category/home-and-garden/"
CLIPBOARD = ["clipboard-read", "clipboard-write"]


def hosts_asked(page) -> list[str]:
    """The host of every request ``page`` makes from now on, in order."""
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    return hosts


def stand_in_for_other_sites(context) -> list[str]:
    """Answer every https request of ``context`` with a stand-in page; the URLs asked for."""
    asked = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Stand-in</title>")

    context.route(re.compile(r"^https://"), answer)
    return asked


def canonical_url(page) -> str:
    return page.locator("link[rel=canonical]").get_attribute("href")


def mailto_parts(href: str) -> dict[str, str]:
    """The header fields of a mailto: link, decoded (RFC 6068: "+" is a plus, not a space)."""
    assert href.startswith("mailto:?"), href
    return dict((name, unquote(value)) for name, value in (part.split("=", 1) for part in href[8:].split("&")))


def test_reader_searches_goes_up_to_the_category_and_back_then_shares_the_article(open_context, live_site):
    context = open_context()
    context.grant_permissions(CLIPBOARD, origin=live_site.base)
    other_sites = stand_in_for_other_sites(context)
    page = context.new_page()
    hosts = hosts_asked(page)
    site_host = urlsplit(live_site.base).hostname

    page.goto("/")
    search = page.get_by_role("search")
    search.get_by_role("searchbox", name="Search articles").fill(SEARCH_WORD)
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(rf"/search/\?q={SEARCH_WORD}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results for “{SEARCH_WORD}”")
    result = page.get_by_role("main").get_by_role("heading").get_by_role("link", name=ARTICLE_TITLE, exact=True)
    expect(result).to_have_attribute("href", ARTICLE_PATH)
    result.click()

    expect(page).to_have_url(live_site.base + ARTICLE_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE)
    canonical = canonical_url(page)
    assert canonical == live_site.base + ARTICLE_PATH

    # Up to the category by the breadcrumb (Home › Category), and back.
    crumbs = page.locator("nav.breadcrumbs")
    expect(crumbs.locator("li a").first).to_have_text("Home")
    category = crumbs.locator("li a").last
    expect(category).to_have_text(CATEGORY_NAME)
    category.click()
    expect(page).to_have_url(live_site.base + CATEGORY_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(CATEGORY_NAME)
    expect(page.get_by_role("main").get_by_role("link", name=ARTICLE_TITLE, exact=True)).to_have_attribute(
        "href", ARTICLE_PATH
    )
    page.go_back()
    expect(page).to_have_url(live_site.base + ARTICLE_PATH)

    # The Copy button, shown by static/js/share.js, copies the canonical address.
    # Chromium takes http://127.0.0.1 for a secure context, so the script uses the
    # Clipboard API here, as on the https site.
    share = page.locator("section.share")
    field = share.locator("#share-link")
    expect(field).to_have_value(canonical)
    button = share.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    assert page.evaluate("window.isSecureContext")
    button.click()
    expect(share.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == canonical

    # Email: the title as subject, the address in the body.
    fields = mailto_parts(share.get_by_role("link", name="Email").get_attribute("href"))
    assert fields == {"subject": ARTICLE_TITLE, "body": f"{ARTICLE_TITLE}\n\n{canonical}"}

    # The networks: plain https links carrying the encoded address.
    networks = share.locator(".share__links a:not([href^='mailto:'])")
    hrefs = [link.get_attribute("href") for link in networks.all()]
    assert len(hrefs) >= 3, hrefs
    for href in hrefs:
        assert href.startswith("https://") and quote(canonical, safe="") in href, href

    # Search, category, article twice, a copy: nothing asked of any other host so far.
    assert hosts and set(hosts) == {site_host}, sorted(set(hosts))
    assert other_sites == []

    # A network link is where the first request to another host starts.
    first_network = networks.first
    with context.expect_page() as opened:
        first_network.click()
    expect(opened.value).to_have_title("Stand-in")
    assert other_sites[0] == hrefs[0], other_sites
    assert set(hosts) == {site_host}  # the article itself still asked nothing more


def test_without_javascript_the_share_link_is_a_field_to_select_and_the_copy_button_stays_hidden(
    open_context, live_site
):
    context = open_context(java_script_enabled=False)
    other_sites = stand_in_for_other_sites(context)
    page = context.new_page()
    hosts = hosts_asked(page)

    page.goto(ARTICLE_PATH)
    share = page.locator("section.share")
    expect(share).to_be_visible()
    button = share.locator("button", has_text="Copy link")
    expect(button).to_have_count(1)  # in the page, but only the script shows it
    expect(button).to_be_hidden()
    field = share.get_by_role("textbox", name="Link to this article")
    canonical = canonical_url(page)
    assert canonical == live_site.base + ARTICLE_PATH
    expect(field).to_have_value(canonical)
    expect(field).not_to_be_editable()

    # Selectable by hand: click in it and select all.
    field.click()
    page.keyboard.press("Control+A")
    selected = field.evaluate("field => field.value.slice(field.selectionStart, field.selectionEnd)")
    assert selected == canonical

    assert hosts and set(hosts) == {urlsplit(live_site.base).hostname}, sorted(set(hosts))
    assert other_sites == []
