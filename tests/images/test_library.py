"""The media library: editors upload images in admin (real images only, stored under a
name of the library's choosing), describe them for readers who cannot see them, find
them again; pages use the library's alt text where an article's <img> has none."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.site import absolute_url
from images import services
from images.admin import ImageAdmin
from images.html import responsive_images
from images.models import Image
from tests.images.helpers import image_file, images_on, phone_photo
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

ADD = reverse("admin:images_image_add")
LIST = reverse("admin:images_image_changelist")
LIBRARY_NAME = re.compile(r"library/\d{4}/\d{2}/[a-z0-9]{16}\.(png|jpg|gif|webp)")


def upload(client, content: bytes, name="photo.png", content_type="image/png", **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type=content_type), "alt_text": "",
            "caption": "", "credit": "", **fields}
    return client.post(ADD, data)


def library_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "library"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def stored(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def test_an_editor_uploads_an_image_in_admin_and_it_is_recorded_under_a_random_name(
    staff_client, settings, django_user_model, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            staff_client, image_file("PNG", size=(1000, 600)), name="Annual report.pdf",
            content_type="application/pdf", alt_text="A red and a blue block side by side",
            caption="Two colours.", credit="Photo: Jane Doe",
        )
    assert response.status_code == 302
    image = Image.objects.get()
    assert LIBRARY_NAME.fullmatch(image.name) and image.name.endswith(".png")
    assert "report" not in image.name.lower()
    assert (image.format, image.width, image.height) == ("PNG", 1000, 600)
    assert image.uploaded_by == django_user_model.objects.get(username="editor")
    assert (image.alt_text, image.caption, image.credit) == (
        "A red and a blue block side by side", "Two colours.", "Photo: Jane Doe",
    )
    assert default_storage.exists(image.name)
    assert DBTaskResult.objects.count() == 1  # its renditions are queued
    run_queued_tasks()
    image.refresh_from_db()
    assert image.widths == [320, 480, 800, 1000]
    assert image.alt_text == "A red and a blue block side by side"


def test_a_phone_photo_is_recorded_with_the_size_readers_see_it_at(staff_client):
    assert upload(staff_client, phone_photo(size=(1000, 600)), name="IMG_0001.JPG").status_code == 302
    image = Image.objects.get()
    assert (image.format, image.width, image.height) == ("JPEG", 600, 1000)
    assert image.name.endswith(".jpg")


TRUNCATED_JPEG = image_file("JPEG", size=(300, 200))[:-200]
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"Minutes of the meeting, not a picture.\n" * 20, "minutes.png", "not an image we can read"),
    (TRUNCATED_JPEG, "cut-short.jpg", "damaged or incomplete"),
    (HTML_PAGE, "innocent.png", "not an image we can read"),
], ids=["text", "truncated", "html-named-png"])
def test_what_is_not_a_whole_image_is_refused_on_the_file_field_and_nothing_is_stored(
    staff_client, settings, content, name, message,
):
    response = upload(staff_client, content, name=name, alt_text="Something")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"] and message in errors["file"][0]
    assert not Image.objects.exists()
    assert library_files(settings) == []


def test_staff_without_the_add_permission_cannot_add_images(client, django_user_model, settings):
    user = django_user_model.objects.create_user("writer", password="a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(user)
    assert client.get(ADD).status_code == 403
    assert upload(client, image_file("PNG")).status_code == 403
    assert not Image.objects.exists() and library_files(settings) == []


def test_staff_with_the_add_permission_can_add_images(client, django_user_model):
    user = django_user_model.objects.create_user("photo-editor", password="a-long-password-1", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_image", "view_image"]))
    client.force_login(user)
    assert client.get(ADD).status_code == 200
    assert upload(client, image_file("PNG"), alt_text="Blocks").status_code == 302
    assert Image.objects.get().uploaded_by == user


def test_decorative_images_take_no_alt_text(staff_client, settings):
    response = upload(staff_client, image_file("PNG"), alt_text="A pattern", decorative="on")
    assert response.status_code == 200
    assert "A decorative image has no alt text" in str(response.context["adminform"].form.errors)
    assert not Image.objects.exists() and library_files(settings) == []


@pytest.fixture
def library(settings):
    """Three images: described and with renditions made, decorative, and undescribed
    with no renditions yet."""
    return {
        "described": Image.objects.create(
            name="library/2026/05/chart.png", width=1000, height=500, format="PNG", widths=[320, 480, 800, 1000],
            alt_text="Bar chart of sleep by age", caption="Older adults sleep less.", credit="Data: Sleep Survey",
        ),
        "decorative": Image.objects.create(
            name="library/2026/05/flourish.png", width=600, height=100, format="PNG", decorative=True,
        ),
        "undescribed": Image.objects.create(name="library/2026/05/tides.jpg", width=400, height=800, format="JPEG"),
    }


def listed_images(response) -> dict[str, dict]:
    return {found["img"]["src"]: found["img"] for found in images_on(response.content)}


def test_the_list_shows_thumbnails_with_their_size_and_alt_text(staff_client, library):
    response = staff_client.get(LIST)
    thumbnails = listed_images(response)
    smallest = thumbnails["/media/renditions/library/2026/05/chart-png-320w.png"]
    assert (smallest["width"], smallest["height"], smallest["alt"]) == ("80", "40", "Bar chart of sleep by age")
    original = thumbnails["/media/library/2026/05/tides.jpg"]  # no renditions yet
    assert (original["width"], original["height"], original["alt"]) == ("40", "80", "")
    html = response.content.decode()
    assert "Alt text missing" in html and "Decorative" in html


def test_alt_text_missing_is_said_of_undescribed_images_only(staff_client, library):
    response = staff_client.get(LIST, {"alt_text": "missing"})
    assert list(response.context["cl"].result_list) == [library["undescribed"]]
    assert response.content.decode().count("<strong>Alt text missing</strong>") == 1


@pytest.mark.parametrize("words", ["sleep by age", "older adults", "sleep survey", "chart.png"])
def test_search_finds_images_by_alt_text_caption_credit_and_name(staff_client, library, words):
    response = staff_client.get(LIST, {"q": words})
    assert list(response.context["cl"].result_list) == [library["described"]]


def test_the_change_form_shows_a_preview_and_the_address_to_paste(staff_client, library):
    image = library["described"]
    response = staff_client.get(reverse("admin:images_image_change", args=[image.pk]))
    html = response.content.decode()
    preview = listed_images(response)["/media/renditions/library/2026/05/chart-png-800w.png"]
    assert (preview["width"], preview["height"], preview["alt"]) == ("400", "200", "Bar chart of sleep by age")
    assert f'<div class="readonly">{absolute_url("/media/library/2026/05/chart.png")}</div>' in html
    form = response.context["adminform"].form
    assert set(form.fields) == {"alt_text", "decorative", "caption", "credit"}


def test_editors_change_the_description_but_not_the_file(staff_client, library):
    image = library["undescribed"]
    response = staff_client.post(reverse("admin:images_image_change", args=[image.pk]), {
        "alt_text": "The tide coming in", "caption": "", "credit": "",
        "name": "library/elsewhere.jpg", "width": "1", "height": "1", "format": "GIF",
    })
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "The tide coming in"
    assert (image.name, image.width, image.height, image.format) == ("library/2026/05/tides.jpg", 400, 800, "JPEG")


def test_library_add_records_a_stored_image_once(django_user_model, django_capture_on_commit_callbacks):
    editor = django_user_model.objects.create_user("editor")
    name = stored("uploads/2026/05/nerve.png", image_file("PNG", size=(640, 480)))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.library_add(name=name, uploaded_by=editor, alt_text="The sciatic nerve")
    again = services.library_add(name=name, uploaded_by=None, alt_text="Something else")
    assert again.pk == first.pk and Image.objects.count() == 1
    again.refresh_from_db()
    assert (again.width, again.height, again.format) == (640, 480, "PNG")
    assert (again.alt_text, again.uploaded_by) == ("The sciatic nerve", editor)
    run_queued_tasks()
    assert Image.objects.get().widths == [320, 480, 640]


def test_library_add_fills_in_alt_text_only_where_there_is_none(library):
    for image in library.values():
        stored(image.name, image_file(image.format, size=(image.width, image.height)))
    assert services.library_add(name=library["undescribed"].name, alt_text="Tides").alt_text == "Tides"
    assert services.library_add(name=library["decorative"].name, alt_text="A flourish").alt_text == ""
    assert services.library_add(name=library["described"].name, alt_text="A chart").alt_text == (
        "Bar chart of sleep by age"
    )


def test_library_add_keeps_a_row_the_renditions_task_made_first(django_user_model):
    name = stored("uploads/2026/05/made.png", image_file("PNG", size=(500, 300)))
    services.renditions_make(names=[name])
    editor = django_user_model.objects.create_user("editor")
    image = services.library_add(name=name, uploaded_by=editor, alt_text="Made first")
    assert (image.widths, image.uploaded_by, image.alt_text) == ([320, 480, 500], editor, "Made first")


@pytest.mark.parametrize(("name", "data"), [
    ("uploads/2026/05/missing.png", None),
    ("uploads/2026/05/notes.png", b"not an image"),
    ("uploads/2026/05/cut.jpg", TRUNCATED_JPEG),
    ("renditions/uploads/2026/05/x-png-320w.png", image_file("PNG")),
    ("../outside.png", None),
])
def test_library_add_refuses_what_is_not_a_readable_original(name, data):
    if data is not None:
        name = stored(name, data)
    with pytest.raises(services.OriginalUnreadable):
        services.library_add(name=name, alt_text="Anything")
    assert not Image.objects.exists()


def test_alt_text_an_editor_saves_while_renditions_are_made_is_kept():
    name = stored("uploads/2026/05/slow.png", image_file("PNG", size=(500, 300)))
    services.library_add(name=name)
    store = services._store

    def store_while_an_editor_saves(rendition, data):
        Image.objects.filter(name=name).update(alt_text="Written meanwhile")
        store(rendition, data)

    with mock.patch.object(services, "_store", store_while_an_editor_saves):
        services.renditions_make(names=[name])
    image = Image.objects.get(name=name)
    assert (image.alt_text, image.widths) == ("Written meanwhile", [320, 480, 500])


def test_an_image_recorded_while_its_renditions_are_made_keeps_its_row_and_gets_them():
    name = stored("uploads/2026/05/new.png", image_file("PNG", size=(500, 300)))
    store = services._store

    def store_while_the_editor_endpoint_records_it(rendition, data):
        if not Image.objects.filter(name=name).exists():
            services.library_add(name=name, alt_text="Recorded meanwhile")
        store(rendition, data)

    with mock.patch.object(services, "_store", store_while_the_editor_endpoint_records_it):
        report = services.renditions_make(names=[name])
    assert report.made == 1
    image = Image.objects.get(name=name)
    assert (image.alt_text, image.widths) == ("Recorded meanwhile", [320, 480, 500])


def test_renditions_made_while_an_editor_saves_the_description_are_kept(staff_client, library):
    image = library["undescribed"]
    get_object = ImageAdmin.get_object

    def get_object_then_the_task_saves(self, request, object_id, from_field=None):
        stale = get_object(self, request, object_id, from_field)
        Image.objects.filter(pk=image.pk).update(widths=[320, 400])
        return stale

    with mock.patch.object(ImageAdmin, "get_object", get_object_then_the_task_saves):
        response = staff_client.post(reverse("admin:images_image_change", args=[image.pk]), {
            "alt_text": "The tide coming in", "caption": "", "credit": "",
        })
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.widths) == ("The tide coming in", [320, 400])


def test_images_missing_alt_text_are_the_undescribed_ones_not_the_decorative(library):
    names = [image.name for image in library.values()] + ["uploads/not-in-the-library.png"]
    assert list(Image.objects.missing_alt_text().by_name(names)) == ["library/2026/05/tides.jpg"]


def body_img(image: Image, alt: str | None) -> str:
    alt_attribute = "" if alt is None else f' alt="{alt}"'
    return f'<p><img src="/media/{image.name}"{alt_attribute}></p>'


@pytest.mark.parametrize(("which", "alt", "shown"), [
    ("described", None, "Bar chart of sleep by age"),
    ("described", "", "Bar chart of sleep by age"),
    ("described", "Sleep falls with age", "Sleep falls with age"),
    ("decorative", None, ""),
    ("undescribed", "", ""),
    ("undescribed", None, None),
])
def test_body_images_take_the_library_alt_text_when_they_have_none(library, which, alt, shown):
    image = library[which]
    (found,) = images_on(responsive_images(body_img(image, alt), {image.name: image}))
    assert found["picture"] is image.is_ready
    assert found["img"].get("alt") == shown


def test_the_article_page_shows_the_library_alt_text(client, article, library):
    image = library["described"]
    article.body = f'<p>Intro.</p><figure class="image"><img src="/media/{image.name}" alt=""></figure>'
    article.save()
    (found,) = [found for found in images_on(client.get(article.get_absolute_url()).content)
                if image.name.rsplit("/", 1)[1].split(".")[0] in found["img"].get("src", "")]
    assert found["picture"] and found["img"]["alt"] == "Bar chart of sleep by age"
