"""The admin works under its Content-Security-Policy (core/csp.py): no inline code, and on
the pages with the rich-text editor, style attributes only. Every test here fails on any
violation a page reports (tests/e2e/conftest.py).

- Every feature of the editor's toolbar as we configure it (CKEDITOR_5_CONFIGS), the
  image paths (upload from the toolbar, pasted, dropped; alternative text and alignment;
  no resize handles), the table's own toolbar and pasted styled text; then the stored body.
- Every admin page: each model's list, add, change and history pages, the article's
  version, comparison and preview pages, the newsletter digest's preview (whose email,
  in its own sandboxed document, keeps its inline styles), the two-factor page, sign-in,
  the code step and the lock-out page.
"""

from __future__ import annotations

import base64
import io
import json
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests import dom
from tests.e2e.test_editor_journey import choose_autocomplete, wait_for_editor_selection
from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME, LiveSite

LINK = "https://www.example.org/standing-desk-study"
ALT = "A teal rectangle standing in for a photo of a desk"

# What a word processor or a web page puts on the clipboard: text full of style attributes.
STYLED_HTML = ('<p style="margin:0;font-family:Calibri,sans-serif;color:#222">Pasted from a '
               '<span style="font-weight:700;color:#c00">word processor</span></p>')

# A synthetic paste or drop of one image file, as the browser hands it to the editor.
# ([kind, base64 bytes, file name]; drop lands on the first paragraph.)
PUT_IMAGE = """([kind, b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "image/png"}));
  const editable = document.querySelector(".field-body .ck-editor__editable");
  if (kind === "paste") {
    editable.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
    return;
  }
  const target = editable.querySelector("p");
  const box = target.getBoundingClientRect();
  const at = {dataTransfer: transfer, bubbles: true, cancelable: true,
              clientX: box.left + 2, clientY: box.top + box.height / 2};
  for (const type of ["dragenter", "dragover", "drop"]) target.dispatchEvent(new DragEvent(type, at));
}"""

