"""What a reader's browser gets: <picture> with WebP and the original format, srcset,
sizes that follow the layout, width and height, lazy below the fold; the plain original
until the renditions exist; hostile body <img> tags left alone."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from images.html import image_names_in
from images.layout import SIZES, body_image_sizes
from images.models import Image
from tests.factories import ArticleFactory
from tests.images.helpers import image_file, images_on, srcset_widths
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

ELSEWHERE = '<img src="https://tracker.example/pixel.jpg" alt="Another site">'
MISSING = '<img src="/media/uploads/2026/05/never-uploaded.png" alt="Missing">'


def upload(name: str, size=(1000, 500), fmt="PNG") -> str:
    return default_storage.save(name, ContentFile(image_file(fmt, size=size)))


@pytest.fixture
def illustrated(article, django_capture_on_commit_callbacks):
    """The article with a featured image, its author's photo, two uploaded images in
    its body (one floated), hostile <img> tags, and a related article with an image;
    the renditions are queued, not made yet."""
    chart = upload("uploads/2026/05/chart.png", size=(1000, 500))
    small = upload("uploads/2026/05/small.png", size=(300, 200))
    with django_capture_on_commit_callbacks(execute=True):
        article.body = (
            f'<p>Intro.</p><figure class="image"><img src="/media/{chart}" alt="A chart"></figure>'
            f'<figure class="image image-style-align-left"><img src="/media/{small}" alt="A detail" width="300"></figure>'
            f"<p>{ELSEWHERE}{MISSING}</p>"
            f'<p><img src="https://copycat.example/media/{chart}" alt="Same path, another site"></p>'
            f'<p><img src="/media/{chart}" alt="Junk size" width="wide" height="-4"></p>'
            f'<p><img src="/media/../../etc/passwd" alt="Escape"></p>'
        )
        article.featured_image.save("spine.jpg", ContentFile(image_file("JPEG", size=(1200, 800))))
        article.author.photo.save("maya.jpg", ContentFile(image_file("JPEG", size=(400, 400))))
        related = ArticleFactory(category=article.category, title="Related reading")
        related.featured_image.save("related.jpg", ContentFile(image_file("JPEG", size=(1600, 900))))
    return article


def images_of(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return images_on(response.content)


def by_alt(found: list[dict], alt: str) -> dict:
    (match,) = [image for image in found if image["img"].get("alt") == alt]
    return match


def test_before_the_task_runs_the_featured_image_is_the_plain_original_with_its_size(client, illustrated):
    featured = by_alt(images_of(client, illustrated.get_absolute_url()), "Illustration of a spine")
    assert not featured["picture"]
    img = featured["img"]
    assert img["src"] == illustrated.featured_image.url
    assert (img["width"], img["height"]) == ("1200", "800")
    assert (img["loading"], img["fetchpriority"], img["decoding"]) == ("eager", "high", "async")
    assert "srcset" not in img


def test_after_the_task_runs_the_featured_image_is_a_picture_with_webp_first(client, illustrated):
    url = illustrated.get_absolute_url()
    client.get(url)  # the page is cached as it was ...
    run_queued_tasks()  # ... and the renditions' rows, saved, make it stale
    featured = by_alt(images_of(client, url), "Illustration of a spine")
    assert featured["picture"]
    (webp,) = featured["sources"]
    img = featured["img"]
    assert webp["type"] == "image/webp"
    assert set(srcset_widths(webp["srcset"])) == set(srcset_widths(img["srcset"])) == {320, 480, 800, 1200}
    assert all(u.endswith(".webp") for u in srcset_widths(webp["srcset"]).values())
    assert all(u.endswith(".jpg") for u in srcset_widths(img["srcset"]).values())
    assert img["src"] == srcset_widths(img["srcset"])[800]
    assert webp["sizes"] == img["sizes"] == SIZES["article"]
    assert (img["width"], img["height"], img["alt"]) == ("1200", "800", "Illustration of a spine")
    assert (img["loading"], img["fetchpriority"], img["decoding"]) == ("eager", "high", "async")


def test_every_rendition_a_page_lists_is_served(client, illustrated):
    run_queued_tasks()
    urls = set()
    for found in images_of(client, illustrated.get_absolute_url()):
        for attrs in [*found["sources"], found["img"]]:
            urls |= set(srcset_widths(attrs.get("srcset", "")).values()) if attrs.get("srcset") else set()
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] in {"image/webp", "image/jpeg", "image/png"}, url


def test_body_images_become_lazy_pictures_with_the_size_they_lacked(client, illustrated):
    run_queued_tasks()
    found = images_of(client, illustrated.get_absolute_url())
    chart = by_alt(found, "A chart")
    assert chart["picture"] and chart["sources"][0]["type"] == "image/webp"
    img = chart["img"]
    assert (img["width"], img["height"]) == ("1000", "500")  # from the Image row
    assert (img["loading"], img["decoding"]) == ("lazy", "async")
    assert set(srcset_widths(img["srcset"])) == {320, 480, 800, 1000}
    assert img["sizes"] == body_image_sizes(1000) == "(max-width: 42rem) calc(100vw - 2rem), 40rem"
    detail = by_alt(found, "A detail")["img"]
    assert (detail["width"], detail["height"]) == ("300", "200")  # height completed from the shape
    assert set(srcset_widths(detail["srcset"])) == {300}
    assert detail["sizes"] == body_image_sizes(300, aligned=True)


def test_hostile_body_images_are_left_exactly_as_they_were(client, illustrated):
    run_queued_tasks()
    response = client.get(illustrated.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert ELSEWHERE in html and MISSING in html
    assert '<img src="/media/../../etc/passwd" alt="Escape">' in html
    assert f'<img src="https://copycat.example/media/{Image.objects.get(width=1000).name}" alt="Same path, another site">' in html
    junk = by_alt(images_on(html), "Junk size")
    assert not junk["picture"] and (junk["img"]["width"], junk["img"]["height"]) == ("wide", "-4")


def test_the_home_page_lead_is_eager_and_the_cards_lazy(client, illustrated):
    run_queued_tasks()
    found = [image for image in images_of(client, "/") if image["picture"]]
    lead, card = found[0]["img"], found[1]["img"]
    assert lead["class"] == "lead__image" and lead["sizes"] == SIZES["lead"]
    assert (lead["loading"], lead["fetchpriority"]) == ("eager", "high")
    assert card["class"] == "card__image" and card["sizes"] == SIZES["card"]
    assert card["loading"] == "lazy" and "fetchpriority" not in card
    assert (card["width"], card["height"]) in {("1200", "800"), ("1600", "900")}


@pytest.mark.parametrize("url", ["/category/health/", "/search/?q=Related", "/author/maya-okafor/"])
def test_cards_on_lists_are_lazy_pictures(client, illustrated, url):
    run_queued_tasks()
    cards = [image for image in images_of(client, url) if image["img"].get("class") == "card__image"]
    assert cards
    for card in cards:
        assert card["picture"] and card["img"]["loading"] == "lazy" and card["img"]["sizes"] == SIZES["card"]


def test_related_articles_use_the_compact_cards_sizes(client, illustrated):
    run_queued_tasks()
    (related,) = [image for image in images_of(client, illustrated.get_absolute_url())
                  if image["img"].get("class") == "card__image"]
    assert related["img"]["sizes"] == SIZES["card-compact"]
    assert (related["img"]["width"], related["img"]["height"]) == ("1600", "900")


def test_author_photos_keep_their_square_box(client, illustrated):
    run_queued_tasks()
    box = by_alt(images_of(client, illustrated.get_absolute_url()), "Photo of Maya Okafor")
    assert box["picture"]
    assert (box["img"]["width"], box["img"]["height"], box["img"]["loading"]) == ("96", "96", "lazy")
    assert box["img"]["sizes"] == "96px" and set(srcset_widths(box["img"]["srcset"])) == {320, 400}
    header = by_alt(images_of(client, "/author/maya-okafor/"), "Photo of Maya Okafor")
    assert (header["img"]["width"], header["img"]["height"], header["img"]["loading"]) == ("128", "128", "eager")


def test_a_gif_stays_a_plain_image_with_its_size(client, article, django_capture_on_commit_callbacks):
    from tests.images.helpers import gif_file

    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image.save("moving.gif", ContentFile(gif_file(frames=2)))
    run_queued_tasks()
    assert Image.objects.get().format == "GIF"
    featured = by_alt(images_of(client, article.get_absolute_url()), "Illustration of a spine")
    assert not featured["picture"]
    assert (featured["img"]["src"], featured["img"]["width"]) == (article.featured_image.url, "400")


def test_renditions_are_same_origin_images_the_policy_allows(client, illustrated):
    run_queued_tasks()
    response = client.get(illustrated.get_absolute_url())
    assert "img-src 'self'" in response["Content-Security-Policy"]
    for found in images_on(response.content):
        if found["picture"]:
            for attrs in [*found["sources"], found["img"]]:
                assert all(url.startswith("/media/") for url in srcset_widths(attrs["srcset"]).values())


@pytest.mark.parametrize("src", [
    "https://elsewhere.example/media/uploads/a.png",  # another site, same path
    "/media/uploads/../../secret.png",  # out of the upload folder
    "/media/uploads/../renditions/a-png-320w.webp",
    "/media/renditions/uploads/a-png-320w.webp",  # a rendition pasted into the body
    "/media/uploads/a.png?w=100",
    "/static/img/logo.png",
    "",
])
def test_only_uploaded_originals_are_read_from_a_body(src):
    assert image_names_in(f'<p><img src="{src}" alt=""></p>') == []


def test_uploaded_originals_are_read_from_a_body_in_any_spelling():
    html = ('<img src="/media/uploads/a.png"><IMG alt="x" SRC=\'/media/uploads/b%20c.jpg\'>'
            '<img src="http://localhost:8000/media/uploads/d.png"><img src="/media/uploads/a.png">')
    assert image_names_in(html) == ["uploads/a.png", "uploads/b c.jpg", "uploads/d.png"]
