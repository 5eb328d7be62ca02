"""A digest mails only what readers may see at the moment it is sent, and no title can
break its headers: whatever happened between preparing and sending, on the wire."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from newsletter import services
from newsletter.models import Delivery, Digest, Subscriber
from tests.factories import ArticleFactory
from tests.newsletter.helpers import header, hours_ago, send_digest, subscriber, text_and_html

pytestmark = pytest.mark.django_db




@pytest.fixture
def readers():
    for address in ("ada@example.com", "bob@example.com"):
        subscriber(address, Subscriber.Status.ACTIVE)
    return ["ada@example.com", "bob@example.com"]


def everything_sent(smtp) -> str:
    """Subjects and both decoded parts of every message the server received."""
    return "\n".join(str(m["Subject"]) + "\n" + "\n".join(text_and_html(m)) for m in smtp.messages)


@pytest.mark.parametrize("change", [
    {"status": Article.Status.DRAFT},
    {"status": Article.Status.REVIEW},
    {"publish_at": timezone.now() + datetime.timedelta(days=3)},  # rescheduled
])
def test_an_article_unpublished_after_the_digest_was_prepared_is_not_mailed(smtp, readers, change):
    kept = ArticleFactory(title="Still Public", publish_at=hours_ago(2))
    withdrawn = ArticleFactory(title="Withdrawn After Preparing", publish_at=hours_ago(1))
    digest = services.digest_prepare()
    assert set(digest.articles.all()) == {kept, withdrawn}
    Article.objects.filter(pk=withdrawn.pk).update(**change)

    output = send_digest()

    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}
    assert "Withdrawn After Preparing" not in everything_sent(smtp)
    message = smtp.messages_to("ada@example.com")[0]
    assert header(message, "Subject") == "WiseGeek today: Still Public"  # no "and 1 more"
    assert "Still Public" in text_and_html(message)[0]
    assert "“WiseGeek today: Still Public”, 2 to send" in output
    assert Digest.objects.get().subject == "WiseGeek today: Still Public"


def test_a_draft_added_to_a_digest_by_hand_is_not_mailed(smtp, readers):
    ArticleFactory(title="Published Today", publish_at=hours_ago(1))
    digest = services.digest_prepare()
    draft = ArticleFactory(title="Secret Draft", status=Article.Status.DRAFT, publish_at=hours_ago(1))
    scheduled = ArticleFactory(title="Tomorrow's Scoop", publish_at=timezone.now() + datetime.timedelta(days=1))
    digest.articles.add(draft, scheduled)  # what an editor can do in admin

    send_digest()

    assert len(smtp) == 2
    sent = everything_sent(smtp)
    assert "Published Today" in sent
    assert "Secret Draft" not in sent and "Scoop" not in sent


def test_when_no_article_of_the_digest_is_public_any_more_nothing_is_sent_and_the_command_says_so(smtp, readers):
    article = ArticleFactory(title="Pulled", publish_at=hours_ago(1))
    services.digest_prepare()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    output = send_digest()

    assert "none of its articles is public any more" in output and "nothing to send" in output
    assert len(smtp) == 0 and Delivery.objects.count() == 0
    assert Digest.objects.get().state == Digest.State.READY
    # Published again, it goes out on the next run.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    send_digest()
    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}


def hostile_title() -> str:
    title = "Line\r\nBreak\x0bTab\x1bEscape\x7fDelete\u2028Separator\x85Next"
    if connection.vendor == "sqlite":  # PostgreSQL cannot store NUL in text at all
        title += "\x00Nul"
    return title


def test_a_title_with_line_breaks_or_control_characters_is_mailed_on_one_line(smtp, readers):
    ArticleFactory(title=hostile_title(), publish_at=hours_ago(1))
    ArticleFactory(title="Second", publish_at=hours_ago(2))

    output = send_digest()

    assert "Sent the digest to 2 subscribers." in output
    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}
    message = smtp.messages_to("ada@example.com")[0]
    raw_subject = str(message["Subject"])
    assert raw_subject == "WiseGeek today: Line Break Tab Escape Delete Separator Next" + (
        " Nul" if connection.vendor == "sqlite" else "") + " and 1 more"
    text, html = text_and_html(message)
    assert "Line Break Tab Escape Delete Separator Next" in text and "Line Break Tab" in html
    for character in "\x00\x0b\x1b\x7f\u2028\x85":
        assert character not in text and character not in html
    digest = Digest.objects.get()
    assert digest.state == Digest.State.SENT and "\n" not in digest.subject
    assert Delivery.objects.count() == 2


def test_a_digest_prepared_with_a_broken_subject_before_this_fix_is_not_stuck(smtp, readers):
    ArticleFactory(title="Fine Title", publish_at=hours_ago(1))
    digest = services.digest_prepare()
    Digest.objects.filter(pk=digest.pk).update(subject="Frozen\r\nSubject")

    send_digest()

    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}
    assert header(smtp.messages[0], "Subject") == "WiseGeek today: Fine Title"


def test_the_confirmation_email_survives_a_site_name_with_a_line_break(smtp, settings, signup):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_NAME = "Wise\r\nGeek\x1b"

    signup("reader@example.com")

    (message,) = smtp.messages_to("reader@example.com")
    assert str(message["Subject"]) == "Confirm your subscription to Wise Geek"


def test_an_article_unpublished_while_the_digest_is_going_out_is_left_out_of_the_next_batches(smtp, readers):
    ArticleFactory(title="Stays Up", publish_at=hours_ago(2))
    pulled = ArticleFactory(title="Pulled Midway", publish_at=hours_ago(1))
    digest = services.digest_prepare()

    def unpublish_after_the_first_message(count):
        Article.objects.filter(pk=pulled.pk).update(status=Article.Status.DRAFT)

    services.digest_send(digest=digest, batch_size=1, progress=unpublish_after_the_first_message)

    first, second = (text_and_html(smtp.messages_to(address)[0])[0] for address in readers)
    assert "Pulled Midway" in first
    assert "Pulled Midway" not in second and "Stays Up" in second
    assert header(smtp.messages_to("bob@example.com")[0], "Subject") == "WiseGeek today: Stays Up"
