"""The article editor keeps text the server has not got: it asks before the page is left,
keeps a copy in the browser while the text changes and offers it back when the page is
opened again. Its body shows headings, lists, quotes and tables as readers will see them.

(static/js/admin/article_editor.js and static/css/admin/editor_content.css)
"""

import re
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import ARTICLE_PATH
from tests.e2e.test_editor_journey import choose_autocomplete
from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME

ADD_PATH = "/admin/articles/article/add/"
# The demo article behind ARTICLE_PATH: headings, both kinds of list and a block quote.
DEMO_TITLE = "What Is the Connection Between Sciatica and Back Pain?"
# A demo article with a table.
TABLE_TITLE = "How Much Does It Cost to Run a Space Heater?"
TABLE_PATH = "/how-much-does-it-cost-to-run-a-space-heater.htm"
NOTICE = re.compile(r"Unsaved text from .+ was found\.")


class Watch:
    """Dialogs (each one accepted) and Content-Security-Policy complaints, in every tab
    of a browser context."""

    def __init__(self, context):
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        context.on("dialog", self._dialog)
        context.on("console", self._console)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.type)
        dialog.accept()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)


@pytest.fixture
def watch(admin_page):
    return Watch(admin_page.context)


def sign_in(page) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def change_path(page, title: str) -> str:
    """The admin change page of the article called ``title``, found as an editor finds it."""
    page.goto("/admin/articles/article/?" + urlencode({"q": title}))
    return page.get_by_role("link", name=title, exact=True).get_attribute("href")


def open_editor(page, path: str = ADD_PATH) -> None:
    """Open an article's admin page and wait until the editor script has looked for a copy."""
    page.goto(path)
    expect(page.locator("form[data-autosave=on]")).to_have_count(1)


def editable(page):
    return page.locator(".field-body").get_by_role("textbox", name=re.compile("^Rich Text Editor"))


