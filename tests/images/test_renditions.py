"""Renditions are made by the background task when an image is saved: the right widths,
in WebP and the original's format, upright, and without the original's metadata."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image as Pillow

from images.models import Image
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.helpers import BLUE, CAMERA, RED, gif_file, image_file, phone_photo
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """Save an article's featured image the way admin does, then let the worker run."""

    def save(data: bytes, name="picture.jpg", article=None, run=True):
        article = article or ArticleFactory()
        with django_capture_on_commit_callbacks(execute=True):
            article.featured_image.save(name, ContentFile(data))
        if run:
            run_queued_tasks()
        return article

    return save


def stored_image(name: str) -> Pillow.Image:
    with default_storage.open(name) as file:
        image = Pillow.open(io.BytesIO(file.read()))
        image.load()
        return image


def renditions_of(image: Image) -> dict[str, Pillow.Image]:
    return {
        image.rendition_name(width, extension): stored_image(image.rendition_name(width, extension))
        for width in image.widths for extension in image.rendition_extensions
    }


def test_a_jpeg_gets_each_smaller_width_and_its_own_in_webp_and_jpeg(saved):
    article = saved(image_file("JPEG", size=(1000, 600)))
    image = Image.objects.get(name=article.featured_image.name)
    assert (image.width, image.height, image.format) == (1000, 600, "JPEG")
    assert image.widths == [320, 480, 800, 1000]
    copies = renditions_of(image)
    assert len(copies) == 8
    for name, copy in copies.items():
        width = int(name.rsplit("-", 1)[1].split("w.")[0])
        assert copy.size == (width, round(600 * width / 1000)), name
        assert copy.format == ("WEBP" if name.endswith(".webp") else "JPEG"), name
        assert name.startswith("renditions/articles/") and name.endswith((".webp", ".jpg"))


def test_an_original_wider_than_every_width_is_never_copied_at_its_own_size(saved):
    article = saved(image_file("JPEG", size=(2000, 1000)))
    assert Image.objects.get(name=article.featured_image.name).widths == [320, 480, 800, 1200, 1600]


def test_an_original_narrower_than_every_width_gets_one_copy_at_its_own_size(saved):
    article = saved(image_file("JPEG", size=(200, 100)))
    assert Image.objects.get(name=article.featured_image.name).widths == [200]


def test_the_widths_come_from_the_setting(saved, settings):
    settings.IMAGE_RENDITION_WIDTHS = [100, 250]
    article = saved(image_file("JPEG", size=(1000, 600)))
    assert Image.objects.get(name=article.featured_image.name).widths == [100, 250]


def test_a_png_stays_png_and_keeps_its_transparency(saved):
    article = saved(image_file("PNG", size=(900, 600), mode="RGBA"), name="chart.png")
    image = Image.objects.get(name=article.featured_image.name)
    assert image.rendition_extensions == ["webp", "png"]
    for name, copy in renditions_of(image).items():
        assert copy.format == ("WEBP" if name.endswith(".webp") else "PNG")
        assert copy.mode == "RGBA" and copy.getpixel((0, 0))[3] == 0, name  # still see-through


def test_a_webp_original_gets_webp_renditions_only(saved):
    article = saved(image_file("WEBP", size=(900, 600)), name="photo.webp")
    image = Image.objects.get(name=article.featured_image.name)
    assert image.rendition_extensions == ["webp"]
    assert {copy.format for copy in renditions_of(image).values()} == {"WEBP"}


@pytest.mark.parametrize("data, name", [(gif_file(), "still.gif"), (gif_file(frames=3), "moving.gif")])
def test_gifs_are_measured_but_left_alone(saved, data, name):
    article = saved(data, name=name)
    image = Image.objects.get(name=article.featured_image.name)
    assert (image.width, image.height, image.format, image.widths) == (400, 300, "GIF", [])
    assert not default_storage.exists("renditions")


def test_an_animated_webp_is_left_alone(saved):
    frames = [Pillow.new("RGB", (400, 300), colour) for colour in (RED, BLUE)]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:])
    article = saved(out.getvalue(), name="moving.webp")
    image = Image.objects.get(name=article.featured_image.name)
    assert (image.animated, image.widths) == (True, [])