PASTE_HTML = """(html) => {
  const transfer = new DataTransfer();
  transfer.setData("text/html", html);
  transfer.setData("text/plain", html.replace(/<[^>]+>/g, ""));
  document.querySelector(".field-body .ck-editor__editable")
    .dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""


def png_bytes(size: tuple[int, int], colour=(40, 110, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def editable(page):
    return page.locator(".field-body .ck-editor__editable")


def toolbar(page):
    return page.locator(".field-body .ck-toolbar").first


def uploaded_images(page):
    return editable(page).locator("img[src*='/media/uploads/']")


def editor_data(page) -> str:
    return page.evaluate("() => window.editors['id_body'].getData()")


def caret_to_end(page) -> None:
    """Put the caret in a new paragraph at the end of the body, as clicking below the
    last block does, so what follows does not land inside a table, list or image."""
    page.evaluate("""() => {
      const editor = window.editors["id_body"];
      editor.model.change(writer => {
        const paragraph = writer.createElement("paragraph");
        writer.append(paragraph, editor.model.document.getRoot());
        writer.setSelection(paragraph, 0);
      });
      editor.editing.view.focus();
    }""")
    wait_for_editor_selection(page, collapsed=True)


def heading(page, level: str) -> None:
    toolbar(page).get_by_role("button", name="Heading").click()
    page.get_by_role("menuitemradio", name=level).click()


def stored_body(live_site, title: str) -> str:
    script = ("import json; from articles.models import Article; "
              f"print(json.dumps(Article.objects.get(title={title!r}).body))")
    return json.loads(live_site.manage("shell", "-c", script).strip().splitlines()[-1])


def choose_from_table_toolbar(page, menu: str, item: str) -> None:
    """Open one of the table toolbar's menus (the split button's arrow, for Merge cells)."""
    page.get_by_role("toolbar", name="Table toolbar").get_by_role("button", name=menu).last.click()
    page.locator(".ck-dropdown__panel-visible").get_by_role("button", name=item).click()


def select_image(page, image) -> None:
    image.click()
    expect(page.get_by_role("toolbar", name="Image toolbar")).to_be_visible()


def test_every_editor_feature_we_configure_works_under_the_admin_policy_and_is_saved(admin_page, live_site):
    page = admin_page
    title = f"Standing desks and the policy {uuid.uuid4().hex[:8]}"
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title:", exact=True).fill(title)
    page.get_by_label("Slug:", exact=True).fill(title.lower().replace(" ", "-"))
    choose_autocomplete(page, "category", "Health")
    choose_autocomplete(page, "author")
    page.get_by_label("Summary:", exact=True).fill("Every feature of the editor, used once.")
    page.wait_for_function("() => window.editors && window.editors['id_body']")
    body = editable(page)
    body.click()

    # Headings, bold, italic and a link, from the toolbar.
    heading(page, "Heading 2")
    page.keyboard.type("Heading two")
    page.keyboard.press("Enter")
    page.keyboard.type("Plain, ")
    toolbar(page).get_by_role("button", name="Bold").click()
    page.keyboard.type("bold")
    toolbar(page).get_by_role("button", name="Bold").click()
    page.keyboard.type(", ")
    toolbar(page).get_by_role("button", name="Italic").click()
    page.keyboard.type("italic")
    toolbar(page).get_by_role("button", name="Italic").click()
    page.keyboard.type(" and a study")
    page.keyboard.press("Shift+Control+ArrowLeft")
    wait_for_editor_selection(page, collapsed=False)
    toolbar(page).get_by_role("button", name="Link").click()
    url_field = page.locator(".ck-link-form").get_by_role("textbox", name=re.compile("URL"))
    expect(url_field).to_be_focused()
    page.keyboard.type(LINK)
    page.keyboard.press("Enter")
    expect(body.locator(f"a[href='{LINK}']")).to_have_text("study")
    page.keyboard.press("Escape")
    caret_to_end(page)
    heading(page, "Heading 3")
    page.keyboard.type("Heading three")
    page.keyboard.press("Enter")
    heading(page, "Heading 4")
    page.keyboard.type("Heading four")
    page.keyboard.press("Enter")

    # Both lists and a quote; Enter in an empty item or line leaves each.
    toolbar(page).get_by_role("button", name="Bulleted List").first.click()
    page.keyboard.type("first bullet")
    page.keyboard.press("Enter")
    page.keyboard.type("second bullet")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    toolbar(page).get_by_role("button", name="Numbered List").first.click()
    page.keyboard.type("first step")
    page.keyboard.press("Enter")
    page.keyboard.type("second step")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    toolbar(page).get_by_role("button", name="Block quote").click()
    page.keyboard.type("A quoted line")
    expect(body.locator("ul li")).to_have_count(2)
    expect(body.locator("ol li")).to_have_count(2)
    expect(body.locator("blockquote")).to_have_text("A quoted line")

    # Undo and redo.
    caret_to_end(page)
    page.keyboard.type("Typed then undone")
    toolbar(page).get_by_role("button", name="Undo").click()
    expect(body).not_to_contain_text("Typed then undone")
    toolbar(page).get_by_role("button", name="Redo").click()
    expect(body).to_contain_text("Typed then undone")
    toolbar(page).get_by_role("button", name="Undo").click()
    expect(body).not_to_contain_text("Typed then undone")

    # An image from the toolbar's file chooser: text alternative and alignment.
    caret_to_end(page)
    toolbar(page).locator("input[type=file]").set_input_files(
        {"name": "desk.png", "mimeType": "image/png", "buffer": png_bytes((320, 180))})
    expect(uploaded_images(page)).to_have_count(1)
    chosen = uploaded_images(page).first
    expect(chosen).to_have_attribute("width", "320")  # set once the upload is done
    select_image(page, chosen)
    image_toolbar = page.get_by_role("toolbar", name="Image toolbar")
    image_toolbar.get_by_role("button", name="Change image text alternative").click()
    page.keyboard.type(ALT)
    page.keyboard.press("Enter")
    expect(chosen).to_have_attribute("alt", ALT)
    # The editor shows an image in proportion with its aspect-ratio style attribute.
    assert chosen.evaluate("img => getComputedStyle(img).aspectRatio") == "320 / 180"
    for style, figure_class in (("Left aligned image", "image-style-align-left"),
                                ("Centered image", "image-style-align-center"),
                                ("Right aligned image", "image-style-align-right")):
        select_image(page, chosen)
        image_toolbar.get_by_role("button", name=style).click()
        expect(body.locator("figure.image").first).to_have_class(re.compile(figure_class))
    # No resize handles: the width they would set is not kept (settings.CKEDITOR_5_CONFIGS).
    select_image(page, chosen)
    expect(body.locator("figure.image").first.locator(".ck-widget__resizer__handle")).to_have_count(0)

    # A pasted image and a dropped one are uploaded as well.
    caret_to_end(page)
    page.evaluate(PUT_IMAGE, ["paste", base64.b64encode(png_bytes((200, 100), (120, 40, 40))).decode(),
                              "pasted.png"])
    expect(uploaded_images(page)).to_have_count(2)
    page.evaluate(PUT_IMAGE, ["drop", base64.b64encode(png_bytes((160, 90), (40, 40, 120))).decode(),
                              "dropped.png"])
    expect(uploaded_images(page)).to_have_count(3)
    for image in uploaded_images(page).all():  # each one's upload has finished
        expect(image).to_have_attribute("width", re.compile(r"^(320|200|160)$"))

    # Text pasted from a word processor: its words stay, its styles do not.
    caret_to_end(page)
    page.evaluate(PASTE_HTML, STYLED_HTML)
    expect(body).to_contain_text("Pasted from a word processor")

    # A table, then a column, a row and a merged cell from the table's own toolbar.
    caret_to_end(page)
    toolbar(page).get_by_role("button", name="Insert table").click()
    page.locator(".ck-insert-table-dropdown-grid-box[data-row='2'][data-column='2']").click()
    expect(body.locator("figure.table tr")).to_have_count(2)
    page.keyboard.type("A1")
    page.keyboard.press("Tab")
    page.keyboard.type("B1")
    choose_from_table_toolbar(page, "Column", "Insert column right")
    choose_from_table_toolbar(page, "Row", "Insert row below")
    choose_from_table_toolbar(page, "Row", "Header row")
    expect(body.locator("figure.table th")).to_have_count(3)
    body.locator("figure.table td").first.click()
    choose_from_table_toolbar(page, "Merge cells", "Merge cell right")
    expect(body.locator("figure.table tr")).to_have_count(3)
    expect(body.locator("figure.table td[colspan='2']")).to_have_count(1)

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    # Opened again from what was stored, the images are drawn in proportion as before.
    expect(uploaded_images(page)).to_have_count(3)
    assert uploaded_images(page).evaluate_all("images => images.map(img => getComputedStyle(img).aspectRatio)") \
        == ["160 / 90", "320 / 180", "200 / 100"]

    stored = dom.parse(stored_body(live_site, title))
    assert [e.tag for e in stored.elements if e.tag in {"h2", "h3", "h4"}] == ["h2", "h3", "h4"]
    assert {e.tag for e in stored.elements} >= {"strong", "i", "ul", "ol", "blockquote", "table"}
    assert stored.find("a", href=LINK)
    assert len(stored.find("li")) == 4
    images = stored.find("img")
    assert len(images) == 3 and all(e.attrs["src"].startswith("/media/uploads/") for e in images)
    assert [e.attrs.get("alt") for e in images].count(ALT) == 1
    assert stored.find("figure", **{"class": "image image-style-align-right"})
    assert len(stored.find("tr")) == 3 and len(stored.find("th")) == 3 and stored.find("td", colspan="2")
    assert "A1" in stored.text and "B1" in stored.text and "Pasted from a word processor" in stored.text
    assert "Typed then undone" not in stored.text


# --- Every admin page ---------------------------------------------------------------

# A digest to preview and a subscriber to open, removed afterwards: the live site is shared,
# and the newsletter journey counts subscribers and prepares today's digest.
ADD_DIGEST = """
import datetime
from django.utils import timezone
from articles.models import Article
from newsletter.models import Digest, Subscriber
digest = Digest.objects.create(day=datetime.date(2001, 1, 1), subject="Admin CSP preview",
                               covers_until=timezone.now() - datetime.timedelta(days=9000))
