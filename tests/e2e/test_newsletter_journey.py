"""A reader subscribes, confirms from the email, gets a digest and leaves with its link.

The site runs as `make run` runs it, gunicorn and the task worker side by side, with
its mail going to an SMTP server (aiosmtpd) started here, so every email is read off
the wire as a mail client would read it.
"""

import email
import re
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from tests.e2e.browser import ARTICLE_PATH
from tests.liveserver import LiveSite, free_port

MAIL_TIMEOUT = 15  # seconds: the worker looks for queued tasks every second
READER = "morgan.reader@example.com"


class MailSink:
    """An SMTP server on a free loopback port that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._arrived = threading.Condition()
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.port = self._controller.port

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, *, to: str, subject: str, timeout: float = MAIL_TIMEOUT):
        """The first message to ``to`` whose subject matches ``subject`` (a regex), once it arrives."""

        def find():
            matching = (m for m in self.messages if m["To"] == to and re.search(subject, m["Subject"]))
            return next(matching, None)

        with self._arrived:
            found = self._arrived.wait_for(find, timeout)
            received = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
        assert found is not None, (
            f"no email to {to} with a subject like {subject!r} in {timeout} s; received: {received}"
        )
        return found

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc_info):
        self._controller.stop()


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_after(text: str, words: str) -> str:
    """The link a reader finds after ``words`` in an email's text."""
    match = re.search(re.escape(words) + r"\s*(https?://\S+)", text)
    assert match, f"no link after {words!r} in:\n{text}"
    return match.group(1)


@pytest.fixture(scope="module")
def mail_sink():
    with MailSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def live_site(browser, mail_sink, tmp_path_factory):
    """This module's own site: mail goes to the sink, and the task worker sends it.

    It stands in for conftest's session-wide site in these tests, so ``open_context``
    opens pages on it and a failure report shows its log.
    """
    site = LiveSite(
        tmp_path_factory.mktemp("e2e-newsletter-site"), worker=True,
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(mail_sink.port), EMAIL_USE_TLS="0", EMAIL_USE_SSL="0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    # Links in emails are on SITE_URL, which LiveSite sets to this server's address.
    with site.start():
        yield site


def publish_article_now(site, slug: str) -> None:
    """What an editor's Publish does, for one demo article: published as of now."""
    site.manage("shell", "-c", (
        "from django.utils import timezone; from articles.models import Article; "
        f"Article.objects.filter(slug={slug!r})"
        ".update(publish_at=timezone.now(), updated_on=timezone.localdate())"
    ))


def test_reader_subscribes_confirms_by_email_and_unsubscribes_from_the_digest(page, live_site, mail_sink):
    # Sign up with the form in the home page's own newsletter section (the footer has another).
    page.goto("/")
    signup = page.get_by_role("main").get_by_role("region", name=re.compile("in your inbox$"))
    signup.get_by_label("Email address").fill(READER)
    signup.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox to confirm")

    # The worker sends the confirmation email; its link opens a page with one button.
    confirmation = mail_sink.wait_for(to=READER, subject="^Confirm your subscription")
    confirm_url = link_after(text_of(confirmation), "open this link and press Confirm:")
    assert confirm_url.startswith(live_site.base + "/"), confirm_url
    page.goto(confirm_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    expect(page.get_by_role("main")).to_contain_text(READER)
    confirm = page.get_by_role("main").get_by_role("button")
    expect(confirm).to_have_count(1)
    expect(confirm).to_have_text("Confirm")
    confirm.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")

    # An article is published; the daily job sends the digest.
    slug = ARTICLE_PATH.strip("/").removesuffix(".htm")
    publish_article_now(live_site, slug)
    output = live_site.manage("send_digest")
    assert "Sent the digest to 1 subscriber" in output, output
    digest = mail_sink.wait_for(to=READER, subject="^WiseGeek today: ")
    text = text_of(digest)
    assert live_site.url(ARTICLE_PATH) in text, text

    # Mail providers offer one-click unsubscribe from these headers (RFC 2369, RFC 8058).
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = link_after(text, "Unsubscribe with one click:")
    assert f"<{unsubscribe_url}>" in digest["List-Unsubscribe"], digest["List-Unsubscribe"]
    assert "<mailto:" in digest["List-Unsubscribe"]

    # The reader leaves with the link in the email.
    page.goto(unsubscribe_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    leave = page.get_by_role("main").get_by_role("button")
    expect(leave).to_have_count(1)
    expect(leave).to_have_text("Unsubscribe")
    leave.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    expect(page.get_by_role("main")).to_contain_text(READER)
