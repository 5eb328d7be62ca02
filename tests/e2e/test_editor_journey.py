"""An editor writes an article in CKEditor 5, saves a draft, publishes it; bad uploads are refused."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.browser import ARTICLE_PATH

TITLE = "How Do Standing Desks Change Back Pain?"
SLUG = "how-do-standing-desks-change-back-pain"
LINK = "https://www.example.org/desk-study"
ALT = "A green square standing in for a photo of a standing desk"


def editable(page):
    return page.locator(".field-body .ck-editor__editable")


def choose_autocomplete(page, field: str, search: str = "") -> str:
    """Pick from one of admin's autocomplete (select2) fields as a person would.

    Opens the widget, types ``search`` into its search box and clicks the first
    result; returns the chosen option's text.
    """
    page.locator(f".field-{field} .select2-selection").click()
    search_box = page.locator(".select2-container--open .select2-search__field")
    search_box.fill(search)
    # Django's select2 shows "Searching…" as an option until the results arrive.
    option = page.locator(".select2-container--open .select2-results__option"
                          ":not(.loading-results):not(.select2-results__message)")
    if search:
        option = option.filter(has_text=search)
    option = option.first
    text = option.inner_text().strip()
    option.click()
    expect(page.locator(f"#select2-id_{field}-container")).to_have_text(re.compile(re.escape(text)))
    return text


def wait_for_editor_selection(page, *, collapsed: bool) -> None:
    """CKEditor learns that the caret moved from the browser's selectionchange event, a
    moment after the key press; typing before then would act on the old selection."""
    page.wait_for_function(
        "(collapsed) => window.editors['id_body'].model.document.selection.isCollapsed === collapsed",
        arg=collapsed,
    )


def png_file(tmp_path, name="desk.png"):
    out = io.BytesIO()
    Image.new("RGB", (320, 180), (40, 110, 90)).save(out, "PNG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def image_upload_input(page):
    # The toolbar's "Upload image" button opens this hidden file input.
    return page.locator(".field-body .ck-toolbar input[type=file]")


def test_editor_writes_a_draft_in_the_rich_text_editor_then_publishes_it(admin_page, open_context, tmp_path):
    page = admin_page
    page.goto("/admin/")
    page.locator("tr.model-article").get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Add article").click()
    expect(page.get_by_role("heading", name="Add article")).to_be_visible()

    # Typed key by key, so admin's prepopulated slug follows the title.
    page.get_by_label("Title:", exact=True).press_sequentially(TITLE)
    expect(page.get_by_label("Slug:", exact=True)).to_have_value(SLUG)
    category = choose_autocomplete(page, "category", "Health")
    choose_autocomplete(page, "author")
    page.get_by_label("Summary:", exact=True).fill("What the research says about standing at work and a sore back.")

    body = editable(page)
    body.click()
    page.locator(".field-body .ck-toolbar").get_by_role("button", name="Heading").click()
    page.get_by_role("menuitemradio", name="Heading 2").click()
    page.keyboard.type("What the studies found")
    page.keyboard.press("Enter")
    page.keyboard.type("Standing helps ")
    page.keyboard.press("Control+b")
    page.keyboard.type("some")
    page.keyboard.press("Control+b")
    page.keyboard.type(" people; see the study")
    page.keyboard.press("Shift+Control+ArrowLeft")
    wait_for_editor_selection(page, collapsed=False)
    page.keyboard.press("Control+k")
    url_field = page.locator(".ck-link-form").get_by_role("textbox", name=re.compile("URL"))
    expect(url_field).to_be_focused()
    page.keyboard.type(LINK)
    page.keyboard.press("Enter")
    expect(body.locator(f"a[href='{LINK}']")).to_have_text("study")
    page.keyboard.press("Escape")
    page.keyboard.press("End")
    wait_for_editor_selection(page, collapsed=True)
    page.keyboard.press("Enter")

    image_upload_input(page).set_input_files(png_file(tmp_path))
    expect(body.locator("img[src*='/media/uploads/']")).to_have_count(1)
    page.get_by_role("toolbar", name="Image toolbar").get_by_role("button", name="Change image text alternative").click()
    page.keyboard.type(ALT)
    page.keyboard.press("Enter")
    expect(body.locator("img[src*='/media/uploads/']")).to_have_attribute("alt", ALT)
    expect(body.locator("h2")).to_have_text("What the studies found")
    expect(body.locator("strong")).to_have_text("some")

    expect(page.get_by_label("Status:")).to_have_value("draft")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    reader = open_context().new_page()
    assert reader.goto(f"/{SLUG}.htm").status == 404

    page.get_by_label("Status:").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    reader.goto("/")
    expect(reader.get_by_role("link", name=TITLE, exact=True).first).to_be_visible()
    reader.get_by_role("navigation", name="Categories").get_by_role("link", name=category, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(category)
    reader.get_by_role("main").get_by_role("link", name=TITLE, exact=True).click()

    expect(reader).to_have_url(re.compile(re.escape(f"/{SLUG}.htm") + "$"))
    prose = reader.locator(".article__body")
    expect(prose.get_by_role("heading", level=2)).to_have_text("What the studies found")
    expect(prose.locator("strong")).to_have_text("some")
    expect(prose.get_by_role("link", name="study")).to_have_attribute("href", LINK)
    uploaded = prose.locator("img[src*='/media/uploads/']")
    expect(uploaded).to_have_attribute("alt", ALT)
    assert uploaded.evaluate("img => img.complete && img.naturalWidth") == 320


def what_readers_see(page) -> dict:
    """The article body's text, images and links. Not its HTML: CKEditor rewrites markup
    it loads (<em> becomes <i>, list items get ids) even when nothing is changed."""
    return page.locator(".article__body").evaluate("""body => ({
        text: body.innerText,
        images: [...body.querySelectorAll('img')].map(img => img.getAttribute('src')),
        links: [...body.querySelectorAll('a')].map(a => a.getAttribute('href')),
    })""")


def test_editor_is_told_a_text_file_named_png_is_not_an_image_and_the_article_stays_as_it_was(
    admin_page, open_context, live_site, tmp_path
):
    reader = open_context().new_page()
    reader.goto(ARTICLE_PATH)
    title = reader.get_by_role("heading", level=1).inner_text().strip()
    before = what_readers_see(reader)
    uploads = live_site.var_dir / "media" / "uploads"
    files_before = sorted(uploads.rglob("*")) if uploads.exists() else []

    page = admin_page
    page.goto("/admin/articles/article/")
    page.get_by_role("searchbox").fill(title)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=title, exact=True).click()
    body = editable(page)
    page.wait_for_function("() => window.editors && window.editors['id_body']")
    images = body.locator("img").count()
    data_before = page.evaluate("() => window.editors['id_body'].getData()")

    fake = tmp_path / "holiday.png"
    fake.write_text("Dear diary, this is plain text pretending to be a picture.\n")
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.accept()))
    with page.expect_event("dialog"):
        image_upload_input(page).set_input_files(fake)

    assert len(alerts) == 1 and "not an image" in alerts[0], alerts
    expect(body.locator("img")).to_have_count(images)
    assert page.evaluate("() => window.editors['id_body'].getData()") == data_before

    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    reader.reload()
    assert what_readers_see(reader) == before
    assert (sorted(uploads.rglob("*")) if uploads.exists() else []) == files_before
