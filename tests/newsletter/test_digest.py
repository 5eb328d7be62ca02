"""The daily digest on the wire: what it carries, who gets it, and that a second run,
or a run after the mail server failed, sends nobody anything twice."""

import datetime

import pytest
from django.core.management import CommandError
from django.test import Client
from django.utils import timezone

from articles.models import Article
from newsletter import tasks
from newsletter.models import Delivery, Digest, Subscriber
from tests.factories import ArticleFactory
from tests.newsletter.helpers import header, hours_ago, link_to, path_of, send_digest, subscriber, text_and_html

pytestmark = pytest.mark.django_db




@pytest.fixture
def readers():
    """Two active subscribers, and one of each kind that must get nothing."""
    for address, status in [
        ("ada@example.com", "active"), ("bob@example.com", "active"), ("pending@example.com", "pending"),
        ("left@example.com", "unsubscribed"), ("bounced@example.com", "bounced"),
        ("complained@example.com", "complained"),
    ]:
        subscriber(address, status)
    return ["ada@example.com", "bob@example.com"]


def test_send_digest_mails_new_articles_in_html_and_text_to_every_active_subscriber_only(smtp, readers):
    new = ArticleFactory(title="Why Is the Sky Blue?", summary="Light scatters & bends.", publish_at=hours_ago(2))
    newer = ArticleFactory(title="How Do Tides Work?", publish_at=hours_ago(1))
    old = ArticleFactory(title="An Old Article", publish_at=hours_ago(50))
    draft = ArticleFactory(title="A Draft", status=Article.Status.DRAFT, publish_at=hours_ago(1))
    scheduled = ArticleFactory(title="Scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1))

    output = send_digest()

    assert "2 to send" in output and "Sent the digest to 2 subscribers." in output
    assert sorted(smtp.recipient_counts().items()) == [("ada@example.com", 1), ("bob@example.com", 1)]
    message = smtp.messages_to("ada@example.com")[0]
    assert header(message, "Subject") == "WiseGeek today: How Do Tides Work? and 1 more"
    text, html = text_and_html(message)
    for article in (newer, new):
        url = "http://localhost:8000" + article.get_absolute_url()
        assert article.title in text and url in text
        assert f'href="{url}"' in html
    assert text.index(newer.title) < text.index(new.title), "newest first"
    assert "Light scatters & bends." in text and "Light scatters &amp; bends." in html
    for left_out in (old, draft, scheduled):
        assert left_out.title not in text and left_out.title not in html
    digest = Digest.objects.get()
    assert digest.state == Digest.State.SENT
    assert set(digest.articles.all()) == {new, newer}
    assert Delivery.objects.count() == 2


def test_each_digest_carries_its_readers_own_unsubscribe_link_and_it_works(smtp, readers):
    ArticleFactory(publish_at=hours_ago(1))
    send_digest()
    ada, bob = (smtp.messages_to(a)[0] for a in readers)
    ada_link = link_to(text_and_html(ada)[0], "unsubscribe")
    assert ada_link != link_to(text_and_html(bob)[0], "unsubscribe")

    response = Client(enforce_csrf_checks=True).post(path_of(ada_link))

    assert response.status_code == 200
    assert Subscriber.objects.get(email="ada@example.com").status == Subscriber.Status.UNSUBSCRIBED
    assert Subscriber.objects.get(email="bob@example.com").status == Subscriber.Status.ACTIVE
    # Tomorrow's digest goes to Bob alone.
    ArticleFactory(publish_at=timezone.now())
    send_digest("--day", str(timezone.localdate() + datetime.timedelta(days=1)))
    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 2}


def test_no_new_articles_means_no_digest(smtp, readers):
    ArticleFactory(publish_at=hours_ago(30))

    output = send_digest()

    assert output.strip() == "No new articles since the last digest: nothing to send."
    assert Digest.objects.count() == 0
    assert len(smtp) == 0