def test_no_rendition_carries_the_photos_exif_gps_xmp_or_comment(saved):
    original = phone_photo()
    assert CAMERA.encode() in original and b"shot at home" in original and b"GPSLatitude" in original
    article = saved(original)
    copies = renditions_of(Image.objects.get(name=article.featured_image.name))
    assert len(copies) == 6  # 320, 480 and 600 (upright) wide, in WebP and JPEG
    for name, copy in copies.items():
        assert not copy.getexif(), name
        assert not copy.getexif().get_ifd(0x8825), name  # the GPS block
        assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(copy.info), (name, copy.info.keys())
        with default_storage.open(name) as file:
            data = file.read()
        for secret in (CAMERA.encode(), b"shot at home", b"GPSLatitude", b"Exif\x00\x00", b"xmpmeta"):
            assert secret not in data, (name, secret)


def test_a_photo_stored_on_its_side_is_turned_upright(saved):
    # Stored 1000×600 with Orientation 6 ("turn 90° clockwise to show"): readers see 600×1000,
    # the left (red) half on top.
    article = saved(phone_photo(size=(1000, 600), orientation=6))
    image = Image.objects.get(name=article.featured_image.name)
    assert (image.width, image.height) == (600, 1000)
    assert image.widths == [320, 480, 600]
    copy = stored_image(image.rendition_name(320, "jpg"))
    assert copy.size == (320, 533)

    def near(pixel, colour):
        return all(abs(a - b) < 40 for a, b in zip(pixel, colour))

    assert near(copy.getpixel((160, 40)), RED) and near(copy.getpixel((160, 490)), BLUE)


def test_nothing_is_made_in_the_request_only_queued(saved):
    article = saved(image_file(), run=False)
    assert not Image.objects.exists()
    assert DBTaskResult.objects.filter(task_path="images.tasks.make_renditions").count() == 1
    run_queued_tasks()
    assert Image.objects.get().name == article.featured_image.name


def test_the_image_row_is_saved_when_its_renditions_are_ready(saved):
    saves = []

    def record(sender, instance, **kwargs):
        saves.append(list(instance.widths))

    post_save.connect(record, sender=Image)
    try:
        saved(image_file(size=(500, 300)))
    finally:
        post_save.disconnect(record, sender=Image)
    assert saves == [[320, 480, 500]]


def test_saving_an_article_again_queues_nothing_once_its_images_are_made(saved, django_capture_on_commit_callbacks):
    article = saved(image_file())
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "A new title"
        article.save()
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_new_image_in_the_body_is_queued_when_the_article_is_saved(django_capture_on_commit_callbacks):
    name = default_storage.save("uploads/2026/05/body.png", ContentFile(image_file("PNG", size=(700, 400))))
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article.body = f'<p>Text</p><figure class="image"><img src="/media/{name}" alt="A chart"></figure>'
        article.save()
    run_queued_tasks()
    assert Image.objects.get(name=name).widths == [320, 480, 700]


def test_a_new_author_photo_is_queued(django_capture_on_commit_callbacks):
    author = AuthorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        author.photo.save("face.jpg", ContentFile(image_file(size=(400, 400))))
    run_queued_tasks()
    assert Image.objects.get(name=author.photo.name).widths == [320, 400]


def test_an_image_dropped_into_the_editor_is_queued_on_upload(staff_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("drop.png", image_file("PNG", size=(640, 480)), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        url = staff_client.post(reverse("articles:editor_upload"), {"upload": upload}).json()["url"]
    run_queued_tasks()
    assert Image.objects.get(name=url.removeprefix("/media/")).widths == [320, 480, 640]


@pytest.mark.parametrize("content", [None, b"not an image at all", image_file()[:200]])
def test_a_missing_or_broken_original_makes_no_row_and_fails_no_task(saved, content, caplog):
    article = ArticleFactory()
    Image.objects.all().delete()
    name = "articles/broken.jpg"
    if content is not None:
        default_storage.save(name, ContentFile(content))
    type(article).objects.filter(pk=article.pk).update(featured_image=name)
    from images.tasks import make_renditions

    assert make_renditions.call(names=[name, "../../etc/passwd", "renditions/x-jpg-320w.jpg"]) == 0
    assert not Image.objects.exists()
    assert "No renditions for 'articles/broken.jpg'" in caplog.text
