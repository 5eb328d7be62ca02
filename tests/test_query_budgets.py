"""Every public page costs the same number of SQL queries whatever the amount of content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import SiteTexts
from images.models import Image
from partners.models import AdPlacement
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda data: "/",
    "article": lambda data: data["article"].get_absolute_url(),
    "category": lambda data: data["article"].category.get_absolute_url(),
    "category page 2": lambda data: data["article"].category.get_absolute_url() + "?page=2",
    "author": lambda data: data["article"].author.get_absolute_url(),
    "search": lambda data: "/search/?q=Thing",
    "partners": lambda data: "/affiliate-partners/",
    "policy page": lambda data: "/about/",
    "feed": lambda data: "/feed/",
    "sitemap": lambda data: "/sitemap.xml",
    **{f"sitemap section {name}": (lambda data, name=name: f"/sitemap-{name}.xml")
       for name in ("site", "articles", "categories", "authors", "pages")},
}
MAX_QUERIES = 10


def build(size: int):
    categories = [CategoryFactory() for _ in range(size)]
    authors = [AuthorFactory() for _ in range(size)]
    for i in range(size * 4):
        ArticleFactory(category=categories[i % 3 if i % 2 else i % size], author=authors[i % size])
    AffiliatePartnerFactory.create_batch(size)
    # Enough in one category and by one author for a second page.
    ArticleFactory.create_batch(11, category=categories[0], author=authors[0])
    return {"article": ArticleFactory(category=categories[0], author=authors[0])}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_content(client, policy_pages, page, django_assert_max_num_queries):
    small = build(3)
    # Cached once for the whole site, as a running site has them.
    SiteTexts.objects.current()
    AdPlacement.objects.all_active()
    with django_assert_max_num_queries(MAX_QUERIES):
        small_count = count_queries(client, PAGES[page](small))
    build(25)
    with django_assert_max_num_queries(small_count):
        large_count = count_queries(client, PAGES[page](small))
    assert large_count == small_count, f"{page}: {small_count} queries with little content, {large_count} with more"


def test_article_page_budget_holds_at_a_larger_size(client, policy_pages, django_assert_max_num_queries):
    data = build(40)
    # Fill the shared caches (navigation, partners, ad placements), as a running site has them.
    client.get(data["article"].category.get_absolute_url())
    with django_assert_max_num_queries(4):
        assert client.get(data["article"].get_absolute_url()).status_code == 200


def build_illustrated(pictures: int):
    """Every article with a featured image, the author with a photo and the article with
    ``pictures`` images in its body, all with renditions (rows only: pages never open files)."""
    author = AuthorFactory(photo="authors/face.jpg", photo_width=400, photo_height=400)
    category = CategoryFactory(slug="illustrated")
    body = "".join(f'<p><img src="/media/uploads/body-{i}.png" alt="Figure {i}"></p>' for i in range(pictures))
    articles = [
        ArticleFactory(category=category, author=author, title=f"Thing {i}", body=body,
                       featured_image=f"articles/featured-{i}.jpg", featured_image_width=1200,
                       featured_image_height=800)
        for i in range(pictures)
    ]
    names = [author.photo.name, *(a.featured_image.name for a in articles),
             *(f"uploads/body-{i}.png" for i in range(pictures))]
    Image.objects.bulk_create(
        Image(name=name, width=1200, height=800, format="PNG" if name.endswith("png") else "JPEG",
              widths=[320, 480, 800, 1200])
        for name in names
    )
    return articles[0]


@pytest.mark.parametrize("page", ["home", "article", "category", "author", "search"])
def test_a_page_looks_up_all_its_images_in_one_query(client, policy_pages, page):
    article = build_illustrated(pictures=12)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGES[page]({"article": article}))
    assert response.status_code == 200
    assert response.content.count(b"<picture>") >= 4
    image_queries = [q["sql"] for q in queries if "images_image" in q["sql"]]
    assert len(image_queries) == 1, image_queries
