"""The home page's sections: the newest few of each category, found in two queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory


def test_articles_published_at_the_same_instant_still_give_exactly_the_number_asked(db):
    same_moment = timezone.now() - datetime.timedelta(hours=1)
    tied = CategoryFactory(name="Tied", position=1)
    ArticleFactory.create_batch(5, category=tied, publish_at=same_moment)
    older = ArticleFactory(category=tied, publish_at=same_moment - datetime.timedelta(days=1))

    sections = Article.objects.latest_per_category(3)

    assert len(sections) == 3 and older not in sections
    assert all(article.publish_at == same_moment for article in sections)


def test_a_category_with_fewer_articles_shows_them_all_and_an_empty_one_none(db):
    few = CategoryFactory(name="Few", position=1)
    CategoryFactory(name="Empty", position=2)
    only = ArticleFactory(category=few)
    ArticleFactory(category=few, status=Article.Status.DRAFT)
    ArticleFactory(category=few, publish_at=timezone.now() + datetime.timedelta(days=1))

    assert Article.objects.latest_per_category(3) == [only]


def test_two_queries_whatever_the_number_of_categories_and_articles(db):
    for position in range(12):
        ArticleFactory.create_batch(4, category=CategoryFactory(position=position))

    with CaptureQueriesContext(connection) as queries:
        sections = Article.objects.latest_per_category(3)

    assert len(sections) == 12 * 3
    assert len(queries) == 2  # the cutoffs, then the articles
