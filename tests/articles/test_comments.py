import datetime
import re
import secrets
import sqlite3
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail, signing
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.forms import TOKEN_SALT
from articles.models import Article, BlockedTerm, Comment
from tests.articles.test_html import XSS_PAYLOADS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def comment_settings(settings):
    settings.COMMENT_MIN_SECONDS = 3
    settings.COMMENT_RATE_LIMIT = 5
    settings.COMMENT_MAX_LINKS = 2
    settings.COMMENT_MAX_LENGTH = 4000
    settings.COMMENT_NOTIFY_EMAILS = []
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def token_for(article, age=10, nonce=None):
    """A form token as the page (or its script) hands out: each call a new one-time number."""
    return signing.dumps({"a": article.pk, "t": time.time() - age, "n": nonce or secrets.token_hex(16)},
                         salt=TOKEN_SALT)


def post(client, article, **fields):
    data = {"name": "Sam Reader", "email": "sam@example.com", "body": "Thanks, this helped.",
            "website": "", "parent": "", "issued": token_for(article)}
    data.update(fields)
    return client.post(reverse("articles:comment_post", kwargs={"slug": article.slug}), data,
                       REMOTE_ADDR=fields.pop("ip", "203.0.113.5"))


def approved(article, **kwargs):
    defaults = {"name": "Ann", "email": "ann@example.com", "body": "Hello", "status": Comment.Status.APPROVED}
    return Comment.objects.create(article=article, **{**defaults, **kwargs})


def test_new_comment_waits_for_moderation_and_only_its_author_sees_it(client, article):
    response = post(client, article, body="My first\ncomment")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert response["Location"].startswith(article.get_absolute_url() + "?comment=")
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.status == Comment.Status.PENDING and comment.ip_address == "203.0.113.5"
    html = client.get(response["Location"]).content.decode()
    assert "Your comment is awaiting moderation" in html
    assert "My first<br>comment" in html
    assert "My first" not in client.get(article.get_absolute_url()).content.decode()


def test_typing_the_address_of_someone_with_approved_comments_does_not_skip_moderation(client, article):
    approved(article, email="Sam@Example.com")
    response = post(client, article, email="sam@example.com", body="Back again")
    comment = Comment.objects.get(body="Back again")
    assert comment.status == Comment.Status.PENDING
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert "Back again" not in Client().get(article.get_absolute_url()).content.decode()


def test_approved_comments_show_oldest_first_with_replies_nested_one_level(client, article):
    first = approved(article, body="First", created=timezone.now() - datetime.timedelta(hours=3))
    second = approved(article, body="Second", created=timezone.now() - datetime.timedelta(hours=2))
    reply = approved(article, body="Reply to first", parent=first, created=timezone.now() - datetime.timedelta(hours=1))
    approved(article, body="Hidden pending", status=Comment.Status.PENDING)
    approved(article, body="Hidden spam", status=Comment.Status.SPAM)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Discussion Comments" in html and "(3)" in html
    assert html.find("First") < html.find("Reply to first") < html.find("Second")
    start = html.find("comment-list--replies")
    replies = html[start:html.find("</ol>", start)]
    assert f'id="comment-{reply.pk}"' in replies and f'id="comment-{second.pk}"' not in replies
    assert "Hidden" not in html
    assert "ann@example.com" not in html


def test_reply_link_fills_the_hidden_parent_without_javascript(client, article):
    parent = approved(article)
    html = client.get(article.get_absolute_url() + f"?replyto={parent.pk}").content.decode()
    assert f'href="?replyto={parent.pk}#comment-form"' in html
    assert re.search(rf'<input type="hidden" name="parent" value="{parent.pk}"', html)
    assert "Reply to Ann" in html


def test_a_reply_to_a_reply_joins_the_first_level(client, article):
    top = approved(article)
    reply = approved(article, parent=top, body="reply")
    post(client, article, parent=str(reply.pk), email="ann@example.com", body="deeper")
    assert Comment.objects.get(body="deeper").parent == top


def test_reply_to_a_comment_on_another_article_is_refused(client, article):
    other = approved(ArticleFactory())
    response = post(client, article, parent=str(other.pk))
    assert response.status_code == 400
    assert "no longer available" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": ""}, "This field is required"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"email": "a@b.example\r\nBcc: victim@example.com"}, "Enter a valid email address"),
        ({"body": "   "}, "This field is required"),
        ({"body": "x" * 4001}, "at most 4000 characters"),
        ({"name": "Sam\x00Reader"}, "Null characters are not allowed"),
        ({"name": "Sam\u202eReader"}, "letters, numbers and punctuation"),
        ({"body": "see https://a.example https://b.example https://c.example"}, "at most 2 links"),
    ],
)
def test_bad_input_is_refused_and_keeps_what_the_reader_typed(client, article, fields, message):
    response = post(client, article, **{"body": "Keep this text", **fields})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if "body" not in fields:
        assert "Keep this text" in html
    assert not Comment.objects.exists()


