"""Headers of the newsletter's emails as the mail server receives them: the Date in the
site's time zone, and the digest's List-Id built from SITE_URL's domain."""

import datetime

import pytest

from tests.factories import ArticleFactory
from tests.newsletter.helpers import hours_ago, send_digest, subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

# No daylight saving time: the offset is the same on every day the suite runs.
KOLKATA = datetime.timedelta(hours=5, minutes=30)


@pytest.fixture
def in_kolkata(settings):
    settings.TIME_ZONE = "Asia/Kolkata"


def test_a_confirmation_email_is_dated_in_the_sites_time_zone(in_kolkata, signup, smtp):
    signup("reader@example.com")

    (message,) = smtp.messages
    assert message["Date"].endswith("+0530")
    assert message["Date"].datetime.utcoffset() == KOLKATA


def test_a_digest_is_dated_in_the_sites_time_zone_and_names_its_list(in_kolkata, smtp, settings):
    settings.SITE_URL = "https://www.example.com"
    for address in ("ada@example.com", "bob@example.com"):
        subscriber(address)
    ArticleFactory(publish_at=hours_ago(1))

    send_digest()

    assert len(smtp.messages) == 2
    for message in smtp.messages:
        assert message["Date"].endswith("+0530")
        assert message["Date"].datetime.utcoffset() == KOLKATA
        assert message["List-Id"] == "WiseGeek <digest.www.example.com>"
        assert message["List-Unsubscribe"], "List-Id is added beside the unsubscribe headers, not instead"


@pytest.mark.parametrize("site_url, site_name, list_id", [
    ("https://News.Example.org:8443/", "WiseGeek", "WiseGeek <digest.news.example.org>"),
    ("http://127.0.0.1:8000", "WiseGeek", "WiseGeek <digest.localhost>"),
    ("http://[::1]:8000", "WiseGeek", "WiseGeek <digest.localhost>"),
    ("https://bücher.example", "WiseGeek", "WiseGeek <digest.xn--bcher-kva.example>"),
    ("https://www.example.com", "Wise, Geek", '"Wise, Geek" <digest.www.example.com>'),
    ("https://www.example.com", "Wißgeek\nBcc: x@example.com", "Wißgeek Bcc: x@example.com <digest.www.example.com>"),
])
def test_the_digest_list_id_is_a_valid_header_whatever_the_site_is_called_and_wherever_it_lives(
        smtp, settings, site_url, site_name, list_id):
    settings.SITE_URL, settings.SITE_NAME = site_url, site_name
    subscriber("ada@example.com")
    ArticleFactory(publish_at=hours_ago(1))

    send_digest()

    (message,) = smtp.messages
    assert message["List-Id"] == list_id
    assert message["Bcc"] is None
    assert smtp.recipient_counts() == {"ada@example.com": 1}
