"""`manage.py make_renditions`: every image already stored gets its renditions, once."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article
from images.models import Image
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.helpers import image_file

pytestmark = pytest.mark.django_db


def make_renditions(*args) -> str:
    out = io.StringIO()
    call_command("make_renditions", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def existing():
    """Images stored before renditions existed: no task was ever queued for them."""
    article = ArticleFactory(status=Article.Status.DRAFT)  # drafts are shown to staff, and will be published
    article.featured_image.save("old.jpg", ContentFile(image_file("JPEG", size=(900, 500))))
    author = AuthorFactory()
    author.photo.save("face.png", ContentFile(image_file("PNG", size=(300, 300))))
    body = default_storage.save("uploads/2025/01/body.jpg", ContentFile(image_file("JPEG", size=(700, 700))))
    Article.objects.filter(pk=article.pk).update(body=(
        f'<p><img src="/media/{body}" alt="In the body"></p>'
        f'<p><img src="/media/{article.featured_image.name}" alt="Featured again"></p>'
        '<p><img src="https://elsewhere.example/a.jpg" alt="Not ours"></p>'
    ))
    Image.objects.all().delete()
    return {"names": {article.featured_image.name, author.photo.name, body}}


def test_the_command_makes_renditions_for_every_stored_image_once(existing):
    assert make_renditions().strip() == (
        "Renditions: made for 3 image(s), 0 already had them, 0 could not be read, 0 failed."
    )
    assert set(Image.objects.values_list("name", flat=True)) == existing["names"]
    assert sorted(Image.objects.values_list("width", "widths")) == [
        (300, [300]), (700, [320, 480, 700]), (900, [320, 480, 800, 900]),
    ]


def test_running_it_again_makes_nothing_and_rewrites_no_file(existing):
    make_renditions()
    written = {name: default_storage.get_modified_time(name)
               for image in Image.objects.all() for width in image.widths
               for extension in image.rendition_extensions
               for name in [image.rendition_name(width, extension)]}
    modified = dict(Image.objects.values_list("name", "modified"))
    assert make_renditions().strip() == (
        "Renditions: made for 0 image(s), 3 already had them, 0 could not be read, 0 failed."
    )
    assert {name: default_storage.get_modified_time(name) for name in written} == written
    assert dict(Image.objects.values_list("name", "modified")) == modified


def test_new_widths_in_the_setting_are_made_for_images_that_had_the_old_ones(existing, settings):
    make_renditions()
    settings.IMAGE_RENDITION_WIDTHS = [200, 640]
    assert "made for 3 image(s)" in make_renditions()
    # Wider than the widest width now, 700 and 900 are no longer copied at their own size.
    assert sorted(Image.objects.values_list("width", "widths")) == [(300, [200, 300]), (700, [200, 640]), (900, [200, 640])]


def test_force_makes_them_all_again(existing):
    make_renditions()
    assert "made for 3 image(s), 0 already had them" in make_renditions("--force")


def test_a_file_gone_from_storage_is_counted_and_the_rest_are_made(existing):
    gone = Article.objects.get().featured_image.name
    default_storage.delete(gone)
    output = make_renditions()
    assert "made for 2 image(s), 0 already had them, 1 could not be read, 0 failed." in output
    assert not Image.objects.filter(name=gone).exists()


def test_load_demo_makes_the_demo_images_renditions_at_once(settings):
    call_command("load_demo", stdout=io.StringIO())
    assert Image.objects.count() == 20  # 16 featured images and 4 author photos
    assert all(image.widths for image in Image.objects.all())
