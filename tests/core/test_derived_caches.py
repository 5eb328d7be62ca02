"""What is cached from content rows (navigation, partner domains, ad placements, site
texts) is forgotten by every kind of write, signals or not: the next page shows it."""

import pytest

from articles.models import Category
from partners.models import AdPlacement, AffiliatePartner
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    return client.get(url).content.decode()


def test_ad_placements_made_in_bulk_show_on_the_next_page(client):
    article = ArticleFactory(body="<p>One.</p><p>Two.</p><p>Three.</p>")
    assert 'class="ad ' not in page(client, article.get_absolute_url())  # the empty list is now cached
    AdPlacement.objects.bulk_create([AdPlacement(
        name="Bulk", position=AdPlacement.Position.IN_ARTICLE, number=1, headline="Made in bulk", link="/go/x",
    )])
    assert "Made in bulk" in page(client, article.get_absolute_url())


def test_partners_made_in_bulk_mark_their_links_on_the_next_page(client):
    article = ArticleFactory(body='<p><a href="https://bulk-shop.example/a">shop</a></p>')
    assert "sponsored" not in page(client, article.get_absolute_url())
    AffiliatePartner.objects.bulk_create([AffiliatePartner(
        name="Bulk Shop", slug="bulk-shop", website="https://bulk-shop.example", domains="bulk-shop.example",
    )])
    assert 'rel="sponsored noopener">shop</a>' in page(client, article.get_absolute_url())


def test_categories_renamed_by_update_show_in_the_navigation(client):
    article = ArticleFactory()
    assert article.category.name in page(client, "/")
    Category.objects.filter(pk=article.category_id).update(name="Renamed By Update")
    assert "Renamed By Update" in page(client, "/")
