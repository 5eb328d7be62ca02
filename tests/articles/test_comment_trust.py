"""Moderation that cannot be borrowed, and forms that send one comment each.

Typing an address never skips moderation. Editors trust an address; its writer proves it
is theirs by following the link we email to it, and from then on their browser is
recognised. A form token carries a one-time number: one token, one comment.
"""

import re
import time

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles import commenters
from articles.forms import TOKEN_SALT
from articles.models import Comment, TrustedCommenter
from tests.articles import test_comments
from tests.articles.test_comments import approved, token_for
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/comments/publish/[^/\s]+/")


@pytest.fixture(autouse=True)
def comment_settings(settings):
    settings.COMMENT_MIN_SECONDS = 3
    settings.COMMENT_RATE_LIMIT = 50
    settings.COMMENT_NOTIFY_EMAILS = []
    settings.COMMENT_PUBLISH_LINKS_PER_DAY = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def queued_work_runs(django_capture_on_commit_callbacks):
    """Tasks queued after a commit (the emails) run when the test's request ends, as they
    would after a real request's transaction."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def post(client, article, **fields):
    with _capture(execute=True):
        return test_comments.post(client, article, **fields)


def staff(username: str) -> User:
    return User.objects.create_user(username, password="a-long-password-1", is_staff=True)


@pytest.fixture
def regular(article):
    """Sam, whose earlier comment was approved and whose address editors trust."""
    approved(article, name="Sam", email="sam@example.com", body="An earlier comment")
    return TrustedCommenter.objects.create(email="Sam@Example.com")


def publish_links(mail_server, address):
    return [LINK.search(m.get_body(("plain",)).get_content())[0] for m in mail_server.messages_to(address)]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# --- Trust is proved, not typed ---------------------------------------------------------

def test_a_stranger_typing_a_trusted_address_waits_for_moderation_and_the_owner_is_asked(
        client, article, regular, smtp):
    response = post(client, article, email="SAM@example.com", body="Buy pills at https://spam.example")
    comment = Comment.objects.get(body__startswith="Buy pills")
    assert comment.status == Comment.Status.PENDING
    assert "Buy pills" not in Client().get(article.get_absolute_url()).content.decode()
    assert response.status_code == 302

    [message] = smtp.messages_to("SAM@example.com")
    assert "Publish your comment" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Buy pills" in text and "If it was not you, ignore this email" in text


def test_an_untrusted_address_gets_no_email_at_all(client, article, smtp):
    approved(article, email="ann@example.com")  # approved once, but nobody trusted her address
    post(client, article, email="ann@example.com", body="Hello again")
    assert Comment.objects.get(body="Hello again").status == Comment.Status.PENDING
    assert len(smtp) == 0


def test_following_the_link_publishes_the_comment_and_recognises_that_browser_afterwards(
        client, article, regular, smtp):
    post(client, article, email="sam@example.com", body="Proof by mail")
    [link] = publish_links(smtp, "sam@example.com")
    comment = Comment.objects.get(body="Proof by mail")

    # Opening the link (as a mail scanner would) changes nothing.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Publish my comment" in page.content.decode() and "Proof by mail" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    response = client.post(path_of(link))
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Proof by mail" in Client().get(article.get_absolute_url()).content.decode()
    cookie = response.cookies[commenters.proof_cookie_name()]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"

    # This browser's next comment appears at once, and asks for no link.
    post(client, article, email="Sam@example.com", body="Straight through")
    assert Comment.objects.get(body="Straight through").status == Comment.Status.APPROVED
    assert len(smtp.messages_to("sam@example.com")) == 1
    # Another browser typing the same address still waits.
    post(Client(), article, email="sam@example.com", body="From elsewhere")
    assert Comment.objects.get(body="From elsewhere").status == Comment.Status.PENDING


def test_a_recognised_browser_does_not_vouch_for_another_trusted_address(client, article, regular, smtp):
    TrustedCommenter.objects.create(email="kim@example.com")
    post(client, article, email="sam@example.com", body="Sam proves it")
    [link] = publish_links(smtp, "sam@example.com")
    client.post(path_of(link))
    post(client, article, email="kim@example.com", body="Posing as Kim")
    assert Comment.objects.get(body="Posing as Kim").status == Comment.Status.PENDING


def test_a_cookie_we_did_not_sign_is_ignored(client, article, regular, smtp):
    client.cookies[commenters.proof_cookie_name()] = "sam@example.com"
    post(client, article, email="sam@example.com", body="Forged cookie")
    assert Comment.objects.get(body="Forged cookie").status == Comment.Status.PENDING


def test_an_address_no_longer_trusted_waits_even_in_a_recognised_browser(client, article, regular, smtp):
    post(client, article, email="sam@example.com", body="First")
    [link] = publish_links(smtp, "sam@example.com")
    client.post(path_of(link))
    regular.delete()
    post(client, article, email="sam@example.com", body="After trust was withdrawn")
    assert Comment.objects.get(body="After trust was withdrawn").status == Comment.Status.PENDING


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="tampered"),
    pytest.param(lambda token: signing.dumps({"c": 1, "e": "sam@example.com"}, salt="another"), id="other salt"),
])
def test_a_link_we_did_not_sign_publishes_nothing(client, article, regular, smtp, spoil):
    post(client, article, email="sam@example.com", body="Waiting")
    [link] = publish_links(smtp, "sam@example.com")
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("articles:comment_publish", args=[spoil(token)]))
    assert response.status_code == 400 and "This link does not work" in response.content.decode()
    assert Comment.objects.get(body="Waiting").status == Comment.Status.PENDING
    assert commenters.proof_cookie_name() not in response.cookies


def test_a_link_for_one_comment_cannot_publish_another(client, article, regular, smtp):
    post(client, article, email="sam@example.com", body="Mine")
    other = approved(article, email="eve@example.com", body="Eve's", status=Comment.Status.PENDING)
    token = signing.dumps({"c": other.pk, "e": "sam@example.com"}, salt=commenters.LINK_SALT)
    assert client.post(reverse("articles:comment_publish", args=[token])).status_code == 400
    other.refresh_from_db()
    assert other.status == Comment.Status.PENDING


def test_an_expired_link_or_one_for_a_moderated_comment_publishes_nothing(client, article, regular, smtp, settings):
    post(client, article, email="sam@example.com", body="Marked as spam meanwhile")
    post(client, article, email="sam@example.com", body="Too late")
    spam_link, late_link = publish_links(smtp, "sam@example.com")
    Comment.objects.filter(body="Marked as spam meanwhile").update(status=Comment.Status.SPAM)
    assert client.post(path_of(spam_link)).status_code == 400
    assert Comment.objects.get(body="Marked as spam meanwhile").status == Comment.Status.SPAM

    settings.COMMENT_PUBLISH_LINK_MAX_AGE = -1  # every link is older than that
    assert client.post(path_of(late_link)).status_code == 400
    assert Comment.objects.get(body="Too late").status == Comment.Status.PENDING


def test_a_stranger_cannot_fill_a_regulars_inbox(client, article, regular, smtp):
    for n in range(6):
        post(client, article, email="sam@example.com", body=f"Spam {n}")
    assert Comment.objects.filter(body__startswith="Spam").count() == 6
    assert len(smtp.messages_to("sam@example.com")) == 3


def test_staff_signed_in_to_the_site_are_published_at_once(client, article):
    client.force_login(staff("editor"))
    post(client, article, email="editor@example.com", body="From the editors")
    assert Comment.objects.get(body="From the editors").status == Comment.Status.APPROVED


def test_editors_trust_commenters_from_the_moderation_queue_and_writers_cannot(client, article):
    first = approved(article, email="Lee@Example.com", body="Good point")
    second = approved(article, email="lee@example.com", body="Another good point")
    editor = staff("editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    changelist = reverse("admin:articles_comment_changelist")
    response = client.post(changelist, {"action": "trust_commenters", "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 302
    trusted = TrustedCommenter.objects.get()
    assert trusted.email == "lee@example.com" and trusted.added_by == editor

    writer = staff("writer")
    writer.groups.add(Group.objects.get(name="Writers"))
    writer.user_permissions.add(Permission.objects.get(codename="change_comment"))
    client.force_login(writer)
    page = client.get(changelist).content.decode()
    assert 'value="approve"' in page and 'value="trust_commenters"' not in page


def test_addresses_with_approved_comments_were_trusted_when_proof_began(article):
    from importlib import import_module

    from django.apps import apps

    approved(article, email="Old@Regular.example")
    approved(article, email="pending@example.com", status=Comment.Status.PENDING)
    TrustedCommenter.objects.all().delete()
    import_module("articles.migrations.0014_comment_trust").trust_earlier_regulars(apps, None)
    assert list(TrustedCommenter.objects.values_list("email", flat=True)) == ["old@regular.example"]


# --- One form, one comment ---------------------------------------------------------------

def test_a_form_token_sends_one_comment_and_the_second_try_gets_a_new_form(client, article):
    token = token_for(article)
    assert post(client, article, issued=token, body="Once").status_code == 302
    response = post(client, article, issued=token, body="Twice")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This form has been sent already" in html
    assert "Twice" in html  # the reader's text is kept
    fresh = re.search(r'name="issued" value="([^"]+)"', html)[1]
    assert fresh != token and signing.loads(fresh, salt=TOKEN_SALT)["a"] == article.pk
    assert list(Comment.objects.values_list("body", flat=True)) == ["Once"]


def test_one_token_replayed_200_times_stores_one_comment(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 0  # no limit per address: only the token stands in the way
    token = token_for(article)
    statuses = [post(client, article, issued=token, body=f"Replay {n}").status_code for n in range(200)]
    assert statuses.count(302) == 1 and statuses.count(400) == 199
    assert Comment.objects.count() == 1


def test_a_token_without_its_one_time_number_is_refused(client, article):
    old_style = signing.dumps({"a": article.pk, "t": time.time() - 10}, salt=TOKEN_SALT)
    response = post(client, article, issued=old_style)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert 'name="issued" value="' in response.content.decode()


def test_the_page_script_gets_each_reader_a_fresh_token(client, article):
    url = reverse("articles:comment_form_token", kwargs={"slug": article.slug})
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    a, b = first.json()["issued"], second.json()["issued"]
    assert a != b
    data = signing.loads(a, salt=TOKEN_SALT)
    assert data["a"] == article.pk and abs(data["t"] - time.time()) < 60
    # The article page points its form at it, and loads the script that asks.
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-token-url="{url}"' in page and "js/comments" in page


def test_no_token_for_an_unpublished_article_or_closed_comments(client):
    draft = ArticleFactory(status="draft")
    closed = ArticleFactory(comments_open=False)
    for article in (draft, closed):
        assert client.get(reverse("articles:comment_form_token", kwargs={"slug": article.slug})).status_code == 404
