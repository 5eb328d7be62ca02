"""Signing up: one answer for every address, plain HTML forms, and what robots and
attackers meet (rate limits, the honeypot, strict address validation)."""

import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from newsletter.models import Subscriber
from newsletter.tasks import signup_follow_up
from tests.newsletter.helpers import forms_in, subscriber

pytestmark = pytest.mark.django_db

CHECK_INBOX = "/newsletter/check-your-inbox/"
ARTICLE = "/what-is-the-connection-between-sciatica-and-back-pain.htm"


@pytest.mark.parametrize(
    "page, sources",
    [(ARTICLE, {"article"}), ("/", {"home"}), ("/newsletter/", {"newsletter-page"}),
     ("/about/", {"footer"})],
)
def test_signup_forms_on_the_site_post_to_newsletter_and_work_without_javascript(client, article, page, sources):
    html = client.get(page).content
    signup_forms = [f for f in forms_in(html) if f["attrs"].get("action") == "/newsletter/"]
    assert reverse("newsletter:signup") == "/newsletter/"
    assert {f["fields"].get("source") for f in signup_forms} == sources

    for n, form in enumerate(signup_forms):
        assert form["attrs"]["method"] == "post"
        assert "email" in form["fields"] and "website" in form["fields"]
        assert [b.get("type") for b in form["buttons"]] == ["submit"]
        address = f"reader{n}@example.com"
        # What a browser sends: every field of the form, the reader's address typed in.
        response = client.post("/newsletter/", {**form["fields"], "email": address})
        assert (response.status_code, response["Location"]) == (302, CHECK_INBOX)
        assert Subscriber.objects.get(email=address).signup_form == form["fields"]["source"]


def test_signup_answers_the_same_page_whether_the_address_is_new_pending_active_or_unsubscribed(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    subscriber("pending@example.com", Subscriber.Status.PENDING)
    subscriber("active@example.com", Subscriber.Status.ACTIVE)
    subscriber("left@example.com", Subscriber.Status.UNSUBSCRIBED)
    subscriber("bounced@example.com", Subscriber.Status.BOUNCED)

    answers = {}
    for address in ["new@example.com", "pending@example.com", "active@example.com", "left@example.com",
                    "bounced@example.com"]:
        with django_capture_on_commit_callbacks(execute=True):  # the follow-up task runs
            response = client.post("/newsletter/", {"email": address}, follow=True)
        assert response.redirect_chain == [(CHECK_INBOX, 302)]
        assert response.status_code == 200
        answers[address] = response.content

    assert len(set(answers.values())) == 1, "the answer reveals whether an address subscribes"
    assert "<h1>Check your inbox to confirm</h1>" in answers["new@example.com"].decode()
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses == {
        "new@example.com": "pending", "pending@example.com": "pending", "active@example.com": "active",
        "left@example.com": "pending", "bounced@example.com": "bounced",
    }


def test_one_address_in_any_case_and_with_spaces_is_one_subscriber(client):
    for typed in ["Reader@Example.COM", "  reader@example.com ", "READER@EXAMPLE.COM\t"]:
        assert client.post("/newsletter/", {"email": typed}).status_code == 302

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["reader@example.com"]


def test_signup_records_where_the_reader_signed_up_and_ignores_unknown_form_names(client):
    client.post("/newsletter/", {"email": "a@example.com", "source": "article"})
    client.post("/newsletter/", {"email": "b@example.com", "source": "<script>" + "x" * 500})

    assert Subscriber.objects.get(email="a@example.com").signup_form == "article"
    assert Subscriber.objects.get(email="b@example.com").signup_form == "newsletter-page"


def test_a_filled_honeypot_gets_the_same_answer_and_nothing_is_stored_or_sent(signup, smtp, immediate_tasks):
    human = signup("human@example.com")
    robot = signup("robot@example.com", website="https://spam.example")

    assert robot.redirect_chain == [(CHECK_INBOX, 302)]
    assert robot.content == human.content
    assert not Subscriber.objects.filter(email="robot@example.com").exists()
    assert [m["To"] for m in smtp.messages] == ["human@example.com"]


HOSTILE_ADDRESSES = {
    "bcc header injection": "a@b.example\r\nBcc: x@y.example",
    "subject header injection": "a@b.example\nSubject: hi",
    "bare carriage return": "a@b.example\rBcc: x@y.example",
    "NUL": "a@b.example\x00",
    "NUL inside": "a\x00b@c.example",
    "two addresses with a comma": "a@b.example,c@d.example",
    "two addresses with a semicolon": "a@b.example;c@d.example",
    "angle brackets": "<a@b.example>",
    "display name": "Reader <a@b.example>",
    "line separator in the domain": "a@b\u2028c.example",
    "paragraph separator in the domain": "a@b\u2029c.example",
    "ideographic space in the domain": "a@b\u3000c.example",
    "zero-width space in the domain": "a@b\u200bc.example",
    "right-to-left override in the domain": "a@b\u202ec.example",
    "next line (NEL)": "a@b.example\x85Bcc: x@y.example",
    "300 characters": "a" * 289 + "@b.example",
    "no domain": "a@",
    "not an address": "hello",
    "empty": "",
    "this machine": "victim@localhost",
    "an address literal": "victim@[127.0.0.1]",
    "an IPv6 address literal": "victim@[IPv6:::1]",
    "a bare IP address": "victim@127.0.0.1",
    "a name without a dot": "victim@intranet",
    "a local network name": "victim@printer.local",
    "an internal name": "victim@db.internal",
    "a home network name": "victim@nas.home.arpa",
    "localhost with a trailing dot": "victim@localhost.",
    "a numeric top-level name": "victim@10.0.0.300",
}


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES.values(), ids=HOSTILE_ADDRESSES.keys())
def test_hostile_addresses_are_refused_with_400_and_a_message_and_nothing_is_stored_or_sent(
    signup, smtp, immediate_tasks, address
):
    response = signup(address)

    assert response.status_code == 400
    assert response.redirect_chain == []
    html = response.content.decode()
    assert 'class="field__error"' in html and 'aria-invalid="true"' in html
    assert Subscriber.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert len(smtp) == 0


