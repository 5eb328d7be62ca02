import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db
URL = reverse("articles:editor_upload")


def upload(client, content, name="picture.png", content_type="image/png"):
    return client.post(URL, {"upload": SimpleUploadedFile(name, content, content_type=content_type)})


@pytest.mark.parametrize("fmt, ext", [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")])
def test_editor_uploads_a_real_image(staff_client, settings, fmt, ext):
    response = upload(staff_client, image_bytes(fmt), name=f"photo.{ext}")
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/uploads/") and url.endswith("." + ext)
    stored = settings.MEDIA_ROOT / url.removeprefix("/media/")
    assert Image.open(stored).format == fmt


def test_anonymous_visitor_cannot_upload(client):
    response = upload(client, image_bytes())
    assert response.status_code == 403
    assert "Only signed-in editors" in response.json()["error"]["message"]


def test_signed_in_non_staff_user_cannot_upload(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x-long-password-2"))
    assert upload(client, image_bytes()).status_code == 403


def test_text_file_renamed_png_is_refused_with_a_message(staff_client, settings):
    response = upload(staff_client, b"just some text, not a picture\n" * 10, name="notes.png")
    assert response.status_code == 400
    assert "not an image" in response.json()["error"]["message"]
    assert not (settings.MEDIA_ROOT / "uploads").exists()


@pytest.mark.parametrize(
    "content, name",
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.svg"),
        (b"<html><script>alert(1)</script></html>", "x.html"),
        (b"", "empty.png"),
        (image_bytes()[:40], "truncated.png"),
        (b"GIF89a" + b"\x00" * 50, "fake.gif"),
        (b"%PDF-1.4 fake", "doc.pdf"),
    ],
)
def test_hostile_and_malformed_files_are_refused(staff_client, content, name):
    response = upload(staff_client, content, name=name)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_files_over_the_size_cap_are_refused(staff_client, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    noisy = Image.frombytes("RGB", (800, 800), bytes(range(256)) * 7500)
    out = io.BytesIO()
    noisy.save(out, "PNG")
    big = out.getvalue() + b"\x00" * (1024 * 1024)
    response = upload(staff_client, big)
    assert response.status_code == 400
    assert "largest allowed is 1 MB" in response.json()["error"]["message"]


def test_images_one_pixel_row_over_the_pixel_cap_are_refused(staff_client, settings):
    settings.MAX_IMAGE_PIXELS = 1000
    assert upload(staff_client, image_bytes(size=(40, 25))).status_code == 200  # exactly the cap
    response = upload(staff_client, image_bytes(size=(40, 26)))  # 1,040 pixels
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "This image is 40×26 pixels, which is too large to publish."


def test_decompression_bombs_are_refused_with_the_default_cap(staff_client, settings):
    # 64 million pixels in an 8 kB file: small enough for the size cap, far over the pixel cap.
    bomb = io.BytesIO()
    Image.new("1", (8000, 8000)).save(bomb, "PNG", optimize=True)
    assert bomb.tell() < settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    assert 8000 * 8000 > settings.MAX_IMAGE_PIXELS
    response = upload(staff_client, bomb.getvalue(), name="bomb.png")
    assert response.status_code == 400
    assert "8000×8000 pixels, which is too large" in response.json()["error"]["message"]
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_missing_file_and_get_requests_are_4xx(staff_client):
    assert staff_client.post(URL, {}).status_code == 400
    assert staff_client.get(URL).status_code == 405


def test_same_file_name_twice_never_overwrites(staff_client):
    first = upload(staff_client, image_bytes(), name="chart.png").json()["url"]
    second = upload(staff_client, image_bytes(), name="chart.png").json()["url"]
    assert first != second


def test_featured_image_field_refuses_non_images(staff_client, article):
    data = {
        "title": article.title, "slug": article.slug, "category": article.category_id,
        "author": article.author_id, "summary": article.summary, "body": article.body,
        "featured_image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        "featured_image_alt": "", "status": "published",
        "publish_at_0": article.publish_at.strftime("%Y-%m-%d"), "publish_at_1": "00:00:00",
        "updated_on": article.updated_on.isoformat(),
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "featured_image" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert not article.featured_image


def test_resaving_an_article_with_a_stored_image_validates(article):
    from django.core.files.base import ContentFile

    article.featured_image.save("kept.png", ContentFile(image_bytes()))
    stored = type(article).objects.get(pk=article.pk)
    stored.full_clean()  # was a 500 in admin: the stored file was re-verified after closing
    stored.save()
