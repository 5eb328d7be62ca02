"""An author's page shows why readers may trust them: credentials, biography, areas of
expertise, links that verify who they are, what they wrote and what they reviewed."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from authors.views import REVIEWED_SHOWN
from tests.dom import parse
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(policy_pages):
    return AuthorFactory(
        name="Dr. Ana Ruiz", slug="ana-ruiz", credentials="MD, Family Medicine",
        bio="<p>Ana practised family medicine for <strong>fifteen years</strong>.</p>",
        expertise="back pain,  sports injuries , ,first aid",
        website="https://ana-ruiz.example/",
        social_links="https://social.example/@ana\nhttps://www.linkedin.com/in/ana-ruiz",
    )


def page_of(client, author, **params) -> str:
    response = client.get(author.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def reviewed_section(html: str) -> str:
    match = re.search(r'<section class="reviewed".*?</section>', html, flags=re.S)
    return match.group(0) if match else ""


def test_the_page_shows_credentials_full_bio_and_areas_of_expertise(client, author):
    html = page_of(client, author)
    assert '<p class="author-header__credentials">MD, Family Medicine</p>' in html
    assert "<p>Ana practised family medicine for <strong>fifteen years</strong>.</p>" in html
    areas = re.search(r'<ul class="author-expertise__list">(.*?)</ul>', html, flags=re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", areas) == ["back pain", "sports injuries", "first aid"]


def test_an_author_without_expertise_has_no_empty_expertise_section(client, policy_pages):
    html = page_of(client, AuthorFactory(expertise=""))
    assert "Areas of expertise" not in html


def test_website_and_social_links_verify_the_author(client, author):
    links = parse(page_of(client, author)).find("a", rel="me noopener")
    assert [link.attrs["href"] for link in links] == [
        "https://ana-ruiz.example/", "https://social.example/@ana", "https://www.linkedin.com/in/ana-ruiz",
    ]


def test_the_articles_they_reviewed_are_listed_newest_first_published_only(client, author):
    now = timezone.now()
    older = ArticleFactory(title="Older reviewed piece", reviewer=author, publish_at=now - datetime.timedelta(days=9),
                           last_reviewed=datetime.date(2026, 1, 5))
    newer = ArticleFactory(title="Newer reviewed piece", reviewer=author, publish_at=now - datetime.timedelta(days=2))
    ArticleFactory(title="Reviewed draft", reviewer=author, status=Article.Status.DRAFT)
    ArticleFactory(title="Reviewed but scheduled", reviewer=author, publish_at=now + datetime.timedelta(days=1))
    ArticleFactory(title="Reviewed by someone else", reviewer=AuthorFactory())
    section = reviewed_section(page_of(client, author))
    assert "<h2 class=\"section__title\" id=\"reviewed-title\">Articles Dr. Ana Ruiz reviewed</h2>" in section
    assert "2 published articles, newest first." in section
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', section)
    assert titles == [newer.title, older.title]
    assert f'<a href="{older.get_absolute_url()}">' in section
    assert '<time datetime="2026-01-05">January 5, 2026</time>' in section


def test_the_reviewed_list_is_capped_and_says_how_many_there_are(client, author):
    ArticleFactory.create_batch(REVIEWED_SHOWN + 3, reviewer=author)
    section = reviewed_section(page_of(client, author))
    assert f"{REVIEWED_SHOWN + 3} published articles; the {REVIEWED_SHOWN} newest are listed here." in section
    assert section.count("<li>") == REVIEWED_SHOWN


def test_an_author_who_reviewed_nothing_has_no_reviewed_section(client, author):
    ArticleFactory(author=author)
    html = page_of(client, author)
    assert not reviewed_section(html) and "Articles Dr. Ana Ruiz reviewed" not in html
    assert "Articles by Dr. Ana Ruiz" in html


def test_a_reviewer_who_wrote_nothing_is_not_shown_an_empty_list_of_their_articles(client, author):
    ArticleFactory(reviewer=author)
    html = page_of(client, author)
    assert "No published articles yet" not in html and "Articles by Dr. Ana Ruiz" not in html
    assert "Articles Dr. Ana Ruiz reviewed" in html


def test_their_own_articles_are_still_listed_and_paginated(client, author, settings):
    settings.ARTICLES_PER_PAGE = 2
    ArticleFactory.create_batch(3, author=author)
    ArticleFactory(reviewer=author, title="A reviewed one")
    html = page_of(client, author, page=2)
    assert "Articles by Dr. Ana Ruiz" in html and "Page 2 of 2" in html
    assert "A reviewed one" in reviewed_section(html)


def build(author, size: int):
    writers, categories = AuthorFactory.create_batch(3), CategoryFactory.create_batch(3, medical=True)
    for i in range(size):
        ArticleFactory(author=author, category=categories[i % 3])
        ArticleFactory(author=writers[i % 3], category=categories[i % 3], reviewer=author,
                       last_reviewed=timezone.localdate())


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_however_much_they_wrote_and_reviewed(
    client, author, django_assert_max_num_queries
):
    build(author, 2)
    small = count_queries(client, author.get_absolute_url())
    build(author, 30)
    with django_assert_max_num_queries(small):
        assert "32 published articles;" in page_of(client, author)
    with django_assert_max_num_queries(small):
        assert client.get(author.get_absolute_url(), {"page": 2}).status_code == 200


def test_the_author_box_under_an_article_names_their_expertise(client, author):
    article = ArticleFactory(author=author)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="author-box__expertise">Expertise: back pain, sports injuries, first aid</p>' in html


def test_expertise_is_edited_beside_the_credentials_in_admin(staff_client):
    html = staff_client.get(reverse("admin:authors_author_add")).content.decode()
    names = re.findall(r'<(?:input|textarea|select)[^>]*\bname="(\w+)"', html)
    assert names.index("expertise") == names.index("credentials") + 1
