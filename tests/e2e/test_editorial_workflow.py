"""The editorial workflow in the browser: a writer drafts and submits for review, an
editor previews and shares a preview, schedules the article, updates it for readers
and restores an earlier version from its history.

(articles/admin.py, articles/forms.py, articles/views.py, articles/previews.py and
templates/admin/articles/article/change_form.html)
"""

import json
import re
import time
import uuid
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_journey import choose_autocomplete, wait_for_editor_selection

PASSWORD = "a-long-staff-password-7"
FIRST_SENTENCE = "Cold water narrows the blood vessels for a while."
OLD_SENTENCE = "Most swimmers say their knees ache less afterwards."
NEW_SENTENCE = "A 2025 trial found no lasting change in knee pain."
UPDATE_NOTE = "Added the 2025 trial on knee pain."
# Far enough ahead to see the article scheduled and still hidden, near enough that
# the test does not wait long.
SCHEDULE_LEAD = timedelta(seconds=15)
PUBLICATION_GRACE_S = 20

STAFF = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from authors.models import Author

def staff(username, group):
    user = get_user_model().objects.create_user(username, password={password!r}, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user

writer = staff({writer!r}, "Writers")
Author.objects.create(name={author!r}, slug={author_slug!r}, user=writer)
staff({editor!r}, "Editors")
print(json.dumps({{"time_zone": settings.TIME_ZONE}}))
"""


class ConsoleErrors:
    """Console errors (a Content-Security-Policy refusal is one) and uncaught exceptions
    in every tab of the browser contexts watched."""

    def __init__(self):
        self.errors: list[str] = []

    def watch(self, context):
        context.on("console", self._console)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        return context

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"{message.location.get('url')}: {message.text}")


@pytest.fixture
def staff(live_site):
    """A writer (with an author profile tied to them) and an editor, in the live site's database."""
    suffix = uuid.uuid4().hex[:8]
    names = {
        "writer": f"writer-{suffix}", "editor": f"editor-{suffix}",
        "author": f"Robin Vale {suffix}", "author_slug": f"robin-vale-{suffix}",
    }
    output = live_site.manage("shell", "-c", STAFF.format(password=PASSWORD, **names))
    settings = json.loads(output.strip().splitlines()[-1])
    return {**names, "time_zone": ZoneInfo(settings["time_zone"])}


def sign_in(open_context, console, username):
    page = console.watch(open_context()).new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def editable(page):
    return page.locator(".field-body .ck-editor__editable")


def status_field(page):
    return page.get_by_label("Status:")


def save(page, *, continue_editing=False):
    name = "Save and continue editing" if continue_editing else "Save"
    page.get_by_role("button", name=name, exact=True).first.click()


def open_in_admin(page, title):
    page.goto("/admin/articles/article/?" + urlencode({"q": title}))
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_label("Title:", exact=True)).to_have_value(title)
    page.wait_for_function("() => window.editors && window.editors['id_body']")


def is_noindex(page):
    return page.locator("meta[name=robots][content=noindex]").count() == 1


def long_date(day: date) -> str:
    """As the site writes dates: "F j, Y"."""
    return f"{day:%B} {day.day}, {day.year}"


def public_status(reader, path):
    return reader.request.get(path, max_redirects=0).status


