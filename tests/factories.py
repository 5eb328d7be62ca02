import datetime

import factory
from django.utils import timezone

from articles.models import Article, Category
from authors.models import Author
from partners.models import AffiliatePartner


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
