"""Uploads can only become images.

Every way an editor gets a file onto the site (an article's featured image, an author's
photo, a partner's logo and a house ad's image in admin, the media library's upload form,
and the rich-text editor's upload) follows one rule: a JPEG, PNG, GIF or WebP image by its
content, within the size and pixel caps, decoded whole; stored encoded again (pixels only,
upright) under a random name with its format's extension in that way's own folder; and
served so that no browser runs anything in it.
"""

import io
import re
import struct
import warnings
import zlib
from dataclasses import dataclass
from functools import cache

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as Pillow

from articles.models import Article
from authors.models import Author
from images.models import Image
from partners.models import AdPlacement, AffiliatePartner
from tests.editor_http import Browser
from tests.forms import form_fields
from tests.images.helpers import BLUE, CAMERA, RED, gif_file, image_file, phone_photo
from tests.liveserver import LiveSite, http_get
from tests.storage import s3_storages

pytestmark = pytest.mark.django_db


# --- The ways in ----------------------------------------------------------------------


@dataclass
class Sent:
    """What became of one upload: the stored name when it was taken, else the error."""

    stored: str | None
    error: str | None


# way: (app, model, field, upload folder), for the image fields edited in admin
ADMIN_FIELDS = {
    "featured image": ("articles", "article", "featured_image", "articles/"),
    "author photo": ("authors", "author", "photo", "authors/"),
    "partner logo": ("partners", "affiliatepartner", "logo", "partners/"),
    "ad image": ("partners", "adplacement", "image", "ads/"),
}
FOLDERS = {**{way: folder for way, (*_, folder) in ADMIN_FIELDS.items()},
           "media library": "library/", "rich-text editor": "uploads/"}
WAYS = list(FOLDERS)
MODELS = {"article": Article, "author": Author, "affiliatepartner": AffiliatePartner, "adplacement": AdPlacement}


@pytest.fixture
def objects(article):
    """One row of each model with an image field, as editors find them in admin."""
    return {
        "article": article,
        "author": article.author,
        "affiliatepartner": AffiliatePartner.objects.create(
            name="Heat Packs Inc", slug="heat-packs", website="https://heat.example", domains="heat.example",
        ),
        "adplacement": AdPlacement.objects.create(
            name="House ad", position=AdPlacement.Position.BELOW_ARTICLE, headline="Warm up", link="/about/",
            image_alt="A heat pack",
        ),
    }


@pytest.fixture
def send(staff_client, objects):
    """``send(way, content, name, content_type)``: upload ``content`` as an editor does,
    that way, and say what became of it."""
    forms = {}

    def send(way: str, content: bytes, name: str = "picture.png", content_type: str = "image/png") -> Sent:
        upload = SimpleUploadedFile(name, content, content_type=content_type)
        if way == "rich-text editor":
            response = staff_client.post(reverse("articles:editor_upload"), {"upload": upload})
            answer = response.json()
            if response.status_code == 200:
                name = Image.objects.order_by("-pk").first().name  # recorded in the media library
                assert answer["url"] == default_storage.url(name)
                return Sent(name, None)
            assert response.status_code == 400, answer
            return Sent(None, answer["error"]["message"])
        if way == "media library":
            response = staff_client.post(reverse("admin:images_image_add"), {
                "file": upload, "alt_text": "A picture", "caption": "", "credit": "",
            })
            if response.status_code == 302:
                return Sent(Image.objects.order_by("-pk").first().name, None)
            return Sent(None, " ".join(response.context["adminform"].form.errors["file"]))
        app, model, field, _ = ADMIN_FIELDS[way]
        row = objects[model]
        url = reverse(f"admin:{app}_{model}_change", args=[row.pk])
        if url not in forms:  # the form as the editor opened it, read once
            page = staff_client.get(url)
            assert page.status_code == 200
            forms[url] = form_fields(page.content.decode(), f"{model}_form")
        response = staff_client.post(url, {**forms[url], field: upload})
        if response.status_code == 302:
            del forms[url]  # saved: the next upload opens the form again (its version moved on)
            return Sent(getattr(MODELS[model].objects.get(pk=row.pk), field).name, None)
        errors = response.context["adminform"].form.errors
        assert list(errors) == [field], errors
        return Sent(None, " ".join(errors[field]))

    return send