def test_honeypot_is_refused(client, article):
    response = post(client, article, website="https://spam.example")
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert not Comment.objects.exists()


def test_submitting_faster_than_a_person_can_is_refused(client, article):
    response = post(client, article, issued=token_for(article, age=0))
    assert response.status_code == 400
    assert "That was quick" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("issued", ["", "garbage", "eyJhIjoxfQ:forged:sig"])
def test_forged_or_missing_token_is_refused_and_a_fresh_one_offered(client, article, issued):
    response = post(client, article, issued=issued)
    assert response.status_code == 400
    fresh = re.search(r'name="issued" value="([^"]+)"', response.content.decode()).group(1)
    assert signing.loads(fresh, salt=TOKEN_SALT)["a"] == article.pk
    assert not Comment.objects.exists()


def test_token_for_another_article_is_refused(client, article):
    response = post(client, article, issued=token_for(ArticleFactory()))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_expired_form_is_refused_with_a_clear_message(client, article, settings):
    response = post(client, article, issued=token_for(article, age=settings.COMMENT_FORM_MAX_AGE + 5))
    assert response.status_code == 400
    assert "This form had expired" in response.content.decode()


def test_rate_limit_per_ip_answers_429_and_stores_nothing_more(client, article):
    for i in range(5):
        assert post(client, article, body=f"comment {i}").status_code == 302
    response = post(client, article, body="one too many")
    assert response.status_code == 429
    assert "wait a few minutes" in response.content.decode()
    assert Comment.objects.count() == 5
    assert post(client, article, body="from elsewhere", ip="198.51.100.7").status_code == 302


@pytest.mark.parametrize(
    "kind, value, fields",
    [
        (BlockedTerm.Kind.WORD, "cheap pills", {"body": "Buy CHEAP pills now"}),
        (BlockedTerm.Kind.WORD, "casino", {"name": "Casino King"}),
        (BlockedTerm.Kind.EMAIL, "bad@example.com", {"email": "Bad@Example.com"}),
        (BlockedTerm.Kind.IP, "203.0.113.5", {}),
    ],
)
def test_blocklist_refuses_words_emails_and_ips(client, article, kind, value, fields):
    BlockedTerm.objects.create(kind=kind, value=value.upper())
    response = post(client, article, **fields)
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_closed_by_the_editor(client, article):
    approved(article, body="Old discussion")
    article.comments_open = False
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Old discussion" in html and "Comments are closed on this article." in html
    assert 'id="comment-form"' not in html
    response = post(client, article)
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_comments_close_automatically_with_age(client, settings, policy_pages):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=31))
    assert "Comments are closed" in client.get(old.get_absolute_url()).content.decode()
    assert post(client, old).status_code == 400


def test_comments_on_drafts_are_refused(client, article):
    article.status = Article.Status.DRAFT
    article.save()
    assert post(client, article).status_code == 404


def test_get_on_the_comment_url_is_not_allowed(client, article):
    assert client.get(reverse("articles:comment_post", kwargs={"slug": article.slug})).status_code == 405


def test_the_form_needs_no_csrf_cookie_but_a_post_from_another_site_is_refused(article):
    csrf_client = Client(enforce_csrf_checks=True)  # as strict as a real browser's request
    assert post(csrf_client, article, body="From our own page").status_code == 302
    cross_site = csrf_client.post(
        reverse("articles:comment_post", kwargs={"slug": article.slug}),
        {"name": "Sam", "email": "sam@example.com", "body": "From elsewhere", "website": "", "parent": "",
         "issued": token_for(article)},
        HTTP_ORIGIN="https://elsewhere.example", HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert cross_site.status_code == 403
    assert list(Comment.objects.values_list("body", flat=True)) == ["From our own page"]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_names_and_bodies_are_escaped(client, article, payload):
    approved(article, name=payload[:80], body=f"{payload}\nhttps://evil.example/?q={payload[:20]}")
    html = client.get(article.get_absolute_url()).content.decode()
    comments = html[html.find('id="comments"'):html.find('<form class="comment-form"')]
    for tag in ("<script", "<img", "<iframe", "<svg", "<style", "<object", "<form", "<details", "<math", "<body"):
        assert tag not in comments, (tag, payload)


def test_links_in_comments_are_marked_user_generated(client, article):
    approved(article, body="Source: https://journal.example/paper and www.other.example")
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('rel="ugc nofollow noopener"') == 2


def test_editors_are_emailed_about_pending_comments(client, article, settings, django_capture_on_commit_callbacks):
    settings.COMMENT_NOTIFY_EMAILS = ["editors@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, body="Please moderate me")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editors@example.com"]
    assert "Please moderate me" in message.body
    assert "/admin/articles/comment/" in message.body


def test_a_broken_mail_server_never_breaks_the_submission(client, article, settings, django_capture_on_commit_callbacks):
    # With the database queue the request only records the task; nothing is sent inline.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENT_NOTIFY_EMAILS = ["editors@example.com"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article)
    assert response.status_code == 302
    assert Comment.objects.count() == 1
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="articles.tasks.notify_moderators").count() == 1



