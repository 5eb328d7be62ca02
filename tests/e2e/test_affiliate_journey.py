"""An editor adds an affiliate link to the registry and puts it in an article with the
editor's "Insert affiliate link" control; a reader sees the disclosure above it, follows
it through /go/ to the partner's site, and the editor sees the click in the report.

The partner's site is a stand-in on 127.0.0.1, so nothing leaves this machine.
"""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_journey import choose_autocomplete, editable, wait_for_editor_selection

ARTICLE_TITLE = "How Do Tides Work?"
ARTICLE_PATH = "/how-do-tides-work.htm"
LINK_NAME = "Tide clock for the kitchen"
LINK_SLUG = "tide-clock-for-the-kitchen"
STAND_IN_TITLE = "Stand-in partner shop"
# Headless Chromium says "HeadlessChrome", which /go/ rightly does not count as a reader.
READERS_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


@pytest.fixture
def partner_site():
    """A stand-in for the partner's shop: answers every GET with a page it can be
    recognised by, and keeps the paths it was asked for."""
    requests = []

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = f"<!doctype html><title>{STAND_IN_TITLE}</title><h1>{STAND_IN_TITLE}</h1>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def pick_affiliate_link(page, search: str) -> None:
    picker = page.get_by_role("group", name="Insert affiliate link")
    picker.get_by_label("Search affiliate links").fill(search)
    expect(picker.get_by_label("Affiliate link").locator("option")).to_have_count(1)
    picker.get_by_role("button", name="Insert affiliate link").click()


def test_editor_inserts_a_registry_link_that_readers_follow_to_the_partner_and_the_click_is_reported(
    admin_page, open_context, partner_site
):
    page = admin_page
    destination = f"{partner_site.url}/offers/tide-clock?ref=wisegeek"

    # The editor adds the link to the registry.
    page.goto("/admin/partners/partnerlink/add/")
    choose_autocomplete(page, "partner", "Quillmark Books")
    page.get_by_label("Name:", exact=True).press_sequentially(LINK_NAME)
    expect(page.get_by_label("Slug:", exact=True)).to_have_value(LINK_SLUG)
    page.get_by_label("Destination:", exact=True).fill(destination)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    # ... opens an article and writes a new first paragraph around it.
    page.goto("/admin/articles/article/")
    page.get_by_role("searchbox").fill(ARTICLE_TITLE)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=ARTICLE_TITLE, exact=True).click()
    page.wait_for_function("() => window.editors && window.editors['id_body']")
    body = editable(page)
    body.click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    wait_for_editor_selection(page, collapsed=True)

    # Nothing selected: the link goes in under its own name.
    pick_affiliate_link(page, "tide clock")
    inserted = body.locator(f"a[href='/go/{LINK_SLUG}']")
    expect(inserted).to_have_text(LINK_NAME)
    expect(body).to_be_focused()
    page.keyboard.type(" shows the next high water, and so does a printed tide table")
    expect(inserted).to_have_text(LINK_NAME)  # what follows is not part of the link

    # Text selected: the selection becomes the link.
    page.keyboard.press("Shift+Control+ArrowLeft")
    page.keyboard.press("Shift+Control+ArrowLeft")
    wait_for_editor_selection(page, collapsed=False)
    pick_affiliate_link(page, "Quillmark tide")
    expect(body.locator(f"a[href='/go/{LINK_SLUG}']")).to_have_text([LINK_NAME, "tide table"])

    expect(page.get_by_label("Status:")).to_have_value("published")
    expect(page.get_by_label("Affiliate disclosure:")).not_to_have_value("")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    # A reader, in a browser of their own, reads the article.
    reader = open_context(user_agent=READERS_BROWSER).new_page()
    hosts = []
    reader.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    reader.goto(ARTICLE_PATH)

    links = reader.locator(f".article__body a[href^='/go/{LINK_SLUG}?from=']")
    expect(links).to_have_count(2)
    expect(links.first).to_have_text(LINK_NAME)
    expect(links.first).to_have_attribute("rel", "sponsored noopener")
    note = reader.locator(".article__body .affiliate-note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("commission")
    # DOCUMENT_POSITION_FOLLOWING: the link comes after the note in the page.
    assert note.evaluate("(note, link) => Boolean(note.compareDocumentPosition(link) & 4)",
                         links.first.element_handle())

    links.first.click()
    expect(reader).to_have_title(STAND_IN_TITLE)
    assert reader.url == destination
    # (The browser may also ask the shop for its /favicon.ico.)
    assert [path for path in partner_site.requests if path != "/favicon.ico"] == ["/offers/tide-clock?ref=wisegeek"]
    assert hosts and set(hosts) == {"127.0.0.1"}, sorted(set(hosts))

    # Back in admin, the click report counts it.
    page.goto("/admin/partners/linkclick/")
    row = page.locator("#clicks-per-link tbody tr").filter(has=page.get_by_role("rowheader", name=LINK_NAME))
    expect(row).to_have_count(1)
    expect(row.locator("td").last).to_have_text("1")
    article_row = page.locator("#clicks-per-article tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(re.escape(ARTICLE_TITLE))))
    expect(article_row.locator("td")).to_have_text("1")