def files_in(settings) -> set[str]:
    """Every file stored under MEDIA_ROOT, by storage name."""
    root = settings.MEDIA_ROOT
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name) as file:
        return file.read()


def decoded(data: bytes) -> Pillow.Image:
    image = Pillow.open(io.BytesIO(data))
    image.load()
    return image


def random_name_in(folder: str, extension: str) -> re.Pattern:
    return re.compile(rf"{folder}(\d{{4}}/\d{{2}}/)?[a-z0-9]{{16}}\.{extension}")


# --- Files that are not what they say, or not images we take ---------------------------


@cache
def made_with_pillow(fmt: str, mode="RGB", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Pillow.new(mode, size, 1 if mode == "1" else (30, 80, 120)).save(out, fmt)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # bilevel
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))


@cache
def real_bomb() -> bytes:
    """A real 8000 × 8000 picture (64 million pixels) in about 8 kB."""
    out = io.BytesIO()
    Pillow.new("1", (8000, 8000)).save(out, "PNG", optimize=True)
    return out.getvalue()


SCRIPT = b"<script>alert(document.domain)</script>"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10' onload='alert(1)'><rect/></svg>"

NOT_ACCEPTED = {
    "SVG": (SVG, "drawing.svg"),
    "HTML": (b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>", "page.png"),
    "BMP": (made_with_pillow("BMP"), "picture.png"),
    "TIFF": (made_with_pillow("TIFF"), "picture.png"),
    "XBM": (made_with_pillow("XBM", mode="1"), "picture.png"),
    "EPS": (made_with_pillow("EPS"), "picture.png"),
    "PDF": (made_with_pillow("PDF"), "picture.png"),
    "ICO": (made_with_pillow("ICO", size=(32, 32)), "favicon.png"),
}


@pytest.mark.parametrize("way", WAYS)
def test_only_jpeg_png_gif_and_webp_content_is_taken_whatever_the_name_says(send, settings, way):
    for kind, (content, name) in NOT_ACCEPTED.items():
        sent = send(way, content, name=name, content_type="image/png")
        assert sent.stored is None, kind
        assert "not an image we can read" in sent.error and "JPEG, PNG, GIF or WebP" in sent.error, kind
    assert files_in(settings) == set()


@pytest.mark.parametrize("way", WAYS)
def test_an_empty_file_is_refused(send, settings, way):
    sent = send(way, b"", name="picture.png")
    assert sent.stored is None and sent.error
    assert files_in(settings) == set()


@pytest.mark.parametrize("way", WAYS)
def test_a_truncated_image_is_refused_as_damaged(send, settings, way):
    for fmt in ("PNG", "JPEG", "GIF", "WEBP"):
        whole = image_file(fmt, size=(300, 200))
        sent = send(way, whole[: len(whole) * 2 // 3], name=f"cut.{fmt.lower()}")
        assert sent.stored is None and "damaged or incomplete" in sent.error, fmt
    assert files_in(settings) == set()


@pytest.mark.parametrize("way", WAYS)
def test_a_png_named_pdf_is_stored_as_a_png_under_a_random_name_in_its_folder(send, way):
    sent = send(way, image_file("PNG", size=(64, 48)), name="Annual report.pdf", content_type="application/pdf")
    assert sent.error is None
    assert random_name_in(FOLDERS[way], "png").fullmatch(sent.stored), sent.stored
    assert decoded(stored_bytes(sent.stored)).format == "PNG"


@pytest.mark.parametrize("way", WAYS)
def test_each_accepted_format_keeps_its_own_extension(send, way):
    for fmt, extension in [("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")]:
        sent = send(way, image_file(fmt, size=(64, 48)), name="picture.png", content_type="image/png")
        assert random_name_in(FOLDERS[way], extension).fullmatch(sent.stored), sent.stored
        assert decoded(stored_bytes(sent.stored)).format == fmt


HOSTILE_NAMES = [
    "../../../x.png", "..\\..\\x.png", "/etc/passwd.png", "a\x00.png", "é" * 300 + ".png", "фото 📷.png",
    ".htaccess", "x.png.html", "<script>.png",
]


@pytest.mark.parametrize("way", WAYS)
def test_hostile_file_names_never_choose_where_or_under_what_name_a_file_is_stored(send, settings, way):
    for name in HOSTILE_NAMES:
        sent = send(way, image_file("PNG", size=(40, 30)), name=name)
        assert sent.error is None, (name, sent.error)
        assert random_name_in(FOLDERS[way], "png").fullmatch(sent.stored), (name, sent.stored)
    # Nothing was written beside the upload folder (tmp_path holds MEDIA_ROOT).
    outside = [path for path in settings.MEDIA_ROOT.parent.rglob("*")
               if path.is_file() and settings.MEDIA_ROOT not in path.parents]
    assert outside == []


# --- Too big ---------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_a_tiny_file_claiming_too_many_pixels_is_refused_before_it_is_decoded(send, settings, way):
    # 48 million pixels is over MAX_IMAGE_PIXELS (40 million); 100 million is over Pillow's
    # own limit, where it warns; 10 billion, where it raises.
    for width, height in [(8000, 6000), (10_000, 10_000), (100_000, 100_000)]:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            sent = send(way, png_claiming(width, height))
        assert sent.stored is None and "too large to publish" in sent.error, (width, height)
        assert not [w for w in warned if issubclass(w.category, Pillow.DecompressionBombWarning)]
    assert files_in(settings) == set()


@pytest.mark.parametrize("way", WAYS)
def test_a_real_image_over_the_pixel_cap_is_refused_with_its_size(send, settings, way):
    assert len(real_bomb()) < settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    sent = send(way, real_bomb(), name="bomb.png")
    assert sent.stored is None
    assert sent.error == "This image is 8000×8000 pixels, which is too large to publish."


@pytest.mark.parametrize("way", WAYS)
def test_an_animation_counts_the_pixels_of_all_its_frames(send, settings, way):
    settings.MAX_IMAGE_PIXELS = 100 * 100 * 4
    sent = send(way, gif_file(size=(100, 100), frames=5), name="five.gif")
    assert sent.stored is None
    assert sent.error.startswith("This animation is 100×100 pixels in 5 frames, which is too large to publish")
    sent = send(way, gif_file(size=(100, 100), frames=4), name="four.gif")
    assert sent.error is None and decoded(stored_bytes(sent.stored)).n_frames == 4


@pytest.mark.parametrize("way", WAYS)
def test_a_file_over_the_size_cap_is_refused(send, settings, way):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    big = image_file("PNG", size=(40, 30)) + b"\x00" * (1024 * 1024)
    sent = send(way, big)
    assert sent.stored is None and "the largest allowed is 1 MB" in sent.error


# --- Stored clean --------------------------------------------------------------------------


def png_html_polyglot() -> bytes:
    """A real PNG that is also an HTML page: the page in a text chunk, and again after the end."""
    png = image_file("PNG", size=(60, 40))
    end = png.rindex(b"IEND") - 4
    page = b"<html><body>" + SCRIPT + b"</body></html>"
    return png[:end] + png_chunk(b"tEXt", b"Comment\x00" + page) + png[end:] + page


def gif_javascript_polyglot() -> bytes:
    """A real GIF that is also a script: 10,799 pixels wide, its header reads `GIF89a/*`,
    and a comment closes the JavaScript comment and runs code."""
    out = io.BytesIO()
    Pillow.new("RGB", (0x2A2F, 2), RED).save(out, "GIF", comment=b"*/=alert(document.domain);/*")
    return out.getvalue() + b"*/"


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("polyglot, payload", [
    (png_html_polyglot, b"<script"), (gif_javascript_polyglot, b"alert("),
], ids=["png-html", "gif-javascript"])
def test_a_polyglot_is_stored_as_its_picture_alone(send, way, polyglot, payload):
    original = polyglot()
    assert payload in original
    sent = send(way, original, name="innocent.png")
    data = stored_bytes(sent.stored)
    assert payload not in data
    assert decoded(data).convert("RGB").tobytes() == decoded(original).convert("RGB").tobytes()


@pytest.mark.parametrize("way", WAYS)
def test_a_phone_photo_is_stored_upright_without_its_camera_gps_xmp_or_comment(send, way):
    original = phone_photo(size=(1000, 600), orientation=6)
    assert CAMERA.encode() in original and b"GPSLatitude" in original
    sent = send(way, original, name="IMG_0001.JPG", content_type="image/jpeg")
    data = stored_bytes(sent.stored)
    for secret in (CAMERA.encode(), b"shot at home", b"GPSLatitude", b"Exif\x00\x00", b"xmpmeta"):
        assert secret not in data, secret
    stored = decoded(data)
    assert not stored.getexif() and not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert stored.size == (600, 1000)  # turned as the phone said, so no tag is needed

    def near(pixel, colour):
        return all(abs(a - b) < 40 for a, b in zip(pixel, colour))

    assert near(stored.getpixel((300, 100)), RED) and near(stored.getpixel((300, 900)), BLUE)


def test_an_upright_photo_in_admin_stores_the_size_readers_see(send):
    sent = send("featured image", phone_photo(size=(1000, 600), orientation=6), name="IMG_0002.JPG")
    article = Article.objects.get(featured_image=sent.stored)
    assert (article.featured_image_width, article.featured_image_height) == (600, 1000)


@pytest.mark.parametrize("way", WAYS)
def test_an_animated_gif_stays_animated_with_its_timing(send, way):
    frames = [Pillow.new("RGB", (80, 60), colour) for colour in (RED, BLUE, (20, 160, 20))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=b"made by a stranger")
    sent = send(way, out.getvalue(), name="spinner.gif", content_type="image/gif")
    data = stored_bytes(sent.stored)
    assert b"made by a stranger" not in data
    stored = decoded(data)
    assert stored.n_frames == 3 and stored.info["loop"] == 0
    durations, colours = [], []
    for number in range(3):
        stored.seek(number)
        durations.append(stored.info["duration"])
        colours.append(stored.convert("RGB").getpixel((40, 30)))
    assert durations == [100, 200, 300]
    assert colours == [RED, BLUE, (20, 160, 20)]


def test_a_stored_image_written_from_the_shell_is_cleaned_too(article):
    # Not only forms: whoever saves a field (a shell, an import) goes through the same rule.
    article.featured_image.save("../../evil.png", ContentFile(png_html_polyglot()))
    assert random_name_in("articles/", "png").fullmatch(article.featured_image.name)
    assert b"<script" not in stored_bytes(article.featured_image.name)


# --- Served so nothing runs ------------------------------------------------------------------


MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


@pytest.mark.parametrize("way", WAYS)
def test_an_uploaded_image_is_served_as_its_format_never_sniffed_and_sandboxed(send, client, way):
    sent = send(way, png_html_polyglot(), name="innocent.html", content_type="text/html")
    response = client.get("/media/" + sent.stored)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    for header, value in MEDIA_HEADERS.items():
        assert response[header] == value, header
    assert b"".join(response.streaming_content) == stored_bytes(sent.stored)


@pytest.mark.parametrize("name, content_type", [
    ("authors/old.JPG", "image/jpeg"), ("partners/old.jpeg", "image/jpeg"), ("ads/old.webp", "image/webp"),
    ("uploads/old.gif", "image/gif"),
])
def test_images_stored_before_keep_being_served_as_images(client, name, content_type):
    stored = default_storage.save(name, ContentFile(image_file("PNG")))
    response = client.get("/media/" + stored)
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert not response.get("Content-Disposition", "").startswith("attachment")
    for header, value in MEDIA_HEADERS.items():
        assert response[header] == value, header


@pytest.mark.parametrize("name", [
    "partners/logo.pdf", "authors/photo.eps", "ads/banner.xbm", "uploads/drawing.svg", "uploads/page.html",
    "uploads/no-extension", ".htaccess",
])
def test_a_file_stored_before_under_another_extension_is_only_ever_downloaded(client, name):
    # What admin's image fields kept before: the uploader's name and extension.
    stored = default_storage.save(name, ContentFile(png_html_polyglot()))
    response = client.get("/media/" + stored)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    for header, value in MEDIA_HEADERS.items():
        assert response[header] == value, header


def test_media_outside_the_folder_or_missing_is_refused(client, settings):
    (settings.MEDIA_ROOT.parent / "secret.png").write_bytes(image_file("PNG"))
    for path in ("/media/../secret.png", "/media/%2e%2e/secret.png", "/media/uploads/never.png"):
        assert client.get(path).status_code in (400, 404), path


# --- Object storage ------------------------------------------------------------------------


@pytest.fixture
def bucket(settings, s3_server):
    settings.STORAGES = s3_storages(settings.STORAGES, s3_server)
    client = boto3.client(
        "s3", endpoint_url=s3_server["S3_ENDPOINT_URL"], region_name=s3_server["S3_REGION"],
        aws_access_key_id=s3_server["S3_ACCESS_KEY_ID"], aws_secret_access_key=s3_server["S3_SECRET_ACCESS_KEY"],
    )
    return lambda name: client.head_object(Bucket=s3_server["S3_BUCKET"], Key=name)["ContentType"]


@pytest.mark.parametrize("way", WAYS)
def test_in_object_storage_the_content_type_is_the_detected_formats_not_the_browsers(send, bucket, way):
    sent = send(way, png_html_polyglot(), name="page.html", content_type="text/html")
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert sent.stored.endswith(".png") and bucket(sent.stored) == "image/png"
    sent = send(way, image_file("JPEG"), name="photo.svg", content_type="image/svg+xml")
    assert sent.stored.endswith(".jpg") and bucket(sent.stored) == "image/jpeg"


# --- Over a real server ----------------------------------------------------------------------


def test_gunicorn_serves_an_uploaded_polyglot_as_a_sandboxed_image(tmp_path, shared_services):
    with LiveSite(tmp_path, workers=1, **shared_services) as site:
        for command in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("ensure_admin",)):
            site.manage(*command)
        site.serve()
        editor = Browser(site).log_in_to_admin()
        status, _, answer = editor.post(
            "/editor/upload-image/", [], {"upload": ("page.html", png_html_polyglot(), "text/html")},
        )
        assert status == 200, (answer, site.server_log_tail())
        url = re.search(r'"url": "([^"]+)"', answer)[1]
        assert url.startswith("/media/uploads/") and url.endswith(".png")
        (site.var_dir / "media" / "partners").mkdir(parents=True)
        (site.var_dir / "media" / "partners" / "old.pdf").write_bytes(png_html_polyglot())

        status, headers, body = http_get(site.url(url))
        headers = {name.title(): value for name, value in headers.items()}
        assert status == 200 and b"<script" not in body
        assert headers["Content-Type"] == "image/png"
        for header, value in MEDIA_HEADERS.items():
            assert headers[header] == value, header
        status, headers, _ = http_get(site.url("/media/partners/old.pdf"))
        headers = {name.title(): value for name, value in headers.items()}
        assert status == 200
        assert (headers["Content-Type"], headers["Content-Disposition"]) == ("application/octet-stream", "attachment")
        for header, value in MEDIA_HEADERS.items():
            assert headers[header] == value, header
