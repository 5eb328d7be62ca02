import datetime

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Category
from authors.models import Author
from demo import content
from demo.images import abstract_image, portrait
from partners.models import AffiliatePartner

AUTHOR_PALETTES = [("#1d4e5f", "#7fb8a4"), ("#5a3d6b", "#c9a6d8"), ("#7a4b1f", "#e3b980")]


class Command(BaseCommand):
    help = (
        "Load the demo articles, authors, categories, partners and policy pages. "
        "Safe to run again: anything already there (matched by slug or URL) is left as it is."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = {"categories": 0, "authors": 0, "partners": 0, "articles": 0, "pages": 0}

        categories = {}
        for data in content.CATEGORIES:
            categories[data["slug"]], new = Category.objects.get_or_create(
                slug=data["slug"],
                defaults={k: data[k] for k in ("name", "description", "position")},
            )
            created["categories"] += new

        authors = {}
        for index, data in enumerate(content.AUTHORS):
            author = Author.objects.filter(slug=data["slug"]).first()
            if author is None:
                author = Author(**{k: data[k] for k in ("name", "slug", "credentials", "short_bio", "bio", "website")})
                palette = AUTHOR_PALETTES[index % len(AUTHOR_PALETTES)]
                author.photo.save(f"{data['slug']}.jpg", ContentFile(portrait(data["name"], palette)), save=False)
                author.save()
                created["authors"] += 1
            authors[data["slug"]] = author

        for data in content.PARTNERS:
            _, new = AffiliatePartner.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "website": data["website"],
                    "domains": "\n".join(data["domains"]),
                    "description": data["description"],
                    "partner_since": datetime.date.fromisoformat(data["since"]),
                },
            )
            created["partners"] += new

        now = timezone.now()
        today = timezone.localdate()
        for data in content.ARTICLES:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            article = Article(
                title=data["title"],
                slug=data["slug"],
                category=categories[data["category"]],
                author=authors[data["author"]],
                reviewer=authors.get(data.get("reviewer") or ""),
                summary=data["summary"],
                body=data["body"],
                featured_image_alt=data["image_alt"],
                status=Article.Status.PUBLISHED,
                publish_at=now - datetime.timedelta(days=data["publish_days_ago"]),
                updated_on=today - datetime.timedelta(days=data["updated_days_ago"]),
            )
            image = abstract_image(data["palette"], seed=data["slug"])
            article.featured_image.save(f"{data['slug']}.jpg", ContentFile(image), save=False)
            article.save()
            created["articles"] += 1

        site = Site.objects.get(pk=settings.SITE_ID)
        for data in content.POLICY_PAGES:
            page, new = FlatPage.objects.get_or_create(
                url=data["url"], defaults={"title": data["title"], "content": data["content"]}
            )
            if new:
                page.sites.add(site)
            created["pages"] += new

        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"Demo content: created {summary}." if any(created.values())
                          else "Demo content is already loaded.")
