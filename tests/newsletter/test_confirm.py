"""Double opt-in: the confirmation email on the wire, its signed and expiring link, the
Confirm page that only a POST acts on, and the consent record it leaves."""

import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from newsletter import tokens
from newsletter.models import Subscriber
from tests.newsletter.helpers import forms_in, link_to, path_of, subscriber, text_and_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def confirmation_link(mail_server, address: str) -> str:
    (message,) = mail_server.messages_to(address)
    text, html = text_and_html(message)
    url = link_to(text, "confirm")
    assert f'href="{url}"' in html
    return url


def test_signup_sends_a_confirmation_email_with_a_signed_link_in_both_parts(signup, smtp, settings):
    signup("Reader@Example.com ")

    (message,) = smtp.messages
    assert message["To"] == "reader@example.com"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == "Confirm your subscription to WiseGeek"
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_and_html(message)
    url = link_to(text, "confirm")
    assert f'href="{url}"' in html
    token = path_of(url).split("/")[-2]
    assert tokens.subscriber_from_confirmation(token) == Subscriber.objects.get(email="reader@example.com")
    assert Subscriber.objects.get().confirmation_sent_at is not None


def test_opening_the_confirmation_link_shows_one_confirm_button_and_does_not_activate(signup, smtp):
    signup("reader@example.com")
    url = confirmation_link(smtp, "reader@example.com")

    response = Client().get(path_of(url))

    assert response.status_code == 200
    (form,) = [f for f in forms_in(response.content) if f["attrs"].get("method") == "post"]
    assert [b.get("type") for b in form["buttons"]] == ["submit"]
    assert "Confirm</button>" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_pressing_confirm_activates_and_keeps_the_consent_record(signup, smtp, settings):
    settings.NEWSLETTER_CONSENT_VERSION = "2026-11-test"
    signup("reader@example.com", source="article")
    path = path_of(confirmation_link(smtp, "reader@example.com"))
    browser = Client(enforce_csrf_checks=True)  # the page's own CSRF token must do
    (form,) = [f for f in forms_in(browser.get(path).content) if "csrfmiddlewaretoken" in f["fields"]]

    response = browser.post(path, form["fields"], REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    s = Subscriber.objects.get()
    assert s.status == Subscriber.Status.ACTIVE
    assert s.confirmed_at is not None and s.consent_at is not None
    assert s.consent_ip == "198.51.100.23"
    assert s.consent_text_version == "2026-11-test"
    assert s.signup_form == "article"


def test_an_expired_confirmation_link_shows_a_400_page_offering_a_new_one(client, settings):
    pending = subscriber("late@example.com", Subscriber.Status.PENDING)
    settings.NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 3600
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch.object(signing.time, "time", return_value=eight_days_ago):
        token = tokens.confirmation_token(pending)
    path = f"/newsletter/confirm/{token}/"

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        html = response.content.decode()
        assert "This confirmation link has expired" in html
        (resend,) = [f for f in forms_in(html) if f["attrs"].get("action") == "/newsletter/"]
        assert "email" in resend["fields"]
        assert "Send a new link</button>" in html
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_a_link_with_a_max_age_of_zero_has_expired_at_once(client, settings):
    pending = subscriber("late@example.com", Subscriber.Status.PENDING)
    settings.NEWSLETTER_CONFIRM_MAX_AGE = 0
    with mock.patch.object(signing.time, "time", return_value=time.time() - 1):
        token = tokens.confirmation_token(pending)

    response = client.get(f"/newsletter/confirm/{token}/")

    assert response.status_code == 400
    assert "has expired" in response.content.decode()


def _tampered(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize("make_token", [
    pytest.param(lambda s: _tampered(tokens.confirmation_token(s)), id="signature changed"),
    pytest.param(lambda s: tokens.confirmation_token(s).replace("e", "f", 1), id="payload changed"),
    pytest.param(lambda s: tokens.confirmation_token(s)[:20], id="cut short"),
    pytest.param(lambda s: tokens.unsubscribe_token(s), id="an unsubscribe token"),
    pytest.param(lambda s: signing.dumps({"e": s.email}, salt="another.salt"), id="another salt"),
    pytest.param(lambda s: signing.dumps({"e": s.email}, key="not-our-secret-key", salt=tokens.CONFIRM_SALT),
                 id="another key"),
    pytest.param(lambda s: "%00%0d%0aSet-Cookie:x=y", id="control characters"),
    pytest.param(lambda s: "é" * 300, id="long non-ascii"),
])
def test_a_tampered_confirmation_link_shows_a_400_page_offering_a_new_one_never_a_500(client, make_token):
    pending = subscriber("reader@example.com", Subscriber.Status.PENDING)
    path = f"/newsletter/confirm/{make_token(pending)}/"

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        html = response.content.decode()
        assert "This confirmation link does not work" in html
        assert any(f["attrs"].get("action") == "/newsletter/" for f in forms_in(html))
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def h1_of(response) -> str:
    (heading,) = re.findall(r"<h1>(.*?)</h1>", response.content.decode())
    return heading


CONSENT_RECORD = ["status", "confirmed_at", "consent_at", "consent_ip", "consent_text_version", "unsubscribed_at"]


def consent_record() -> dict:
    return Subscriber.objects.values(*CONSENT_RECORD).get()


def test_a_confirmation_link_used_again_says_you_are_already_subscribed_and_changes_nothing(signup, smtp, settings):
    signup("reader@example.com")
    path = path_of(confirmation_link(smtp, "reader@example.com"))
    Client().post(path, REMOTE_ADDR="198.51.100.23")
    first = consent_record()
    settings.NEWSLETTER_CONSENT_VERSION = "a-later-version"

    for response in (Client().get(path), Client().post(path, REMOTE_ADDR="203.0.113.99")):
        assert response.status_code == 200
        assert h1_of(response) == "You are already subscribed"
        html = response.content.decode()
        assert "reader@example.com" in html
        assert '<a href="/">Back to the latest articles</a>' in html
        assert not [f for f in forms_in(html) if "csrfmiddlewaretoken" in f["fields"]], "no Confirm button"
    assert consent_record() == first
    assert first["status"] == Subscriber.Status.ACTIVE and first["consent_ip"] == "198.51.100.23"
    assert len(smtp.messages) == 1, "nothing more was sent"


def test_pressing_confirm_on_a_page_opened_before_confirming_in_another_tab_says_already_subscribed(signup, smtp):
    signup("reader@example.com")
    path = path_of(confirmation_link(smtp, "reader@example.com"))
    first_tab, second_tab = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_form, second_form = (
        next(f for f in forms_in(tab.get(path).content) if "csrfmiddlewaretoken" in f["fields"])
        for tab in (first_tab, second_tab)
    )
    assert h1_of(second_tab.post(path, second_form["fields"], REMOTE_ADDR="198.51.100.23")) == "You are subscribed"
    confirmed = consent_record()

    response = first_tab.post(path, first_form["fields"], REMOTE_ADDR="203.0.113.99")

    assert response.status_code == 200
    assert h1_of(response) == "You are already subscribed"
    assert consent_record() == confirmed


def test_an_old_confirmation_link_does_not_resubscribe_a_reader_who_unsubscribed(signup, smtp):
    signup("reader@example.com")
    path = path_of(confirmation_link(smtp, "reader@example.com"))
    Client().post(path)
    Client().post(path_of(link_to(text_and_html(smtp.messages[0])[0], "unsubscribe")))
    left = consent_record()
    assert left["status"] == Subscriber.Status.UNSUBSCRIBED

    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert h1_of(response) == "You have unsubscribed"
        html = response.content.decode()
        assert "does not subscribe it again" in html
        (resend,) = [f for f in forms_in(html) if f["attrs"].get("action") == "/newsletter/"]
        assert resend["fields"]["email"] == "reader@example.com", "the form to come back is filled in"
    assert consent_record() == left
    assert len(smtp.messages) == 1, "no confirmation email either: coming back is the reader's own signup"


def test_a_confirmation_link_for_an_address_that_was_deleted_says_so_and_subscribes_nobody(client):
    gone = subscriber("gone@example.com", Subscriber.Status.PENDING)
    token = tokens.confirmation_token(gone)
    gone.delete()

    for response in (client.get(f"/newsletter/confirm/{token}/"), client.post(f"/newsletter/confirm/{token}/")):
        assert response.status_code == 400
        assert h1_of(response) == "This confirmation link no longer works"
        assert "no longer on our list" in response.content.decode()
        assert any(f["attrs"].get("action") == "/newsletter/" for f in forms_in(response.content))
    assert not Subscriber.objects.exists()


def test_a_bounced_address_cannot_be_confirmed(client):
    bounced = subscriber("bounced@example.com", Subscriber.Status.BOUNCED)

    assert client.post(f"/newsletter/confirm/{tokens.confirmation_token(bounced)}/").status_code == 400
    bounced.refresh_from_db()
    assert bounced.status == Subscriber.Status.BOUNCED


def test_subscribing_again_after_unsubscribing_needs_a_new_double_opt_in(signup, smtp):
    signup("reader@example.com")
    Client().post(path_of(confirmation_link(smtp, "reader@example.com")))
    (first,) = smtp.messages
    Client().post(path_of(link_to(text_and_html(first)[0], "unsubscribe")))
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    signup("reader@example.com")

    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert len(smtp.messages_to("reader@example.com")) == 2, "no new confirmation email"
    second = smtp.messages[1]
    Client().post(path_of(link_to(text_and_html(second)[0], "confirm")))
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_signing_up_again_while_active_sends_nothing_and_changes_nothing(signup, smtp):
    active = subscriber("reader@example.com", Subscriber.Status.ACTIVE, consent_text_version="v1")

    signup("reader@example.com")

    assert len(smtp) == 0
    active.refresh_from_db()
    assert (active.status, active.consent_text_version) == (Subscriber.Status.ACTIVE, "v1")


def test_an_address_at_an_internationalised_domain_gets_its_confirmation_email(signup, smtp):
    response = signup("Leser@Bücher.example")

    assert response.redirect_chain == [("/newsletter/check-your-inbox/", 302)]
    assert Subscriber.objects.get().email == "leser@bücher.example"
    assert smtp.recipient_counts() == {"leser@xn--bcher-kva.example": 1}
    Client().post(path_of(link_to(text_and_html(smtp.messages[0])[0], "confirm")))
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_the_form_on_the_expired_link_page_sends_a_new_link_that_works(client, smtp, settings,
                                                                       django_capture_on_commit_callbacks):
    pending = subscriber("late@example.com", Subscriber.Status.PENDING)
    with mock.patch.object(signing.time, "time", return_value=time.time() - 8 * 24 * 3600):
        expired = f"/newsletter/confirm/{tokens.confirmation_token(pending)}/"
    (resend,) = [f for f in forms_in(client.get(expired).content) if f["attrs"].get("action") == "/newsletter/"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend["attrs"]["action"], {**resend["fields"], "email": "late@example.com"},
                               follow=True)

    assert response.redirect_chain == [("/newsletter/check-your-inbox/", 302)]
    fresh = path_of(confirmation_link(smtp, "late@example.com"))
    assert fresh != expired
    assert Client().post(fresh).status_code == 200
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.ACTIVE
