"""Pages never open image files to render: width and height are stored with the row, so
a missing media folder costs the pictures, never the pages."""

import importlib
import shutil
import types

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from articles.models import Article
from authors.models import Author
from demo.loader import load_demo_content
from tests.conftest import image_bytes
from tests.dom import parse

pytestmark = pytest.mark.django_db

ARTICLE = "/what-is-the-connection-between-sciatica-and-back-pain.htm"
PUBLIC_PAGES = [
    "/", ARTICLE, "/category/health/", "/author/helen-marsh/", "/affiliate-partners/", "/about/",
    "/feed/", "/sitemap.xml", "/search/?q=the", "/newsletter/",
]


@pytest.fixture
def demo(policy_pages, settings):
    load_demo_content()
    return settings.MEDIA_ROOT


@pytest.fixture
def opened_images(monkeypatch):
    """Names of the files any storage opens (the files are really opened)."""
    real_open = Storage.open
    opened = []

    def counting_open(storage, name, mode="rb"):
        opened.append(name)
        return real_open(storage, name, mode)

    monkeypatch.setattr(Storage, "open", counting_open)
    return opened


def test_every_public_page_answers_with_the_media_folder_deleted(client, demo):
    shutil.rmtree(demo)
    images = []
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            images += [img.attrs for img in parse(response.content).find("img")
                       if img.attrs["src"].startswith("/media/")]
    assert len(images) > 16
    for attrs in images:
        assert attrs["width"].isdigit() and attrs["height"].isdigit(), attrs


def test_rendering_pages_opens_no_image_file_even_for_rows_stored_without_a_size(client, demo, opened_images):
    # As the demo loader used to leave them: files on disk, no width or height stored.
    Article.objects.update(featured_image_width=None, featured_image_height=None)
    Author.objects.update(photo_width=None, photo_height=None)
    for url in ("/", ARTICLE, "/author/helen-marsh/", "/category/health/"):
        assert client.get(url).status_code == 200
    assert opened_images == []


def test_an_image_saved_from_content_without_a_name_stores_its_size(article):
    # What the demo loader did: ContentFile(data) has no name, so Django's ImageField
    # took it for "no file" and stored no size.
    article.featured_image.save("picture.png", ContentFile(image_bytes(size=(40, 30))))
    stored = Article.objects.filter(pk=article.pk).values_list("featured_image_width", "featured_image_height")
    assert stored.get() == (40, 30)


def test_an_image_uploaded_in_admin_stores_its_size(staff_client, article):
    data = {
        "title": article.title, "slug": article.slug, "category": article.category_id,
        "author": article.author_id, "summary": article.summary, "body": article.body,
        "featured_image": SimpleUploadedFile("x.png", image_bytes(size=(64, 48)), content_type="image/png"),
        "featured_image_alt": "A picture", "status": "published",
        "publish_at_0": article.publish_at.strftime("%Y-%m-%d"), "publish_at_1": "00:00:00",
        "updated_on": article.updated_on.isoformat(),
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "loaded_version": article.version,
    }
    response = staff_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.featured_image_width, article.featured_image_height) == (64, 48)


def test_a_row_saved_without_a_size_is_measured_when_saved(article, opened_images):
    article.featured_image.save("picture.png", ContentFile(image_bytes(size=(40, 30))))
    Article.objects.filter(pk=article.pk).update(featured_image_width=None, featured_image_height=None)
    stored = Article.objects.get(pk=article.pk)
    assert opened_images == []  # loading it did not measure it
    stored.save()
    stored.refresh_from_db()
    assert (stored.featured_image_width, stored.featured_image_height) == (40, 30)


def test_a_row_whose_image_file_is_gone_still_saves(article, settings):
    article.featured_image.save("picture.png", ContentFile(image_bytes()))
    Article.objects.filter(pk=article.pk).update(featured_image_width=None, featured_image_height=None)
    (settings.MEDIA_ROOT / article.featured_image.name).unlink()
    stored = Article.objects.get(pk=article.pk)
    stored.title = "Still editable"
    stored.save()
    assert (stored.featured_image_width, stored.featured_image_height) == (None, None)


def test_migrations_fill_missing_sizes_where_the_file_can_be_read(demo):
    Article.objects.update(featured_image_width=None, featured_image_height=None)
    Author.objects.update(photo_width=None, photo_height=None)
    gone = Article.objects.get(slug="how-do-tides-work")
    (demo / gone.featured_image.name).unlink()
    schema_editor = types.SimpleNamespace(connection=connection)
    for migration in ("articles.migrations.0007_featured_image_dimensions_stored",
                      "authors.migrations.0002_photo_dimensions_stored"):
        importlib.import_module(migration).fill_missing_dimensions(apps, schema_editor)
    sizes = dict(Article.objects.values_list("slug", "featured_image_width"))
    assert sizes.pop("how-do-tides-work") is None
    assert set(sizes.values()) == {1200}
    assert set(Author.objects.values_list("photo_width", "photo_height")) == {(256, 256)}


def test_validating_a_stored_row_neither_opens_its_image_nor_forgets_its_size(article, settings, opened_images):
    # Admin runs full_clean() on every save; it puts the stored file back on the instance.
    article.featured_image.save("picture.png", ContentFile(image_bytes(size=(40, 30))))
    (settings.MEDIA_ROOT / article.featured_image.name).unlink()
    opened_images.clear()
    stored = Article.objects.get(pk=article.pk)
    stored.full_clean()
    stored.save()
    assert opened_images == []
    stored = Article.objects.filter(pk=article.pk).values_list("featured_image_width", "featured_image_height")
    assert stored.get() == (40, 30)
