"""A reader comments, an editor approves it, the reader replies to it (and waits again)."""

import re

from playwright.sync_api import expect

from tests.e2e.browser import ARTICLE_PATH


def comment_form(page):
    return page.locator("#comment-form")


def write_comment(page, *, name, email, text):
    form = comment_form(page)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Comment").fill(text)
    form.get_by_role("button", name="Post comment").click()


def test_comment_is_moderated_then_published_and_answered(page, admin_page, open_context):
    text = "Walking every morning helped my sciatica more than resting did."
    page.goto(ARTICLE_PATH)
    expect(page.get_by_role("heading", name=re.compile("^Discussion Comments"))).to_be_visible()
    write_comment(page, name="Priya from Leeds", email="priya.leeds@example.com", text=text)

    # The reader's own view of the article (never cached); the article's address is shared.
    expect(page).to_have_url(re.compile(re.escape(ARTICLE_PATH) + r"\?comment=[^#]+#comment-\d+$"))
    expect(page.get_by_role("status").filter(has_text="awaiting moderation")).to_be_visible()
    expect(page.locator(".comment--pending")).to_contain_text(text)

    # Another reader does not see it yet.
    stranger = open_context().new_page()
    stranger.goto(ARTICLE_PATH)
    expect(stranger.get_by_text(text)).to_have_count(0)

    # The editor approves it from the moderation queue.
    admin_page.goto("/admin/")
    admin_page.get_by_role("link", name=re.compile(r"waiting for moderation")).click()
    row = admin_page.locator("#result_list tr").filter(has_text="Priya from Leeds")
    row.get_by_role("checkbox").check()
    admin_page.locator("select[name=action]").select_option("approve")
    admin_page.get_by_role("button", name="Go").click()
    expect(admin_page.locator(".messagelist")).to_contain_text("Approved 1 comment")

    stranger.reload()
    published = stranger.locator(".comment-list .comment").filter(has_text=text)
    expect(published).to_be_visible()
    expect(published).to_contain_text("Priya from Leeds")
    expect(stranger.get_by_text("priya.leeds@example.com")).to_have_count(0)

    # The same reader replies to it: the Reply link needs no JavaScript. An address with
    # an approved comment is not proof of who types it, so the reply waits too.
    page.goto(ARTICLE_PATH)
    # Within PAGE_STALE_WHILE_REVALIDATE of its first visit the browser may show its own
    # copy once while it fetches the new one (stale-while-revalidate); a reload shows it.
    page.reload()
    page.locator(".comment-list .comment").filter(has_text=text).get_by_role("link", name=re.compile("^Reply")).click()
    expect(comment_form(page).get_by_role("heading")).to_have_text("Reply to Priya from Leeds")
    reply = "Update: two weeks on, the leg pain has almost gone."
    write_comment(page, name="Priya from Leeds", email="priya.leeds@example.com", text=reply)
    expect(page.get_by_role("status").filter(has_text="awaiting moderation")).to_be_visible()
    expect(page.locator(".comment--pending")).to_contain_text(reply)
    stranger.reload()
    expect(stranger.get_by_text(reply)).to_have_count(0)


def test_a_comment_with_mistakes_keeps_what_was_typed(page):
    page.goto(ARTICLE_PATH)
    write_comment(page, name="Sam", email="not an address", text="A thoughtful note I do not want to lose.")
    expect(comment_form(page).locator(".field__error")).to_contain_text("Enter a valid email address")
    expect(comment_form(page).get_by_label("Comment")).to_have_value("A thoughtful note I do not want to lose.")
    expect(comment_form(page).get_by_label("Name")).to_have_value("Sam")
