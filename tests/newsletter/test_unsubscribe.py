"""Leaving with one click: the personal link and the List-Unsubscribe headers of every
newsletter email, RFC 8058 one-click POSTs without login or CSRF token, and a GET that
only asks."""

import datetime
import io

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter import tokens
from newsletter.models import Subscriber
from tests.factories import ArticleFactory
from tests.newsletter.helpers import (
    forms_in, header, link_to, list_unsubscribe_urls, path_of, subscriber, text_and_html,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def received_confirmation(signup, mail_server, address):
    signup(address)
    (message,) = mail_server.messages_to(address)
    return message


def received_digest(mail_server, address):
    subscriber(address, Subscriber.Status.ACTIVE)
    ArticleFactory(publish_at=timezone.now() - datetime.timedelta(hours=1))
    call_command("send_digest", stdout=io.StringIO(), stderr=io.StringIO())
    (message,) = mail_server.messages_to(address)
    return message


@pytest.fixture(params=["confirmation", "digest"])
def newsletter_email(request, signup, smtp):
    """A newsletter email as received by reader@example.com, of each kind."""
    if request.param == "confirmation":
        return received_confirmation(signup, smtp, "reader@example.com")
    return received_digest(smtp, "reader@example.com")


def test_every_newsletter_email_carries_a_personal_unsubscribe_link_and_list_unsubscribe_headers(
    newsletter_email, settings
):
    reader = Subscriber.objects.get(email="reader@example.com")
    text, html = text_and_html(newsletter_email)
    # The token carries the second it was signed, so it is read from the email, not made
    # again here; what matters is that it is the reader's and the same everywhere.
    expected = link_to(text, "unsubscribe")
    token = path_of(expected).split("/")[-2]
    assert expected == "http://localhost:8000" + reverse("newsletter:unsubscribe", args=[token])
    assert f'href="{expected}"' in html
    web, mailto = list_unsubscribe_urls(newsletter_email)
    assert web == expected
    assert mailto.startswith(f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe")
    assert header(newsletter_email, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert tokens.subscriber_from_unsubscribe(path_of(expected).split("/")[-2]) == reader


def test_the_list_unsubscribe_url_is_on_site_url(signup, smtp, settings):
    settings.SITE_URL = "https://www.example.com"

    message = received_confirmation(signup, smtp, "reader@example.com")

    assert list_unsubscribe_urls(message)[0].startswith("https://www.example.com/newsletter/unsubscribe/")
    assert link_to(text_and_html(message)[0], "unsubscribe").startswith("https://")


def test_a_one_click_post_to_the_link_unsubscribes_at_once_without_login_or_csrf_token(newsletter_email):
    url = list_unsubscribe_urls(newsletter_email)[0]
    mail_provider = Client(enforce_csrf_checks=True)

    # RFC 8058: the provider POSTs "List-Unsubscribe=One-Click" to the URL, nothing else.
    response = mail_provider.post(path_of(url), "List-Unsubscribe=One-Click",
                                  content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    reader = Subscriber.objects.get(email="reader@example.com")
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert reader.unsubscribed_at is not None


def test_opening_the_unsubscribe_link_shows_one_button_and_does_not_unsubscribe(newsletter_email):
    status_before = Subscriber.objects.get(email="reader@example.com").status
    url = link_to(text_and_html(newsletter_email)[0], "unsubscribe")

    response = Client().get(path_of(url))

    assert response.status_code == 200
    (form,) = [f for f in forms_in(response.content) if f["attrs"].get("method") == "post"]
    assert [b.get("type") for b in form["buttons"]] == ["submit"]
    assert "Unsubscribe</button>" in response.content.decode()
    assert Subscriber.objects.get(email="reader@example.com").status == status_before


def test_pressing_the_button_on_the_unsubscribe_page_unsubscribes(newsletter_email):
    path = path_of(link_to(text_and_html(newsletter_email)[0], "unsubscribe"))
    browser = Client(enforce_csrf_checks=True)
    (form,) = [f for f in forms_in(browser.get(path).content) if f["attrs"].get("method") == "post"]

    response = browser.post(form["attrs"].get("action") or path, form["fields"])

    assert response.status_code == 200
    assert Subscriber.objects.get(email="reader@example.com").status == Subscriber.Status.UNSUBSCRIBED


def test_an_unsubscribe_link_unsubscribes_only_its_own_reader(smtp):
    subscriber("other@example.com", Subscriber.Status.ACTIVE)
    message = received_digest(smtp, "reader@example.com")

    Client().post(path_of(link_to(text_and_html(message)[0], "unsubscribe")))

    assert dict(Subscriber.objects.values_list("email", "status")) == {
        "reader@example.com": "unsubscribed", "other@example.com": "active",
    }


def test_the_unsubscribe_link_names_a_random_key_not_the_sequential_id(client):
    first = subscriber("first@example.com", Subscriber.Status.ACTIVE)
    second = subscriber("second@example.com", Subscriber.Status.ACTIVE)
    payloads = [signing.loads(tokens.unsubscribe_token(s), salt=tokens.UNSUBSCRIBE_SALT) for s in (first, second)]
    assert [set(p) for p in payloads] == [{"k"}, {"k"}]
    keys = [p["k"] for p in payloads]
    assert keys[0] != keys[1] and len(keys[0]) >= 32
    assert tokens.subscriber_from_unsubscribe(tokens.unsubscribe_token(second)) == second


def test_links_sent_before_keys_still_unsubscribe(client):
    reader = subscriber("reader@example.com", Subscriber.Status.ACTIVE)
    old_link = reverse("newsletter:unsubscribe", args=[signing.dumps(reader.pk, salt=tokens.UNSUBSCRIBE_SALT)])
    assert client.post(old_link).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_is_harmless(client):
    reader = subscriber("reader@example.com", Subscriber.Status.ACTIVE)
    path = reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(reader)])

    assert client.post(path).status_code == 200
    first = Subscriber.objects.get().unsubscribed_at
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at == first


@pytest.mark.parametrize("make_token", [
    pytest.param(lambda s: "not-a-token", id="garbage"),
    pytest.param(lambda s: "%00%0d%0a", id="control characters"),
    pytest.param(lambda s: "x" * 5000, id="huge"),
    pytest.param(lambda s: tokens.unsubscribe_token(s)[:-2] + "AA", id="signature changed"),
    pytest.param(lambda s: signing.dumps(s.pk + 1000, salt=tokens.UNSUBSCRIBE_SALT), id="nobody's"),
    pytest.param(lambda s: signing.dumps([s.pk], salt=tokens.UNSUBSCRIBE_SALT), id="not a number"),
    pytest.param(lambda s: signing.dumps(s.pk, salt=tokens.CONFIRM_SALT), id="another salt"),
    pytest.param(lambda s: signing.dumps({"k": "guessed-key"}, salt=tokens.UNSUBSCRIBE_SALT), id="unknown key"),
    pytest.param(lambda s: signing.dumps({"k": 1}, salt=tokens.UNSUBSCRIBE_SALT), id="key not text"),
    pytest.param(lambda s: signing.dumps(True, salt=tokens.UNSUBSCRIBE_SALT), id="a boolean"),
])
def test_a_broken_unsubscribe_link_is_a_400_page_never_a_500(client, make_token):
    reader = subscriber("reader@example.com", Subscriber.Status.ACTIVE)
    path = f"/newsletter/unsubscribe/{make_token(reader)}/"

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_a_confirmation_token_does_not_unsubscribe(client):
    reader = subscriber("reader@example.com", Subscriber.Status.ACTIVE)

    response = client.post(f"/newsletter/unsubscribe/{tokens.confirmation_token(reader)}/")

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_a_bounced_reader_stays_bounced_when_they_unsubscribe(client):
    bounced = subscriber("reader@example.com", Subscriber.Status.BOUNCED)

    client.post(reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(bounced)]))

    bounced.refresh_from_db()
    assert bounced.status == Subscriber.Status.BOUNCED
