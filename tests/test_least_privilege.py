"""Least privilege: being staff opens the admin's door and nothing else.

A staff account without a single permission (a new colleague before anyone gave them a
role, or an account an attacker got hold of) can neither read unpublished work nor
upload files, however it asks. Tying an author profile to an account, which decides
whose articles a writer may change, is for superusers alone.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article
from authors.models import Author
from newsletter import services
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def signed_in(username: str, *, group: str | None = None, **flags) -> tuple[Client, User]:
    user = User.objects.create_user(username, password="a-long-password-1", is_staff=True, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client, user


def png_upload(name="photo.png"):
    data = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(data, "PNG")
    data.seek(0)
    data.name = name
    return data


@pytest.fixture
def bare():
    """Staff, signed in, with no permission at all."""
    return signed_in("bare")[0]


@pytest.fixture
def draft():
    return ArticleFactory(status=Article.Status.DRAFT, title="Unannounced product review")


def test_bare_staff_see_no_draft_by_any_door(bare, draft):
    assert bare.get(draft.get_absolute_url()).status_code == 404
    for name in ("admin:articles_article_preview", "admin:articles_article_change",
                 "admin:articles_article_history"):
        response = bare.get(reverse(name, args=[draft.pk]))
        assert response.status_code == 403, name
        assert b"Unannounced product review" not in response.content
    listing = bare.get(reverse("admin:articles_article_changelist"))
    assert listing.status_code == 403
    assert b"Unannounced" not in bare.get(reverse("admin:index")).content


def test_bare_staff_cannot_preview_a_digest(bare):
    ArticleFactory(title="Tomorrow's lead story", publish_at=timezone.now() - timedelta(hours=2))
    digest = services.digest_prepare()
    for name in ("admin:newsletter_digest_preview", "admin:newsletter_digest_preview_email"):
        response = bare.get(reverse(name, args=[digest.pk]))
        assert response.status_code == 403, name
        assert b"Tomorrow's lead story" not in response.content


def test_bare_staff_cannot_share_or_revoke_a_preview(bare, draft):
    for name in ("admin:articles_article_share_preview", "admin:articles_article_revoke_previews"):
        assert bare.post(reverse(name, args=[draft.pk])).status_code == 403, name
    draft.refresh_from_db()
    key = draft.preview_key
    bare.post(reverse("admin:articles_article_revoke_previews", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.preview_key == key


def test_bare_staff_cannot_upload_images_anywhere(bare, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor_upload = bare.post(reverse("articles:editor_upload"), {"upload": png_upload()})
    assert editor_upload.status_code == 403
    library = bare.post(reverse("admin:images_image_add"), {"file": png_upload(), "alt_text": "x"})
    assert library.status_code == 403
    assert not any(tmp_path.rglob("*.png")), "a file reached the upload folder"


def test_an_editor_cannot_tie_an_author_to_an_account_even_by_a_crafted_post():
    client, _ = signed_in("edie", group="Editors")
    root = User.objects.create_superuser("root", "root@example.com", "a-long-password-1")
    author = AuthorFactory(name="Pat Writer")
    change = reverse("admin:authors_author_change", args=[author.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="user"' not in page.content  # shown, not editable
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"name": "Pat Writer", "user": root.pk})  # a field the form does not offer
    response = client.post(change, data)
    assert response.status_code == 302, response.content[:2000]
    author.refresh_from_db()
    assert author.user_id is None


def test_a_superuser_ties_an_author_to_an_account():
    client, root = signed_in("root", is_superuser=True)
    author = AuthorFactory(name="Pat Writer")
    change = reverse("admin:authors_author_change", args=[author.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"user": root.pk})
    assert client.post(change, data).status_code == 302
    assert Author.objects.get(pk=author.pk).user_id == root.pk