@pytest.mark.parametrize("address", ["reader@example.com", "reader@mail.example.co.uk", "reader@bücher.example",
                                     "reader@xn--bcher-kva.example", "reader@localhost-news.example",
                                     "reader@local.example"])
def test_addresses_on_public_domains_are_accepted(client, address):
    assert client.post("/newsletter/", {"email": address}).status_code == 302


def sql_shapes(queries) -> list[str]:
    """The statements a request ran, with every value taken out."""
    import re

    return [re.sub(r"'[^']*'|\b\d+(\.\d+)?\b|\"s\d+_x\d+\"", "?", q["sql"]) for q in queries]


def test_a_signup_request_does_the_same_work_whoever_the_address_is(client, settings):
    """What makes the answer slower for one address than another (reading it, deciding,
    writing) happens in the follow-up task, not while the reader waits."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The per-network count is the same work for every address, but where it is kept
    # (Redis, or the database while Redis is away) is not this test's business.
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 0

    subscriber("pending@example.com", Subscriber.Status.PENDING)
    subscriber("active@example.com", Subscriber.Status.ACTIVE)
    subscriber("left@example.com", Subscriber.Status.UNSUBSCRIBED)
    shapes = {}
    for n, address in enumerate(["new@example.com", "pending@example.com", "active@example.com", "left@example.com"]):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/newsletter/", {"email": address}, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 302
        shapes[address] = sql_shapes(queries.captured_queries)
    assert len({tuple(shape) for shape in shapes.values()}) == 1, shapes
    assert not any("newsletter_subscriber" in q and q.lstrip().upper().startswith("SELECT")
                   for q in shapes["new@example.com"]), "the request looked the address up"


def test_a_refused_address_is_shown_back_escaped(client):
    response = client.post("/newsletter/", {"email": '"><script>alert(1)</script>@x.example'})

    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@x.example"' in html


def test_a_huge_signup_request_is_refused_with_413_not_500(client):
    response = client.post("/newsletter/", {"email": "a" * 3_000_000 + "@example.com"})

    assert response.status_code == 413  # refused from its Content-Length, before it is read
    assert Subscriber.objects.count() == 0


def test_signups_from_one_ip_address_beyond_the_hourly_limit_get_429_and_are_not_stored(client, settings):
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 3
    for n in range(3):
        assert client.post("/newsletter/", {"email": f"r{n}@example.com"}, REMOTE_ADDR="203.0.113.7").status_code == 302

    response = client.post("/newsletter/", {"email": "r3@example.com"}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert "Too many signups from your network" in response.content.decode()
    assert not Subscriber.objects.filter(email="r3@example.com").exists()
    assert Subscriber.objects.count() == 3
    # Another network is not held up.
    assert client.post("/newsletter/", {"email": "r4@example.com"}, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_the_fourth_signup_of_one_address_in_a_day_sends_no_email_but_answers_the_same(
    signup, smtp, immediate_tasks, settings
):
    settings.NEWSLETTER_EMAIL_RATE_LIMIT = 3
    # From four networks, so only the per-address limit can stop the fourth email.
    answers = [signup("target@example.com", REMOTE_ADDR=f"192.0.2.{n}").content for n in range(1, 5)]

    assert len(set(answers)) == 1
    assert [m["To"] for m in smtp.messages] == ["target@example.com"] * 3
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_fourth_signup_of_one_address_in_a_day_queues_no_fourth_confirmation_task(
    signup, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_EMAIL_RATE_LIMIT = 3
    for n in range(1, 5):
        signup("target@example.com", REMOTE_ADDR=f"192.0.2.{n}")
    # Each request queued the same work, whoever the address is; the follow-ups decide.
    assert DBTaskResult.objects.filter(task_path="newsletter.tasks.signup_follow_up").count() == 4
    assert not DBTaskResult.objects.filter(task_path="newsletter.tasks.send_confirmation").exists()

    for follow_up in DBTaskResult.objects.filter(task_path="newsletter.tasks.signup_follow_up"):
        with django_capture_on_commit_callbacks(execute=True):
            signup_follow_up.call(**follow_up.args_kwargs["kwargs"])
    assert DBTaskResult.objects.filter(task_path="newsletter.tasks.send_confirmation").count() == 3


def test_signup_works_without_a_csrf_token():
    """Signup forms live on cached pages without a CSRF cookie; the view is exempt on purpose."""
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/newsletter/", urllib.parse.urlencode({"email": "nojs@example.com"}),
                           content_type="application/x-www-form-urlencoded")

    assert (response.status_code, response["Location"]) == (302, CHECK_INBOX)
    assert Subscriber.objects.filter(email="nojs@example.com").exists()
