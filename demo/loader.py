"""Demo content as data: ``content/manifest.json`` plus one HTML file per article.

Everything is written the way an editor's save writes it: ``full_clean()`` then
``save()``, one object at a time, so rich text goes through the sanitizing field, images
through the upload validator and the dimension measuring, and articles get their history.
"""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from authors.models import Author
from images.models import Image
from core.models import SiteTexts
from demo.images import abstract_image, ad_image, portrait
from partners.models import AdPlacement, AffiliatePartner, PartnerLink

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class DemoContentError(Exception):
    """The manifest or an article file is missing, malformed or inconsistent."""


def read_manifest(content_dir: Path = CONTENT_DIR) -> dict:
    """The manifest, with each article's ``body`` read from ``articles/<slug>.html``."""
    path = content_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DemoContentError(f"Cannot read {path.name}: {error}") from error
    for article in manifest.get("articles", []):
        body_path = content_dir / "articles" / f"{article['slug']}.html"
        try:
            article["body"] = body_path.read_text(encoding="utf-8")
        except OSError as error:
            raise DemoContentError(f"Article “{article['slug']}” has no body file: {error}") from error
    return manifest


def _store(instance, what: str) -> None:
    """Validate and save one object, as admin does."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DemoContentError(f"{what} is not valid: {error.message_dict}") from error
    instance.save()


@transaction.atomic
def load_demo_content(*, content_dir: Path = CONTENT_DIR) -> dict[str, int]:
    """Create the demo objects that are not there yet (matched by slug, ad placements by
    name); return how many of each kind were created. Objects already present are left
    exactly as they are."""
    manifest = read_manifest(content_dir)
    created = {"categories": 0, "authors": 0, "partners": 0, "affiliate links": 0, "ad placements": 0,
               "articles": 0}

    for data in manifest["categories"]:
        if not Category.objects.filter(slug=data["slug"]).exists():
            _store(Category(**{k: data[k] for k in ("name", "slug", "description", "position", "medical")}),
                   f"Category “{data['slug']}”")
            created["categories"] += 1

    for data in manifest["authors"]:
        if Author.objects.filter(slug=data["slug"]).exists():
            continue
        author = Author(**{k: data[k] for k in ("name", "slug", "credentials", "expertise", "short_bio", "bio",
                                                 "website", "photo_alt")})
        # Assigned as an upload is: validated by full_clean, measured, stored by save().
        author.photo = ContentFile(portrait(data["name"], tuple(data["photo_palette"])), name=f"{data['slug']}.jpg")
        _store(author, f"Author “{data['slug']}”")
        created["authors"] += 1

    for data in manifest["partners"]:
        partner = AffiliatePartner.objects.filter(slug=data["slug"]).first()
        if partner is None:
            partner = AffiliatePartner(
                name=data["name"], slug=data["slug"], website=data["website"],
                domains="\n".join(data["domains"]), description=data["description"],
                partner_since=datetime.date.fromisoformat(data["since"]),
            )
            _store(partner, f"Partner “{data['slug']}”")
            created["partners"] += 1
        for link in data.get("links", []):
            if PartnerLink.objects.filter(slug=link["slug"]).exists():
                continue
            _store(PartnerLink(partner=partner, **{k: link[k] for k in ("name", "slug", "destination", "notes")}),
                   f"Affiliate link “{link['slug']}”")
            created["affiliate links"] += 1

    for data in manifest.get("ads", []):
        if AdPlacement.objects.filter(name=data["name"]).exists():
            continue
        if not PartnerLink.objects.filter(slug=data["link"]).exists():
            raise DemoContentError(f"Ad “{data['name']}” names an unknown affiliate link: {data['link']!r}")
        category = Category.objects.filter(slug=data["category"]).first() if data["category"] else None
        if data["category"] and category is None:
            raise DemoContentError(f"Ad “{data['name']}” names an unknown category: {data['category']!r}")
        ad = AdPlacement(
            name=data["name"], position=data["position"], number=data["number"], kind=AdPlacement.Kind.HOUSE,
            category=category,
            headline=data["headline"], text=data["text"], link_label=data["link_label"],
            image_alt=data["image_alt"],
            link=reverse("partners:go", kwargs={"slug": data["link"]}),
        )
        picture = ad_image(tuple(data["image_palette"]), seed=data["name"], symbol=data["image"])
        ad.image = ContentFile(picture, name=f"{data['image']}.jpg")
        _store(ad, f"Ad “{data['name']}”")
        created["ad placements"] += 1

    now = timezone.now()
    today = timezone.localdate()
    # What the editor's form puts in a new article's disclosure field.
    standard_disclosure = SiteTexts.objects.current().article_disclosure_text
    categories = {category.slug: category for category in Category.objects.all()}
    authors = {author.slug: author for author in Author.objects.all()}
    for data in manifest["articles"]:
        if Article.objects.filter(slug=data["slug"]).exists():
            continue
        try:
            category, author = categories[data["category"]], authors[data["author"]]
            reviewer = authors[data["reviewer"]] if data.get("reviewer") else None
        except KeyError as error:
            raise DemoContentError(f"Article “{data['slug']}” names an unknown category or author: {error}")
        article = Article(
            title=data["title"], slug=data["slug"], category=category, author=author, reviewer=reviewer,
            summary=data["summary"], body=data["body"], featured_image_alt=data["image_alt"],
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(days=data["publish_days_ago"]),
            updated_on=today - datetime.timedelta(days=data["updated_days_ago"]),
            last_reviewed=today - datetime.timedelta(days=data["reviewed_days_ago"]) if reviewer else None,
            affiliate_disclosure=data.get("affiliate_disclosure", standard_disclosure),
        )
        image = abstract_image(tuple(data["image_palette"]), seed=data["slug"])
        article.featured_image = ContentFile(image, name=f"{data['slug']}.jpg")
        _store(article, f"Article “{data['slug']}”")
        created["articles"] += 1

    return created


def describe_library_images() -> int:
    """The media library's rows for the demo's images take the alt text the demo gives
    them (the featured images' and the authors' photos'), as an editor would enter it."""
    described = 0
    texts = [(article.featured_image.name, article.featured_image_alt) for article in Article.objects.all()]
    texts += [(author.photo.name, author.photo_description) for author in Author.objects.all()]
    for name, alt in texts:
        if name and alt.strip():
            described += Image.objects.filter(name=name, alt_text="", decorative=False).update(alt_text=alt)
    return described