def type_in_body(page, text: str) -> None:
    editable(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def title_field(page):
    return page.get_by_label("Title:", exact=True)


def summary_field(page):
    return page.get_by_label("Summary:", exact=True)


def notice(page):
    return page.get_by_text(NOTICE)


def wait_until_kept(page, text: str) -> None:
    """Until the browser holds a copy with ``text`` in it, while the page stays open."""
    page.wait_for_function(
        "(text) => Object.values(localStorage).some(value => value.includes(text))", arg=text,
    )


def copies_kept(page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(key => key.includes('/admin/'))")


# --- Asking before leaving ---------------------------------------------------------

def test_an_article_opened_and_left_untouched_asks_nothing_and_keeps_nothing(admin_page, watch):
    page = admin_page
    open_editor(page, change_path(page, DEMO_TITLE))
    expect(editable(page).locator("li").first).to_be_visible()

    page.goto("/admin/")

    assert watch.dialogs == []
    assert copies_kept(page) == []


@pytest.mark.parametrize("change", ["body", "summary", "tick box"])
def test_leaving_an_article_with_a_change_asks_first(admin_page, watch, change):
    page = admin_page
    open_editor(page, change_path(page, DEMO_TITLE))
    if change == "body":
        type_in_body(page, " One more sentence.")
    elif change == "summary":
        summary_field(page).press_sequentially(" And more.")
    else:
        page.get_by_label("Comments open").click()

    page.goto("/admin/")

    assert watch.dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_saving_asks_nothing_and_leaves_no_copy_to_offer(admin_page, watch):
    page = admin_page
    title = f"Do Standing Desks Help? {uuid.uuid4().hex[:8]}"
    open_editor(page, ADD_PATH)
    title_field(page).press_sequentially(title)
    choose_autocomplete(page, "category", "Health")
    choose_autocomplete(page, "author")
    summary_field(page).fill("What the studies say about standing at work.")
    type_in_body(page, "The first paragraph.")
    wait_until_kept(page, "The first paragraph.")

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article_path = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.locator("form[data-autosave=on]")).to_have_count(1)
    expect(notice(page)).to_have_count(0)

    type_in_body(page, " A second sentence.")
    wait_until_kept(page, "A second sentence.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert watch.dialogs == []

    for path in (ADD_PATH, article_path):
        open_editor(page, path)
        expect(notice(page)).to_have_count(0)
    expect(editable(page)).to_have_text("The first paragraph. A second sentence.")
    assert copies_kept(page) == []


# --- The copy kept in the browser ------------------------------------------------

def test_text_in_a_tab_closed_without_saving_is_offered_again_and_restored(admin_page, watch):
    page = admin_page
    context = page.context
    open_editor(page, ADD_PATH)
    title_field(page).press_sequentially("Why Do Cats Purr?")
    summary_field(page).fill("Contentment, mostly, and sometimes pain.")
    type_in_body(page, "Cats purr when they are content.")

    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert watch.dialogs == ["beforeunload"]

    page = context.new_page()
    open_editor(page, ADD_PATH)
    expect(notice(page)).to_be_visible()
    expect(title_field(page)).to_have_value("")
    page.get_by_role("button", name="Restore it").click()

    expect(notice(page)).to_have_count(0)
    expect(title_field(page)).to_have_value("Why Do Cats Purr?")
    expect(summary_field(page)).to_have_value("Contentment, mostly, and sometimes pain.")
    expect(editable(page)).to_have_text("Cats purr when they are content.")
    assert page.evaluate("() => window.editors['id_body'].getData()") == "<p>Cats purr when they are content.</p>"
    assert watch.csp == []


def test_a_copy_is_kept_while_the_text_changes_and_discard_removes_it(admin_page, watch):
    page = admin_page
    context = page.context
    open_editor(page, ADD_PATH)
    title_field(page).press_sequentially("How Do Tides Work?")
    type_in_body(page, "The Moon pulls the sea.")
    wait_until_kept(page, "The Moon pulls the sea.")
    page.close()  # as if the browser crashed: nothing runs on the way out

    page = context.new_page()
    open_editor(page, ADD_PATH)
    expect(notice(page)).to_be_visible()
    page.get_by_role("button", name="Discard").click()

    expect(notice(page)).to_have_count(0)
    expect(title_field(page)).to_have_value("")
    expect(editable(page)).not_to_contain_text("The Moon")
    page.reload()
    expect(page.locator("form[data-autosave=on]")).to_have_count(1)
    expect(notice(page)).to_have_count(0)
    assert copies_kept(page) == []
    assert watch.dialogs == []


def save_summary_in_another_browser(open_context, article_path: str, summary: str) -> None:
    """Another editor, in a browser of their own, saves the article with ``summary``."""
    elsewhere = open_context().new_page()
    sign_in(elsewhere)
    open_editor(elsewhere, article_path)
    summary_field(elsewhere).fill(summary)
    elsewhere.get_by_role("button", name="Save", exact=True).first.click()
    expect(elsewhere.locator(".messagelist .success")).to_contain_text("was changed successfully")


def test_a_copy_of_text_saved_since_from_elsewhere_is_not_offered(admin_page, open_context, watch):
    page = admin_page
    context = page.context
    title = f"What Goes in a First-Aid Kit? {uuid.uuid4().hex[:8]}"
    open_editor(page, ADD_PATH)
    title_field(page).press_sequentially(title)
    choose_autocomplete(page, "category", "Health")
    choose_autocomplete(page, "author")
    summary_field(page).fill("The basics.")
    # The editor gives list items new random ids each time it loads a text.
    page.evaluate("() => window.editors['id_body'].setData('<ul><li>Plasters</li><li>Gauze</li></ul>')")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article_path = re.sub(r"^https?://[^/]+", "", page.url)
    summary_field(page).fill("The basics, and what to add for a family.")
    wait_until_kept(page, "what to add for a family")
    page.close()

    save_summary_in_another_browser(open_context, article_path, "The basics, and what to add for a family.")

    page = context.new_page()
    open_editor(page, article_path)
    expect(notice(page)).to_have_count(0)
    assert copies_kept(page) == []


def test_text_the_server_sent_back_with_errors_is_kept_until_it_is_saved(admin_page, watch):
    page = admin_page
    open_editor(page, ADD_PATH)
    type_in_body(page, "A body without a title.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("form[data-autosave=on]")).to_have_count(1)
    assert watch.dialogs == []

    open_editor(page, ADD_PATH)
    assert watch.dialogs == ["beforeunload"]
    expect(notice(page)).to_be_visible()
    page.get_by_role("button", name="Restore it").click()
    expect(editable(page)).to_have_text("A body without a title.")


# --- The body as readers will see it ---------------------------------------------

# What makes a heading, a list, a quote or a table look the way it does.
LOOKS = [
    "fontFamily", "fontSize", "fontStyle", "fontWeight", "lineHeight", "color", "backgroundColor",
    "listStyleType", "paddingTop", "paddingLeft", "marginTop", "marginBottom",
    "borderLeftWidth", "borderLeftStyle", "borderLeftColor",
    "borderBottomWidth", "borderBottomStyle", "borderBottomColor",
]


def looks(container, selectors: list[str]) -> dict:
    """The computed look of the first element matching each selector inside ``container``."""
    return container.evaluate(
        """(container, [selectors, names]) => Object.fromEntries(selectors.map(selector => {
            const style = getComputedStyle(container.querySelector(selector));
            return [selector, Object.fromEntries(names.map(name => [name, style[name]]))];
        }))""",
        [selectors, LOOKS],
    )


@pytest.mark.parametrize(("title", "reader_path", "selectors"), [
    (DEMO_TITLE, ARTICLE_PATH, ["p", "h2", "h3", "ul", "ul > li", "ol > li", "blockquote", "blockquote p"]),
    (TABLE_TITLE, TABLE_PATH, ["table", "thead th", "tbody td"]),
])
def test_the_editor_shows_the_body_as_readers_see_it(admin_page, open_context, watch, title, reader_path, selectors):
    reader = open_context().new_page()
    reader.goto(reader_path)
    on_the_site = looks(reader.locator(".article__body"), selectors)

    page = admin_page
    open_editor(page, change_path(page, title))
    in_the_editor = looks(editable(page), selectors)

    differences = {
        f"{selector} {name}": (in_the_editor[selector][name], value)
        for selector, style in on_the_site.items() for name, value in style.items()
        if in_the_editor[selector][name] != value
    }
    assert differences == {}, "in the editor, on the site"
    assert watch.csp == []


def test_headings_in_the_editor_are_larger_than_its_text_and_quotes_are_marked(admin_page, watch):
    page = admin_page
    open_editor(page, ADD_PATH)
    page.evaluate(
        "html => window.editors['id_body'].setData(html)",
        "<p>Text.</p><h2>Heading</h2><h3>Subheading</h3><blockquote><p>Quoted.</p></blockquote><ul><li>Item</li></ul>",
    )
    in_the_editor = looks(editable(page), ["p", "h2", "h3", "blockquote", "li"])

    size = {name: float(style["fontSize"].removesuffix("px")) for name, style in in_the_editor.items()}
    assert size["h2"] > size["h3"] > size["p"] == size["li"] > 14  # the admin's own text is 13 px
    quote = in_the_editor["blockquote"]
    assert (quote["borderLeftWidth"], quote["borderLeftStyle"], quote["fontStyle"]) == ("3px", "solid", "italic")
    assert in_the_editor["li"]["listStyleType"] == "disc"
    assert watch.csp == []


def test_a_restored_copy_written_before_someone_elses_save_is_refused_as_stale(admin_page, open_context, watch):
    page = admin_page
    context = page.context
    title = f"How Do Plasters Stick? {uuid.uuid4().hex[:8]}"
    open_editor(page, ADD_PATH)
    title_field(page).press_sequentially(title)
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article_path = re.sub(r"^https?://[^/]+", "", page.url)
    summary_field(page).fill("My summary, never saved.")
    wait_until_kept(page, "never saved")
    page.close()

    save_summary_in_another_browser(open_context, article_path, "Their summary, saved.")

    page = context.new_page()
    open_editor(page, article_path)
    page.get_by_role("button", name="Restore it").click()
    expect(summary_field(page)).to_have_value("My summary, never saved.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    # Written against the version before theirs: refused, with the text still in the form.
    expect(page.locator("ul.errorlist.nonfield")).to_contain_text("after you opened it")
    expect(summary_field(page)).to_have_value("My summary, never saved.")