def test_the_pending_comment_is_shown_through_a_signed_link_not_a_cookie_or_session(client, article):
    response = post(client, article, body="Mine alone")
    assert response.status_code == 302
    assert not response.cookies
    assert not Session.objects.exists()  # nothing is written after the comment's commit

    page = client.get(response["Location"])
    assert "Mine alone" in page.content.decode()
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    # The article's own address, or a forged link, gives the page everyone gets.
    forged = article.get_absolute_url() + f"?comment={Comment.objects.get().pk}"
    for url in (article.get_absolute_url(), forged):
        other = Client().get(url)
        assert "Mine alone" not in other.content.decode()
        assert "private" not in other.get("Cache-Control", "")


@pytest.fixture
def database_locked_once_a_comment_is_stored():
    """Right after a comment's transaction commits, another connection takes the whole
    SQLite database (BEGIN EXCLUSIVE), as a busy writer elsewhere would."""
    locker = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None,
                             timeout=0.1, check_same_thread=False)

    def lock_after_commit(sender, instance, created, **kwargs):
        if created:
            transaction.on_commit(lambda: locker.execute("BEGIN EXCLUSIVE"))

    post_save.connect(lock_after_commit, sender=Comment, dispatch_uid="lock-after-commit")
    yield locker
    post_save.disconnect(sender=Comment, dispatch_uid="lock-after-commit")
    if locker.in_transaction:
        locker.execute("ROLLBACK")
    locker.close()


@pytest.mark.sqlite  # PostgreSQL has no whole-database write lock to take
@pytest.mark.django_db(transaction=True)
def test_a_comment_stored_just_before_the_database_locks_still_gets_its_redirect(
    client, article, settings, database_locked_once_a_comment_is_stored, caplog
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENT_NOTIFY_EMAILS = ["editors@example.com"]
    response = post(client, article, body="Stored, then the lock")
    assert database_locked_once_a_comment_is_stored.in_transaction  # the lock was held
    database_locked_once_a_comment_is_stored.execute("ROLLBACK")

    assert response.status_code == 302  # not a 500 that makes the reader post it again
    assert Comment.objects.get().body == "Stored, then the lock"
    assert not Session.objects.exists()
    # The moderators' email could not be queued: logged, not shown to the reader.
    assert any("on_commit" in record.getMessage() for record in caplog.records)
    assert "Stored, then the lock" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("count", [0, 10, 500])
def test_article_page_queries_do_not_grow_with_comments(client, article, count, django_assert_max_num_queries):
    top = [Comment(article=article, name=f"R{i}", email=f"r{i}@example.com", body="Hi", status="approved")
           for i in range(count)]
    Comment.objects.bulk_create(top)
    if count:
        parents = list(Comment.objects.filter(article=article)[: count // 2])
        Comment.objects.bulk_create(
            Comment(article=article, parent=p, name="Re", email="re@example.com", body="Re", status="approved")
            for p in parents
        )
    client.get(article.category.get_absolute_url())  # warm the navigation, partner and ad caches
    # The article, related articles (and those sharing title words: its category is small),
    # images, comments.
    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_moderation_actions_approve_spam_and_remove(staff_client, article):
    pending = [approved(article, status=Comment.Status.PENDING, body=f"p{i}") for i in range(3)]
    changelist = reverse("admin:articles_comment_changelist")
    staff_client.post(changelist, {"action": "approve", "_selected_action": [pending[0].pk]})
    staff_client.post(changelist, {"action": "mark_spam", "_selected_action": [pending[1].pk]})
    staff_client.post(changelist, {"action": "remove", "_selected_action": [pending[2].pk]})
    assert [c.status for c in Comment.objects.order_by("body")] == ["approved", "spam", "removed"]
    assert "p0" in Client().get(article.get_absolute_url()).content.decode()


def test_moderation_queue_filters_and_searches(staff_client, article):
    approved(article, status=Comment.Status.PENDING, name="Findable Fiona", ip_address="192.0.2.44")
    changelist = reverse("admin:articles_comment_changelist")
    for query in ({"status__exact": "pending"}, {"q": "Fiona"}, {"q": "192.0.2.44"}, {"q": "ann@example.com"},
                  {"article__id__exact": article.pk}):
        html = staff_client.get(changelist, query).content.decode()
        assert "Findable Fiona" in html, query


def test_admin_index_shows_the_number_pending(staff_client, article):
    approved(article, status=Comment.Status.PENDING)
    approved(article, status=Comment.Status.PENDING)
    assert "2 comments waiting for moderation" in staff_client.get(reverse("admin:index")).content.decode()


def test_article_admin_shows_its_comments_inline(staff_client, article):
    approved(article, body="Inline me")
    html = staff_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Inline me" in html


def test_editors_group_can_moderate_without_superuser_rights(client, article, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("eddie", password="a-long-password-3", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    comment = approved(article, status=Comment.Status.PENDING)
    changelist = reverse("admin:articles_comment_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor.has_perm("articles.change_article") and not editor.has_perm("auth.add_user")