def test_writer_submits_editor_previews_shares_schedules_updates_and_restores(
    open_context, live_site, staff
):
    console = ConsoleErrors()
    title = f"Does Cold Water Swimming Ease Joint Pain? {staff['author_slug'][-8:]}"

    # 1. The writer: a draft with only a title, then complete and in review.
    writer = sign_in(open_context, console, staff["writer"])
    writer.goto("/admin/articles/article/add/")
    writer.get_by_label("Title:", exact=True).press_sequentially(title)
    assert status_field(writer).locator("option").all_inner_texts() == ["Draft", "In review"]
    save(writer, continue_editing=True)
    expect(writer.locator(".messagelist .success")).to_contain_text("was added successfully")
    slug = writer.get_by_label("Slug:", exact=True).input_value()
    public_path = f"/{slug}.htm"

    choose_autocomplete(writer, "category", "Health")
    choose_autocomplete(writer, "author", staff["author"])
    writer.get_by_label("Summary:", exact=True).fill("What a cold swim does, and does not do, for sore joints.")
    editable(writer).click()
    writer.keyboard.type(FIRST_SENTENCE)
    writer.keyboard.press("Enter")
    writer.keyboard.type(OLD_SENTENCE)
    assert status_field(writer).locator("option").all_inner_texts() == ["Draft", "In review"]
    status_field(writer).select_option(label="In review")
    save(writer)
    expect(writer.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect(writer.get_by_role("row").filter(has_text=title)).to_contain_text("In review")

    # 2. The editor previews it as readers will see it, and shares a preview link.
    editor = sign_in(open_context, console, staff["editor"])
    open_in_admin(editor, title)
    with editor.context.expect_page() as opened:
        editor.get_by_role("link", name="Preview", exact=True).click()
    preview = opened.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.locator(".preview-banner")).to_contain_text("Preview: this article is in review.")
    expect(preview.locator(".article__body")).to_contain_text(OLD_SENTENCE)
    assert is_noindex(preview)
    preview.close()

    editor.get_by_role("button", name="Share preview").click()
    shared = editor.locator(".messagelist .success").get_by_role("link")
    expect(shared).to_have_attribute("href", re.compile(r"/preview/[^/]+/$"))
    link = shared.get_attribute("href")

    outsider = console.watch(open_context()).new_page()
    assert outsider.goto(link).status == 200
    expect(outsider.get_by_role("heading", level=1)).to_have_text(title)
    expect(outsider.locator(".preview-banner")).to_contain_text("Preview: this article is in review.")
    expect(outsider.locator(".preview-banner")).to_contain_text("This link works until")
    expect(outsider.locator(".article__body")).to_contain_text(FIRST_SENTENCE)
    assert is_noindex(outsider)
    reader = console.watch(open_context()).new_page()
    assert public_status(reader, public_path) == 404

    # 3. Scheduled a few seconds ahead: listed as scheduled and hidden until then.
    status_field(editor).select_option(label="Published")
    publish_at = (datetime.now(staff["time_zone"]) + SCHEDULE_LEAD).replace(microsecond=0)
    editor.locator("#id_publish_at_0").fill(publish_at.strftime("%Y-%m-%d"))
    editor.locator("#id_publish_at_1").fill(publish_at.strftime("%H:%M:%S"))
    save(editor)
    expect(editor.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect(editor.get_by_role("row").filter(has_text=title)).to_contain_text(
        f"Scheduled for {long_date(publish_at)}, {publish_at:%H:%M}"
    )
    assert public_status(reader, public_path) == 404
    assert datetime.now(staff["time_zone"]) < publish_at, (
        "the article's time came before the test could see it hidden; make SCHEDULE_LEAD longer"
    )

    deadline = publish_at.timestamp() + PUBLICATION_GRACE_S
    while (status := public_status(reader, public_path)) == 404 and time.time() < deadline:
        time.sleep(0.5)
    assert status == 200, f"{public_path} still answers {status} {PUBLICATION_GRACE_S} s after its time"
    assert time.time() >= publish_at.timestamp()
    reader.goto(public_path)
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.locator(".preview-banner")).to_have_count(0)
    assert not is_noindex(reader)

    # 4. A substantive update: readers see the note and today's date. The title changes
    # too, so that restoring the earlier version shows in both.
    open_in_admin(editor, title)
    new_title = title.replace("Ease", "Really Ease")
    editor.get_by_label("Title:", exact=True).fill(new_title)
    expect(editor.get_by_label("Slug:", exact=True)).to_have_value(slug)
    editable(editor).get_by_text(OLD_SENTENCE).click()
    editor.keyboard.press("End")
    editor.keyboard.press("Shift+Home")
    wait_for_editor_selection(editor, collapsed=False)
    editor.keyboard.type(NEW_SENTENCE)
    expect(editable(editor)).not_to_contain_text(OLD_SENTENCE)
    editor.get_by_label("Substantive update").check()
    editor.get_by_label("Update note for readers:").fill(UPDATE_NOTE)
    save(editor)
    expect(editor.locator(".messagelist .success")).to_contain_text("was changed successfully")

    reader.goto(public_path)
    expect(reader.get_by_role("heading", level=1)).to_have_text(new_title)
    expect(reader.locator(".article__body")).to_contain_text(NEW_SENTENCE)
    today = long_date(datetime.now(staff["time_zone"]).date())
    expect(reader.locator(".byline")).to_contain_text(f"Updated: {today}")
    history = reader.locator("details.article-history")
    history.get_by_text("Article history").click()
    expect(history.get_by_role("listitem").first).to_have_text(f"{today} {UPDATE_NOTE}")
    expect(history.get_by_role("listitem").last).to_contain_text("First published.")

    # 5. History: the version before the update is restored.
    open_in_admin(editor, new_title)
    editor.get_by_role("link", name="History").click()
    versions = editor.locator("#change-history tbody tr")
    versions_before = versions.count()
    scheduled = versions.filter(has=editor.get_by_role("cell", name="Scheduled", exact=True))
    scheduled.get_by_role("link", name=title, exact=True).click()
    expect(editor.get_by_label("Title:", exact=True)).to_have_value(title)
    editor.get_by_role("button", name="Revert").first.click()
    expect(editor.locator(".messagelist .success")).to_contain_text("was changed successfully")

    open_in_admin(editor, title)
    expect(editable(editor)).to_contain_text(OLD_SENTENCE)
    editor.get_by_role("link", name="History").click()
    expect(versions).to_have_count(versions_before + 1)
    reader.goto(public_path)
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.locator(".article__body")).to_contain_text(OLD_SENTENCE)
    expect(reader.locator(".article__body")).not_to_contain_text(NEW_SENTENCE)

    assert console.errors == [], "errors in the browser console (CSP?):\n" + "\n".join(console.errors)
