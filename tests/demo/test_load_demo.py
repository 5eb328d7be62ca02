"""The demo content is data (a manifest and one HTML file per article), loaded the way
an editor's save writes: validated, sanitized, measured, one object at a time."""

import io
import json
import shutil

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from PIL import Image

from articles.models import Article, Category
from authors.models import Author
from demo.loader import CONTENT_DIR, DemoContentError, load_demo_content, read_manifest
from partners.models import AffiliatePartner

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_its_content_once():
    assert load_demo().strip() == (
        "Demo content: created 5 categories, 3 authors, 4 partners, 16 articles."
    )
    assert load_demo().strip() == "Demo content is already loaded."
    assert (Category.objects.count(), Author.objects.count(), AffiliatePartner.objects.count(),
            Article.objects.published().count()) == (5, 3, 4, 16)
    assert all(article.history.count() == 1 for article in Article.objects.all())


def test_demo_leaves_what_an_editor_changed_alone():
    load_demo()
    Article.objects.filter(slug="how-do-tides-work").update(title="Tides, Explained")
    Author.objects.filter(slug="helen-marsh").update(short_bio="Edited.")
    Article.objects.filter(slug="why-is-the-sky-blue").delete()
    assert "created 0 categories, 0 authors, 0 partners, 1 articles" in load_demo()
    assert Article.objects.get(slug="how-do-tides-work").title == "Tides, Explained"
    assert Author.objects.get(slug="helen-marsh").short_bio == "Edited."


def test_demo_makes_no_policy_pages():
    FlatPage.objects.all().delete()  # they come with migrate (articles 0006), never with the demo
    load_demo()
    assert not FlatPage.objects.exists()


def test_every_article_in_the_manifest_has_one_body_file_and_no_file_is_left_over():
    slugs = [article["slug"] for article in json.loads((CONTENT_DIR / "manifest.json").read_text())["articles"]]
    assert len(slugs) == len(set(slugs)) == 16
    assert sorted(f"{slug}.html" for slug in slugs) == sorted(p.name for p in (CONTENT_DIR / "articles").iterdir())


def test_demo_images_are_stored_with_their_size(settings):
    load_demo()
    for article in Article.objects.all():
        with Image.open(settings.MEDIA_ROOT / article.featured_image.name) as image:
            assert (article.featured_image_width, article.featured_image_height) == image.size == (1200, 675)
    for author in Author.objects.all():
        with Image.open(settings.MEDIA_ROOT / author.photo.name) as image:
            assert (author.photo_width, author.photo_height) == image.size == (256, 256)


@pytest.fixture
def small_content(tmp_path):
    """A copy of the demo content with one article, to edit."""
    manifest = read_manifest()
    for article in manifest["articles"]:
        del article["body"]
    manifest["articles"] = manifest["articles"][:1]
    (tmp_path / "articles").mkdir()
    slug = manifest["articles"][0]["slug"]
    shutil.copy(CONTENT_DIR / "articles" / f"{slug}.html", tmp_path / "articles")

    def write(article_html=None, **article_changes):
        manifest["articles"][0].update(article_changes)
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        if article_html is not None:
            (tmp_path / "articles" / f"{slug}.html").write_text(article_html)
        return tmp_path

    write.slug = slug
    return write


def test_demo_html_goes_through_the_sanitizer(small_content):
    content_dir = small_content(
        '<p onclick="steal()">Hello<script>alert(1)</script></p><img src="javascript:x()">'
    )
    load_demo_content(content_dir=content_dir)
    assert Article.objects.get(slug=small_content.slug).body == "<p>Hello</p><img>"


def test_demo_data_is_validated_as_an_editors_would_be(small_content):
    content_dir = small_content(publish_days_ago=1, updated_days_ago=5)
    with pytest.raises(DemoContentError, match="updated_on.*cannot be before the publish date"):
        load_demo_content(content_dir=content_dir)
    assert not Article.objects.exists()  # all or nothing


def test_a_missing_body_file_is_a_clear_error(small_content):
    content_dir = small_content()
    (content_dir / "articles" / f"{small_content.slug}.html").unlink()
    with pytest.raises(DemoContentError, match=f"“{small_content.slug}” has no body file"):
        load_demo_content(content_dir=content_dir)