def test_running_send_digest_twice_sends_nobody_anything_twice(smtp, readers):
    ArticleFactory(publish_at=hours_ago(1))
    send_digest()

    output = send_digest()

    assert "0 to send" in output
    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}
    assert Digest.objects.count() == 1 and Delivery.objects.count() == 2


def test_the_next_digest_carries_only_what_was_published_since_the_last_one(smtp, readers):
    first = ArticleFactory(title="Yesterday's News", publish_at=hours_ago(1))
    send_digest()
    second = ArticleFactory(title="Today's News", publish_at=timezone.now())

    send_digest("--day", str(timezone.localdate() + datetime.timedelta(days=1)))

    latest = smtp.messages_to("ada@example.com")[-1]
    text, _ = text_and_html(latest)
    assert second.title in text and first.title not in text
    assert Digest.objects.count() == 2 and Delivery.objects.count() == 4


def test_a_subscriber_added_after_the_digest_went_out_gets_it_on_the_next_run(smtp, readers):
    ArticleFactory(publish_at=hours_ago(1))
    send_digest()
    subscriber("late@example.com", Subscriber.Status.ACTIVE)

    send_digest()

    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1, "late@example.com": 1}


def test_with_the_mail_server_down_send_digest_stops_with_a_clear_error_and_a_later_run_sends_it(
    smtp, readers, settings, closed_port
):
    ArticleFactory(publish_at=hours_ago(1))
    server_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port

    with pytest.raises(CommandError, match=r"mail server failed after 0 messages.*Run send_digest again"):
        send_digest()
    assert Delivery.objects.count() == 0

    settings.EMAIL_PORT = server_port
    send_digest()
    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}
    assert Delivery.objects.count() == 2
    assert Digest.objects.get().state == Digest.State.SENT


def test_when_the_mail_server_fails_midway_only_delivered_messages_are_recorded_and_a_rerun_sends_the_rest(smtp):
    addresses = [f"reader{n:02}@example.com" for n in range(12)]
    for address in addresses:
        subscriber(address, Subscriber.Status.ACTIVE)
    ArticleFactory(publish_at=hours_ago(1))
    smtp.sink.refuse_after = 7

    with pytest.raises(CommandError, match="after 7 messages"):
        send_digest("--batch-size", "5")

    assert len(smtp) == 7
    assert set(Delivery.objects.values_list("subscriber__email", flat=True)) == set(smtp.recipient_counts())
    smtp.sink.refuse_after = None
    send_digest("--batch-size", "5")
    assert smtp.recipient_counts() == {address: 1 for address in addresses}
    assert Delivery.objects.count() == 12


def test_the_daily_task_builds_and_sends_the_digest_like_the_command(smtp, readers, immediate_tasks):
    ArticleFactory(publish_at=hours_ago(1))

    result = tasks.send_daily_digest.enqueue()

    assert result.return_value == 2
    assert smtp.recipient_counts() == {"ada@example.com": 1, "bob@example.com": 1}


def test_an_address_the_mail_server_refuses_does_not_stop_the_digest_for_everyone_after_it(smtp):
    addresses = [f"reader{n}@example.com" for n in range(5)]
    for address in addresses:
        subscriber(address, Subscriber.Status.ACTIVE)
    ArticleFactory(publish_at=hours_ago(1))
    smtp.sink.refuse_recipients = {
        "reader1@example.com": "550 5.1.1 No such user",
        "reader3@example.com": "452 4.2.2 Mailbox full",
    }

    output = send_digest("--batch-size", "2")

    assert smtp.recipient_counts() == {"reader0@example.com": 1, "reader2@example.com": 1, "reader4@example.com": 1}
    assert "Sent the digest to 3 subscribers" in output and "2 refused" in output
    assert set(Delivery.objects.values_list("subscriber__email", flat=True)) == set(smtp.recipient_counts())
    # The next run tries the refused ones again, and nobody else.
    smtp.sink.refuse_recipients = {}
    send_digest()
    assert smtp.recipient_counts() == {address: 1 for address in addresses}
