"""The demo's pictures are drawn by demo/images.py: abstract shapes, initials, two simple
drawings. Their alt texts live in the manifest; whether one describes its picture is a
person's judgement, but an empty one, or one that only repeats a name, is caught here."""

import io
import re

import pytest

from articles.models import Article
from authors.models import Author
from demo.loader import load_demo_content, read_manifest
from partners.models import AdPlacement
from tests.images.helpers import images_on

pytestmark = pytest.mark.django_db


def _words(text: str) -> str:
    """``text`` as bare lower-case words: "what-is-x.jpg" and "What Is X?" both give "what is x"."""
    text = re.sub(r"\.(jpe?g|png|webp|gif|svg)$", "", text.strip(), flags=re.IGNORECASE)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def demo_images() -> list[tuple[str, str, set[str]]]:
    """(what the image is, its alt text, the names it must not merely repeat) for every
    picture the demo makes: featured images, author photos, ad pictures and any <img> in
    an article's body."""
    manifest = read_manifest()
    images = []
    for article in manifest["articles"]:
        names = {article["slug"], f"{article['slug']}.jpg", article["title"]}
        images.append((f"featured image of {article['slug']}", article["image_alt"], names))
        for img in re.findall(r"<img\b[^>]*>", article["body"]):
            alt = re.search(r'\balt="([^"]*)"', img)
            src = re.search(r'\bsrc="([^"]*)"', img)
            file_name = src.group(1).rsplit("/", 1)[-1] if src else ""
            images.append((f"{img} in {article['slug']}", alt.group(1) if alt else "", names | {file_name}))
    for author in manifest["authors"]:
        images.append((f"photo of {author['slug']}", author["photo_alt"],
                       {author["slug"], f"{author['slug']}.jpg", author["name"]}))
    for ad in manifest["ads"]:
        images.append((f"picture of the ad {ad['name']!r}", ad["image_alt"],
                       {ad["image"], f"{ad['image']}.jpg", ad["name"], ad["headline"]}))
    return images


def test_every_demo_image_has_an_alt_text_that_is_more_than_its_file_name_or_title():
    images = demo_images()
    assert len(images) == 16 + 4 + 2
    for what, alt, names in images:
        assert alt.strip(), f"{what} has no alt text"
        assert _words(alt) not in {_words(name) for name in names}, f"{what}: the alt text {alt!r} only repeats a name"


def test_no_two_demo_images_share_an_alt_text():
    alts = [alt for _, alt, _ in demo_images()]
    assert len(set(alts)) == len(alts)


def test_load_demo_stores_the_alt_text_of_every_image_from_the_manifest():
    manifest = read_manifest()

    load_demo_content()

    assert dict(Article.objects.values_list("slug", "featured_image_alt")) == {
        article["slug"]: article["image_alt"] for article in manifest["articles"]}
    assert dict(Author.objects.values_list("slug", "photo_alt")) == {
        author["slug"]: author["photo_alt"] for author in manifest["authors"]}
    assert dict(AdPlacement.objects.values_list("name", "image_alt")) == {
        ad["name"]: ad["image_alt"] for ad in manifest["ads"]}


def test_a_demo_authors_page_and_article_describe_the_photo_with_its_alt_text(client):
    load_demo_content()
    helen = Author.objects.get(slug="helen-marsh")
    article = Article.objects.filter(author=helen).first()

    for path in (helen.get_absolute_url(), article.get_absolute_url()):
        photos = [image["img"] for image in images_on(client.get(path).content)
                  if "/authors/" in image["img"].get("src", "")]
        assert [img["alt"] for img in photos] == [helen.photo_alt], path


def test_an_author_photo_without_alt_text_is_described_as_a_photo_of_the_author(client):
    load_demo_content()
    Author.objects.filter(slug="helen-marsh").update(photo_alt="")

    (photo,) = [image["img"] for image in images_on(client.get("/author/helen-marsh/").content)
                if "/authors/" in image["img"].get("src", "")]

    assert photo["alt"] == "Photo of Helen Marsh"


def test_load_demo_describes_its_images_in_the_media_library(settings):
    from django.core.management import call_command

    from images.models import Image

    call_command("load_demo", stdout=io.StringIO())

    library = dict(Image.objects.values_list("name", "alt_text"))
    for article in Article.objects.all():
        assert library[article.featured_image.name] == article.featured_image_alt
    for author in Author.objects.all():
        assert library[author.photo.name] == author.photo_description
    assert not Image.objects.missing_alt_text().exists()
