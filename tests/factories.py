import datetime

import factory
from django.utils import timezone

from articles.models import Article, Category
from authors.models import Author
from partners.models import AdPlacement, AffiliatePartner, PartnerLink


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    position = factory.Sequence(lambda n: n)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author Number{n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    credentials = "Registered Nurse"
    short_bio = "Writes about how the body works."
    bio = "<p>A longer biography.</p>"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"What Is Thing Number {n}?")
    slug = factory.Sequence(lambda n: f"what-is-thing-number-{n}")
    category = factory.SubFactory(CategoryFactory)
    author = factory.SubFactory(AuthorFactory)
    summary = "A short summary of the article."
    body = "<h2>Section</h2><p>Body text with <strong>bold</strong> words.</p>"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    updated_on = factory.LazyAttribute(lambda a: timezone.localdate(a.publish_at))


class AffiliatePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AffiliatePartner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    website = factory.LazyAttribute(lambda p: f"https://www.{p.slug}.example")
    domains = factory.LazyAttribute(lambda p: f"{p.slug}.example")
    description = "Sells useful things."


class PartnerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerLink

    partner = factory.SubFactory(AffiliatePartnerFactory)
    name = factory.Sequence(lambda n: f"Offer {n}")
    slug = factory.Sequence(lambda n: f"offer-{n}")
    destination = factory.LazyAttribute(lambda link: f"https://shop.{link.partner.slug}.example/item?ref=wisegeek")


class AdPlacementFactory(factory.django.DjangoModelFactory):
    """A site-wide house ad after the second paragraph of articles, unless told otherwise."""

    class Meta:
        model = AdPlacement

    name = factory.Sequence(lambda n: f"House ad {n}")
    position = AdPlacement.Position.IN_ARTICLE
    number = 2
    kind = AdPlacement.Kind.HOUSE
    headline = "Winter first-aid kits"
    text = "Everything for the cold months, in one box."
    link = "/go/first-aid-kit"