digest.articles.set(Article.objects.published()[:2])
Subscriber.objects.create(email="admin-csp@example.com", status="unsubscribed")
print(digest.pk)
"""
REMOVE_DIGEST = """
from newsletter.models import Digest, Subscriber
Digest.objects.filter(subject="Admin CSP preview").delete()
Subscriber.objects.filter(email="admin-csp@example.com").delete()
"""


@pytest.fixture
def digest_pk(live_site):
    pk = int(live_site.manage("shell", "-c", ADD_DIGEST).strip().splitlines()[-1])
    yield pk
    live_site.manage("shell", "-c", REMOVE_DIGEST)


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)


def test_every_admin_page_loads_with_no_violation(admin_page, digest_pk):
    page = admin_page
    visit(page, "/admin/")
    listed = page.locator("#content-main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    visited = set()
    for path in dict.fromkeys(listed):  # app pages, each model's list and add page
        visit(page, path)
        visited.add(page.url)
        first = page.locator("#result_list tbody tr th a").first
        if path.endswith("/add/") or not first.count():
            continue
        visit(page, first.get_attribute("href"))  # its change page
        if page.locator("a.historylink").count():
            visit(page, page.locator("a.historylink").get_attribute("href"))
    # Every model with an admin was listed, including the ones this test came for.
    for model in ("articles/article", "authors/author", "articles/category", "partners/affiliatepartner",
                  "images/image", "newsletter/digest", "newsletter/subscriber", "flatpages/flatpage",
                  "core/sitetexts"):
        assert any(f"/admin/{model}/" in url for url in visited), model

    # A policy page once saved has a history, listed by simple-history's page.
    visit(page, "/admin/flatpages/flatpage/")
    page.locator("#result_list tbody tr th a").first.click()
    expect(page.locator(".field-content .ck-editor__editable")).to_be_visible()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.locator("a.historylink").click()
    expect(page.locator("#change-history tbody tr")).not_to_have_count(0)

    # An article's versions: compared, one opened in the editor, and its preview.
    visit(page, "/admin/articles/article/?q=Sciatica")
    page.locator("#result_list tbody tr th a").first.click()
    expect(editable(page)).to_be_visible()
    change_url = page.url
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.locator("a.historylink").click()
    page.get_by_role("button", name="Compare selected versions").click()
    expect(page.locator(".history-compare")).to_be_visible()
    page.go_back()
    page.locator("#change-history tbody tr").first.locator("a[href*='/history/']").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Revert"))).to_be_visible()
    expect(editable(page)).to_be_visible()
    visit(page, change_url.replace("/change/", "/preview/"))
    expect(page.locator(".article__body")).to_be_visible()

    # The newsletter digest's list, its page and its preview.
    visit(page, "/admin/newsletter/digest/")
    visit(page, f"/admin/newsletter/digest/{digest_pk}/change/")
    visit(page, f"/admin/newsletter/digest/{digest_pk}/preview/")

    # The two-factor page, from the link in the header.
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page).to_have_title(re.compile("^Two-factor sign-in"))


def test_the_digest_preview_shows_the_email_with_its_inline_styles(admin_page, digest_pk):
    page = admin_page
    visit(page, f"/admin/newsletter/digest/{digest_pk}/preview/")
    frame = page.locator("iframe.digest-preview")
    expect(frame).to_have_attribute("sandbox", "")
    assert frame.evaluate("frame => frame.getBoundingClientRect().height") > 800  # its size, from our stylesheet

    email = page.frame_locator("iframe.digest-preview")
    expect(email.get_by_role("link", name="Read the article").first).to_be_visible()
    # The colours and sizes mail programs would show come from the email's style= attributes.
    assert email.locator("body").evaluate("body => getComputedStyle(body).backgroundColor") == "rgb(251, 250, 247)"
    assert email.locator("body > div").evaluate("div => getComputedStyle(div).maxWidth") == "600px"
    site_name = email.locator("p").first
    assert site_name.evaluate("p => getComputedStyle(p).fontSize") == "24px"
    assert site_name.locator("a").evaluate("a => getComputedStyle(a).color") == "rgb(29, 78, 95)"


# --- Signing in: on a site of its own, since a lock-out would lock out every other test

ADD_AUTHENTICATOR = f"""
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=get_user_model().objects.get(username={ADMIN_USERNAME!r}), name="phone", confirmed=True)
"""


@pytest.fixture(scope="module")
def sign_in_site(browser, tmp_path_factory):
    """A site whose superuser has an authenticator app, where one wrong password locks."""
    site = LiveSite(tmp_path_factory.mktemp("admin-csp-sign-in"), workers=1, LOGIN_FAILURE_LIMIT="1")
    with site.start():
        site.manage("shell", "-c", ADD_AUTHENTICATOR)
        yield site


def sign_in(page, site, password: str) -> None:
    page.goto(site.url("/admin/login/"))
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_sign_in_the_code_step_and_the_lock_out_page_load_with_no_violation(open_context, sign_in_site):
    page = open_context().new_page()
    sign_in(page, sign_in_site, ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/login/code/$"))
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()

    locked = open_context().new_page()
    sign_in(locked, sign_in_site, "not-the-password")
    expect(locked.locator("#content-main")).to_contain_text("Signing in is locked for now")
    locked.goto(sign_in_site.url("/admin/login/"))
    sign_in(locked, sign_in_site, ADMIN_PASSWORD)  # the lock holds for the right password too
    expect(locked.locator("#content-main")).to_contain_text("Signing in is locked for now")
