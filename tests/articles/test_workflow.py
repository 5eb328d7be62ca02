"""The editor's day in admin: roles, states, dates, previews and saves that cannot
overwrite each other. Every test drives the admin with the test client as the person
in that role would, and checks what reached the database or the page."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleUpdate
from images.models import Image
from tests.factories import ArticleFactory
from tests.forms import form_fields
from tests.images.helpers import image_file

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")
LIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def signed_in(role: str | None, username: str | None = None, **flags) -> tuple[Client, User]:
    user = User.objects.create_user(username or (role or "nobody").lower(), password="a-long-password-1",
                                    is_staff=True, **flags)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def writer():
    return signed_in("Writers", "wanda")


@pytest.fixture
def editor():
    return signed_in("Editors", "eddie")


def form_of(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return form_fields(page.content.decode(), "article_form")


def save(client, url, **changes):
    fields = form_of(client, url)
    fields.update(changes)
    return client.post(url, fields)


def errors(response) -> dict:
    return response.context["adminform"].form.errors


def an_article_by(user, **fields) -> Article:
    return ArticleFactory(**{"status": Article.Status.DRAFT, "created_by": user, **fields})


# --- Roles --------------------------------------------------------------------------


def test_a_writer_saves_a_draft_with_only_a_title(writer):
    client, user = writer
    response = save(client, ADD, title="Why Do Cats Purr?")
    assert response.status_code == 302, errors(response)
    article = Article.objects.get()
    assert (article.title, article.slug, article.status) == ("Why Do Cats Purr?", "why-do-cats-purr", "draft")
    assert article.category is None and article.author is None and article.summary == ""
    assert article.created_by == user
    assert article.history.get().history_change_reason == "Created"


def test_submitting_for_review_asks_for_category_author_and_summary(writer):
    client, _ = writer
    response = save(client, ADD, title="Why Do Cats Purr?", status="review")
    assert response.status_code == 200
    assert set(errors(response)) >= {"category", "author", "summary"}
    assert "before submitting for review" in errors(response)["summary"][0]
    assert not Article.objects.exists()


def test_a_writer_has_no_publish_control_and_a_crafted_publish_is_refused(writer):
    client, user = writer
    article = an_article_by(user)
    page = client.get(change_url(article)).content.decode()
    status_select = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    assert 'value="review"' in status_select and 'value="published"' not in status_select
    assert 'value="publish"' not in client.get(LIST).content.decode()  # no bulk action either

    response = save(client, change_url(article), status="published")
    assert response.status_code == 200 and "status" in errors(response)
    response = client.post(LIST, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_writer_submits_their_draft_and_cannot_edit_it_once_published(writer, editor):
    client, user = writer
    article = an_article_by(user)
    response = save(client, change_url(article), status="review", change_note="Ready for a look")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert article.history.first().history_change_reason == "Ready for a look"

    editor_client, _ = editor
    assert save(editor_client, change_url(article), status="published").status_code == 302
    article.refresh_from_db()
    assert article.is_public
    assert article.history.first().history_change_reason == "Published"

    before = article.title
    response = save(client, change_url(article), title="A writer's late change")
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == before


def test_a_writer_cannot_change_another_writers_draft(writer):
    client, _ = writer
    _, other = signed_in("Writers", "otto")
    theirs = an_article_by(other, title="Otto's draft")
    page = client.get(change_url(theirs))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read only
    response = client.post(change_url(theirs), {**form_of(client, change_url(theirs)), "title": "Mine now"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Otto's draft"


def test_the_submit_action_only_moves_a_writers_own_complete_drafts(writer):
    client, user = writer
    mine = an_article_by(user)
    mine_incomplete = an_article_by(user, summary="")
    _, other = signed_in("Writers", "otto")
    theirs = an_article_by(other)
    response = client.post(LIST, {"action": "submit_for_review",
                                  "_selected_action": [mine.pk, mine_incomplete.pk, theirs.pk]}, follow=True)
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "review", mine_incomplete.pk: "draft", theirs.pk: "draft"}
    assert "Not submitted" in response.content.decode()


def test_an_editor_publishes_anyones_article_from_the_list(editor, writer):
    _, author_user = writer
    article = an_article_by(author_user, status=Article.Status.REVIEW)
    client, _ = editor
    client.post(LIST, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.is_public
    client.post(LIST, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_staff_without_article_permissions_see_no_drafts():
    client, _ = signed_in(None, "bare")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("admin:articles_article_preview", args=[draft.pk])).status_code == 403


# --- States -------------------------------------------------------------------------


def test_the_list_says_scheduled_and_filters_by_each_state(editor):
    client, _ = editor
    later = timezone.now() + datetime.timedelta(days=2)
    articles = {
        "draft": ArticleFactory(status=Article.Status.DRAFT, title="The Draft"),
        "review": ArticleFactory(status=Article.Status.REVIEW, title="The Review"),
        "scheduled": ArticleFactory(publish_at=later, title="The Scheduled"),
        "published": ArticleFactory(title="The Published"),
    }
    page = client.get(LIST).content.decode()
    assert f"Scheduled for {timezone.localtime(later):%B} {timezone.localtime(later).day}" in page
    for state, article in articles.items():
        listed = client.get(LIST, {"state": state}).context["cl"].result_list
        assert [a.pk for a in listed] == [article.pk], state


def test_the_list_counts_pending_comments(editor):
    client, _ = editor
    article = ArticleFactory(title="Commented")
    for status in ["pending", "pending", "approved"]:
        article.comments.create(name="R", email="r@example.com", body="Hi", status=status)
    page = client.get(LIST).content.decode()
    row = re.search(r"<tr>.*?Commented.*?</tr>", page, re.S).group(0)
    assert re.search(r'field-pending_comments"><a href="[^"]*status=pending[^"]*">2</a>', row)


# --- Dates --------------------------------------------------------------------------


def test_moving_only_publish_at_of_a_scheduled_article_moves_updated(editor):
    client, _ = editor
    soon = timezone.localtime() + datetime.timedelta(days=3)
    article = ArticleFactory(publish_at=soon)
    later = soon + datetime.timedelta(days=4)
    response = save(client, change_url(article), publish_at_0=later.strftime("%Y-%m-%d"))
    assert response.status_code == 302, errors(response)
    article.refresh_from_db()
    assert article.state == Article.State.SCHEDULED
    assert article.updated_on == later.date()


def test_updated_only_moves_with_a_substantive_update_and_its_note_is_public(editor, client):
    editor_client, _ = editor
    published_on = timezone.localdate() - datetime.timedelta(days=30)
    article = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=30))
    assert article.updated_on == published_on

    assert save(editor_client, change_url(article), body="<p>Typo fixed.</p>").status_code == 302
    article.refresh_from_db()
    assert article.updated_on == published_on

    response = save(editor_client, change_url(article), substantive_update="on", update_note="")
    assert response.status_code == 200 and "update_note" in errors(response)

    response = save(editor_client, change_url(article), substantive_update="on",
                    update_note="Added the 2026 dosage guidance.")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_on == timezone.localdate()
    assert ArticleUpdate.objects.get().note == "Added the 2026 dosage guidance."
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Article history" in page and "Added the 2026 dosage guidance." in page


def test_restoring_an_older_version_keeps_the_newer_updated_date(editor):
    client, _ = editor
    article = ArticleFactory(title="Before", publish_at=timezone.now() - datetime.timedelta(days=30))
    old_version = article.history.first()
    save(client, change_url(article), title="After", substantive_update="on", update_note="Rewrote the intro.")
    article.refresh_from_db()
    assert article.updated_on == timezone.localdate()

    revert = reverse("admin:articles_article_simple_history", args=[article.pk, old_version.history_id])
    response = client.post(revert, form_fields(client.get(revert).content.decode(), "historicalarticle_form"))
    assert response.status_code == 302, errors(response)
    article.refresh_from_db()
    assert article.title == "Before" and article.updated_on == timezone.localdate()


def test_a_substantive_update_is_not_offered_before_first_publication(editor):
    client, _ = editor
    draft = ArticleFactory(status=Article.Status.DRAFT)
    response = save(client, change_url(draft), substantive_update="on", update_note="Changed")
    assert response.status_code == 200 and "substantive_update" in errors(response)


def test_updated_is_never_before_the_publish_date_whoever_saves():
    article = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=3))
    article.updated_on = timezone.localdate() - datetime.timedelta(days=40)
    article.save()
    article.refresh_from_db()
    assert article.updated_on == timezone.localdate(article.publish_at)


def test_publishing_a_stale_draft_from_its_form_dates_it_today(editor):
    client, _ = editor
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=timezone.now() - datetime.timedelta(days=9))
    assert save(client, change_url(draft), status="published").status_code == 302
    draft.refresh_from_db()
    assert draft.publish_at > timezone.now() - datetime.timedelta(minutes=5)
    assert draft.updated_on == timezone.localdate()


# --- Previews -----------------------------------------------------------------------


def test_preview_shows_a_draft_as_readers_will_see_it_and_nobody_keeps_it(writer):
    client, user = writer
    draft = an_article_by(user, title="A Draft About Tides")
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"article__title\">A Draft About Tides</h1>" in page
    assert 'class="article__body prose"' in page and "this article is a draft" in page
    assert '<meta name="robots" content="noindex">' in page
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_preview_of_an_incomplete_draft_says_what_it_needs(writer):
    client, user = writer
    draft = Article.objects.create(title="Only a title", created_by=user)
    page = client.get(reverse("admin:articles_article_preview", args=[draft.pk])).content.decode()
    assert "still needs a category, an author and a summary" in page


def shared_link(client, article) -> str:
    response = client.post(reverse("admin:articles_article_share_preview", args=[article.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    return re.search(r'href="https?://[^/"]+(/preview/[^"]+)"', " ".join(messages)).group(1)


def test_a_shared_preview_shows_the_draft_to_someone_not_signed_in(editor, settings):
    client, _ = editor
    draft = ArticleFactory(status=Article.Status.DRAFT, title="A Shared Draft")
    link = shared_link(client, draft)
    reader = Client()
    response = reader.get(link)
    page = response.content.decode()
    assert response.status_code == 200 and "A Shared Draft" in page
    assert '<meta name="robots" content="noindex">' in page and response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    assert "This link works until" in page and 'name="body"' not in page  # no comment form
    assert reader.get(draft.get_absolute_url()).status_code == 404  # the article itself stays hidden


def test_a_tampered_expired_or_revoked_preview_link_is_404(editor, monkeypatch, settings):
    client, _ = editor
    draft = ArticleFactory(status=Article.Status.DRAFT)
    link = shared_link(client, draft)
    reader = Client()
    assert reader.get(link).status_code == 200
    token = link.split("/")[2]
    assert reader.get(f"/preview/{token[:-2]}xx/").status_code == 404
    assert reader.get(f"/preview/{signing.dumps({'a': draft.pk, 'k': 'guess'}, salt='x')}/").status_code == 404

    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 8 * 24 * 3600)
    assert reader.get(link).status_code == 404  # a week and a day later
    settings.PREVIEW_LINK_MAX_AGE_DAYS = 30
    assert reader.get(link).status_code == 200
    monkeypatch.undo()

    client.post(reverse("admin:articles_article_revoke_previews", args=[draft.pk]))
    assert reader.get(link).status_code == 404
    assert reader.get(shared_link(client, draft)).status_code == 200  # a new link works again


def test_sharing_needs_a_post(editor):
    client, _ = editor
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(reverse("admin:articles_article_share_preview", args=[draft.pk])).status_code == 405


# --- Two editors, one article ---------------------------------------------------------


def test_a_stale_save_is_refused_and_keeps_the_text_then_a_second_save_replaces(editor):
    first, _ = editor
    second, _ = signed_in("Editors", "erin", first_name="Erin")
    article = ArticleFactory(title="Original")
    first_form, second_form = form_of(first, change_url(article)), form_of(second, change_url(article))

    assert first.post(change_url(article), {**first_form, "title": "First editor's title"}).status_code == 302
    response = second.post(change_url(article), {**second_form, "title": "Second editor's title"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "eddie saved this article at" in page and "Nothing was saved" in page
    assert 'value="Second editor&#x27;s title"' in page  # their text is still in the form
    article.refresh_from_db()
    assert article.title == "First editor's title"

    # The re-shown form carries the newer version: saving it again is a knowing overwrite.
    again = form_fields(page, "article_form")
    assert second.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.title == "Second editor's title"


def test_every_save_counts_a_version():
    article = ArticleFactory()
    version = article.version
    article.save()
    assert Article.objects.get(pk=article.pk).version == version + 1


# --- The media library in the article ---------------------------------------------------


def library_image(name="library/2026/11/tide.png", **fields) -> Image:
    stored = default_storage.save(name, ContentFile(image_file("PNG", size=(640, 400))))
    return Image.objects.create(name=stored, width=640, height=400, format="PNG", **fields)


def with_image(image: Image, alt: str | None = None) -> str:
    alt_attribute = "" if alt is None else f' alt="{alt}"'
    return f'<p>Tides.</p><figure class="image"><img src="{default_storage.url(image.name)}"{alt_attribute}></figure>'


@pytest.mark.parametrize("library_fields, own_alt, refused", [
    ({}, None, True),
    ({}, "A tide table pinned to a harbour wall", False),
    ({"alt_text": "A tide table pinned to a harbour wall"}, None, False),
    ({"decorative": True}, None, False),
])
def test_publishing_asks_for_alt_text_on_body_images(editor, library_fields, own_alt, refused):
    client, _ = editor
    image = library_image(**library_fields)
    draft = ArticleFactory(status=Article.Status.DRAFT, body=with_image(image, own_alt))
    response = save(client, change_url(draft), status="published")
    draft.refresh_from_db()
    if refused:
        assert response.status_code == 200
        assert "Add alt text to 1 image(s) before publishing: " + image.name.rsplit("/", 1)[-1] in errors(response)["body"][0]
        assert draft.status == Article.Status.DRAFT
    else:
        assert response.status_code == 302, errors(response)
        assert draft.is_public


def test_a_library_image_becomes_the_featured_image_with_its_alt_text(editor):
    client, _ = editor
    image = library_image(alt_text="Waves over a sea wall")
    draft = ArticleFactory(status=Article.Status.DRAFT, featured_image_alt="")
    response = save(client, change_url(draft), featured_from_library=str(image.pk), status="published")
    assert response.status_code == 302, errors(response)
    draft.refresh_from_db()
    assert draft.featured_image.name == image.name  # the same file, not a copy
    assert (draft.featured_image_width, draft.featured_image_height) == (640, 400)
    assert draft.featured_image_alt == "Waves over a sea wall"


def test_a_featured_image_without_alt_text_is_not_published(editor):
    client, _ = editor
    image = library_image()
    draft = ArticleFactory(status=Article.Status.DRAFT, featured_image_alt="")
    response = save(client, change_url(draft), featured_from_library=str(image.pk), status="published")
    assert response.status_code == 200 and "featured_image_alt" in errors(response)


def test_images_dropped_into_the_editor_join_the_library(writer):
    client, user = writer
    upload = SimpleUploadedFile("photo.png", image_file("PNG", size=(300, 200)), content_type="image/png")
    response = client.post(reverse("articles:editor_upload"), {"upload": upload})
    assert response.status_code == 200, response.content
    image = Image.objects.get()
    assert image.uploaded_by == user and (image.width, image.height) == (300, 200)
    assert response.json()["url"] == default_storage.url(image.name)


def test_staff_who_may_not_add_images_cannot_upload_them():
    client, _ = signed_in(None, "bare")
    upload = SimpleUploadedFile("photo.png", image_file("PNG"), content_type="image/png")
    response = client.post(reverse("articles:editor_upload"), {"upload": upload})
    assert response.status_code == 403 and not Image.objects.exists()
