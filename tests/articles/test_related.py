"""The "Related articles" block under an article: up to four published articles, the
editor's pins first (in the order they were pinned), then the newest of the same
category, then articles sharing words with the title; never the article itself, a
draft or a scheduled article, and never one article twice."""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core.models import SiteTexts
from partners.models import AdPlacement, AffiliatePartner
from tests.dom import parse
from tests.factories import ArticleFactory, CategoryFactory
from tests.forms import form_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_pages")]


class _RelatedSection(HTMLParser):
    """Reads the page's ``<section class="related">``: its heading, and the title link
    of each card in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.heading, self.cards = 0, "", []
        self._depth = 0  # sections open inside the related one, itself included
        self._in_heading = self._in_card_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        classes = attrs.get("class", "").split()
        if tag == "section" and (self._depth or "related" in classes):
            self.sections += not self._depth
            self._depth += 1
        elif not self._depth:
            return
        elif tag == "h2":
            self._in_heading = True
        elif tag == "h3" and "card__title" in classes:
            self._in_card_title = True
        elif tag == "a" and self._in_card_title:
            self.cards.append(["", attrs.get("href")])

    def handle_endtag(self, tag):
        if tag == "section" and self._depth:
            self._depth -= 1
        elif tag == "h2":
            self._in_heading = False
        elif tag == "h3":
            self._in_card_title = False

    def handle_data(self, data):
        if self._in_heading:
            self.heading += data
        elif self._in_card_title and self.cards:
            self.cards[-1][0] += data


def related_on_page(client, article) -> list[tuple[str, str]] | None:
    """The cards a reader sees under "Related articles" on ``article``'s page, in order,
    as (title, link); None when the page has no such section."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    reader = _RelatedSection()
    reader.feed(response.content.decode())
    reader.close()
    if not reader.sections:
        assert "Related articles" not in response.content.decode()
        return None
    assert reader.sections == 1 and reader.heading.strip() == "Related articles"
    return [(title.strip(), href) for title, href in reader.cards]


def cards(*articles) -> list[tuple[str, str]]:
    return [(article.title, article.get_absolute_url()) for article in articles]


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def pin(article, *others) -> None:
    """Pin ``others`` to ``article`` one at a time, as an editor choosing them in turn:
    the order of choosing is the order of the through table's rows."""
    for other in others:
        article.related_articles.add(other)


# --- The editor's pins ---------------------------------------------------------------


def test_pinned_articles_come_first_newest_first(client):
    home = CategoryFactory()
    article = ArticleFactory(category=home, publish_at=days_ago(30))
    newest_in_category = ArticleFactory(category=home, publish_at=days_ago(1))
    # Pinned in neither the order of their ids nor that of their publish dates.
    first, second, third = (ArticleFactory(publish_at=days_ago(days)) for days in (20, 5, 10))
    pin(article, third, first, second)

    expected = [second, third, first, newest_in_category]
    assert Article.objects.related_to(article) == expected
    assert related_on_page(client, article) == cards(*expected)


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_unpublished_pins_are_left_out_and_their_places_filled_from_the_category(who, staff_client):
    visitor = Client() if who == "reader" else staff_client  # staff see previews, never in this block
    home = CategoryFactory()
    article = ArticleFactory(category=home, publish_at=days_ago(30))
    in_category = [ArticleFactory(category=home, publish_at=days_ago(days)) for days in (1, 2, 3, 4)]
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=days_ago(2))
    in_review = ArticleFactory(status=Article.Status.REVIEW, publish_at=days_ago(2))
    scheduled = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=2))
    published = ArticleFactory(publish_at=days_ago(3))
    pin(article, draft, in_review, scheduled, published)

    expected = [published, *in_category[:3]]
    assert Article.objects.related_to(article) == expected
    assert related_on_page(visitor, article) == cards(*expected)

    # Published later, a pin takes its place again, in the order it was chosen.
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert related_on_page(visitor, article) == cards(draft, published, *in_category[:2])


def test_a_pin_added_outside_admin_shows_at_once_on_a_cached_page(client):
    article = ArticleFactory(title="Why Do Onions Make You Cry?")
    other = ArticleFactory(title="How Do Tides Work?")
    assert related_on_page(client, article) is None  # now in the page cache

    pin(article, other)  # from the shell, say: no article is saved, only the pin
    assert related_on_page(client, article) == cards(other)


def test_the_newest_published_articles_of_the_category_follow_the_pins(client):
    home = CategoryFactory()
    article = ArticleFactory(category=home, title="Why Do Kettles Whistle?", publish_at=days_ago(1))
    older, newest, oldest, newer, old = (
        ArticleFactory(category=home, publish_at=days_ago(days)) for days in (20, 2, 40, 5, 30)
    )
    ArticleFactory(category=home, status=Article.Status.DRAFT, publish_at=days_ago(1))
    ArticleFactory(category=home, publish_at=timezone.now() + datetime.timedelta(hours=1))
    # Shares a title word, but the category fills the block first.
    ArticleFactory(title="How Loud Can Kettles Get?", publish_at=days_ago(1))

    expected = [newest, newer, older, old]
    assert Article.objects.related_to(article) == expected
    assert related_on_page(client, article) == cards(*expected)


# --- Shared title words -------------------------------------------------------------


def test_articles_sharing_a_title_word_fill_the_block_when_the_category_is_small(client):
    home = CategoryFactory(name="Technology")
    article = ArticleFactory(category=home, title="How Long Should a Phone Battery Last?")
    neighbour = ArticleFactory(category=home, title="How Does Wi-Fi Work?")
    garden, money = CategoryFactory(name="Home"), CategoryFactory(name="Money")
    two_words = ArticleFactory(category=garden, title="Why Does a Phone Battery Swell?", publish_at=days_ago(50))
    one_word = ArticleFactory(category=money, title="Is a Car Battery Worth Insuring?", publish_at=days_ago(2))
    ArticleFactory(category=garden, title="How Do You Start a Compost Pile?")  # nothing in common
    ArticleFactory(category=money, title="Battery Recycling Explained", status=Article.Status.DRAFT)
    ArticleFactory(category=money, title="Battery Prices Next Year",
                   publish_at=timezone.now() + datetime.timedelta(days=1))

    # The one that shares more words first, however old.
    expected = [neighbour, two_words, one_word]
    assert Article.objects.related_to(article) == expected
    assert related_on_page(client, article) == cards(*expected)


def test_stop_words_alone_do_not_make_articles_related(client):
    article = ArticleFactory(title="What Is the Kelvin Scale?")
    ArticleFactory(title="What Is the Best Way to Save?")
    ArticleFactory(title="What Is the Difference Between a Cold and the Flu?")
    only_stop_words = ArticleFactory(title="What Is It For?")
    ArticleFactory(title="What Is It?")

    assert Article.objects.related_to(article) == []
    assert related_on_page(client, article) is None
    assert Article.objects.related_to(only_stop_words) == []
    assert related_on_page(client, only_stop_words) is None


def test_common_words_relate_titles_on_neither_database():
    article = ArticleFactory(title="What Is the Connection Between Sleep and Mood?")
    ArticleFactory(title="What Is the Difference Between Weather and Climate?")

    assert Article.objects.related_to(article) == []


# --- What the block never shows, and its size ------------------------------------------


def test_the_article_itself_and_duplicates_are_never_shown(client):
    home = CategoryFactory()
    article = ArticleFactory(category=home, title="Why Do Onions Make You Cry?")
    neighbour = ArticleFactory(category=home, title="Why Do Onions Sprout?", publish_at=days_ago(2))  # pinned, in category, shares a word
    elsewhere = ArticleFactory(title="Can You Freeze Onions?", publish_at=days_ago(3))
    pin(article, article, neighbour, elsewhere)

    expected = [neighbour, elsewhere]
    assert Article.objects.related_to(article) == expected
    assert related_on_page(client, article) == cards(*expected)


def test_the_block_shows_at_most_four_articles(client):
    home = CategoryFactory()
    article = ArticleFactory(category=home, title="Why Do Onions Make You Cry?")
    pins = [ArticleFactory(publish_at=days_ago(days)) for days in (1, 2, 3, 4, 5, 6)]
    pin(article, *reversed(pins))
    ArticleFactory.create_batch(5, category=home)
    ArticleFactory.create_batch(5, title="Can You Freeze Onions?")

    assert Article.objects.related_to(article) == pins[:4]
    assert related_on_page(client, article) == cards(*pins[:4])
    assert Article.objects.related_to(article, count=2) == pins[:2]


def test_the_block_is_absent_when_nothing_is_related(client):
    article = ArticleFactory(title="Why Do Onions Make You Cry?")
    ArticleFactory(title="How Do Tides Work?")
    ArticleFactory(category=article.category, status=Article.Status.DRAFT)
    pin(article, ArticleFactory(status=Article.Status.DRAFT, title="Onions Again"))

    assert Article.objects.related_to(article) == []
    assert related_on_page(client, article) is None


# --- Queries ------------------------------------------------------------------------


def warm_caches(client, article) -> None:
    """Fill what a running site keeps cached for every page (tests/test_query_budgets.py):
    site texts, ad placements, the navigation, the partners' domains."""
    SiteTexts.objects.current()
    AdPlacement.objects.all_active()
    AffiliatePartner.objects.link_domains()
    assert client.get(article.category.get_absolute_url()).status_code == 200


def test_the_article_page_makes_no_more_queries_with_many_pins_and_a_large_category(
    client, django_assert_num_queries
):
    home = CategoryFactory()
    article = ArticleFactory(category=home, publish_at=days_ago(30))
    pin(article, *ArticleFactory.create_batch(2))  # each with a category and an author of its own
    ArticleFactory.create_batch(2, category=home)
    warm_caches(client, article)
    with CaptureQueriesContext(connection) as queries:
        assert len(related_on_page(client, article)) == 4
    small = len(queries)  # now: the next request empties the connection's log

    pin(article, *ArticleFactory.create_batch(30))
    ArticleFactory.create_batch(30, category=home)
    warm_caches(client, article)
    with django_assert_num_queries(small):
        assert len(related_on_page(client, article)) == 4


def test_the_article_page_makes_no_more_queries_with_many_articles_sharing_title_words(
    client, django_assert_num_queries
):
    article = ArticleFactory(title="Why Do Onions Make You Cry?")
    pin(article, ArticleFactory(), ArticleFactory(status=Article.Status.DRAFT))
    ArticleFactory(title="Can You Freeze Onions?")
    warm_caches(client, article)
    with CaptureQueriesContext(connection) as queries:
        assert len(related_on_page(client, article)) == 2
    small = len(queries)

    pin(article, *ArticleFactory.create_batch(20, status=Article.Status.DRAFT))
    ArticleFactory.create_batch(30, title="Can You Freeze Onions?")
    warm_caches(client, article)
    with django_assert_num_queries(small):
        assert len(related_on_page(client, article)) == 4


# --- Admin ----------------------------------------------------------------------------


def change_form(staff_client, article) -> dict:
    """The article's change form as the editor's browser would post it unchanged."""
    page = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    return form_fields(page.content.decode(), "article_form")


def test_an_editor_pins_related_articles_in_admin_and_readers_see_them(staff_client):
    reader = Client()
    home = CategoryFactory()
    article = ArticleFactory(category=home, publish_at=days_ago(30))
    in_category = ArticleFactory(category=home, publish_at=days_ago(1))
    chosen = ArticleFactory(title="How Do Tides Work?", publish_at=days_ago(90))
    assert related_on_page(reader, article) == cards(in_category)  # now in the page cache

    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {**change_form(staff_client, article), "related_articles": [chosen.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert related_on_page(reader, article) == cards(chosen, in_category)

    # Saved again unchanged, the pins stay; a second one goes after the first.
    later = ArticleFactory(title="Why Is the Sky Blue?", publish_at=days_ago(200))
    fields = change_form(staff_client, article)
    assert fields["related_articles"] == str(chosen.pk)
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {**fields, "related_articles": [chosen.pk, later.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert related_on_page(reader, article) == cards(chosen, later, in_category)

    # Unpinned: gone from the block.
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {**change_form(staff_client, article), "related_articles": [later.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert related_on_page(reader, article) == cards(later, in_category)


def test_pins_chosen_together_in_admin_are_shown_newest_first(staff_client):
    article = ArticleFactory()
    now = timezone.now()
    chosen = [ArticleFactory(publish_at=now - datetime.timedelta(days=days)) for days in (5, 2, 9)]
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {**change_form(staff_client, article), "related_articles": [other.pk for other in chosen]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.related_to(article) == [chosen[1], chosen[0], chosen[2]]


# --- Hostile titles -------------------------------------------------------------------

HOSTILE_TITLES = [
    'Does a "Battery" Last?',
    'Battery" OR "x',
    "NEAR(battery charger, 2)",
    "battery* -charger ^title: {body} AND NOT OR",
    "'; DELETE FROM articles_article; -- battery",
    "Battery \\ % _ ( ) [ ] : ; < > &amp;",
    pytest.param("Battery\x00 Life", marks=pytest.mark.sqlite),  # PostgreSQL cannot store a NUL
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_hostile_title_does_not_break_the_page(client, title):
    article = ArticleFactory(title=title)
    other = ArticleFactory(title="Why Does a Battery Swell?")

    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = parse(response.content)
    assert page.live_hostile_html() == []
    assert title in page.text
    assert related_on_page(client, article) == cards(other)
    assert Article.objects.count() == 2


@pytest.mark.parametrize("title", ["Battery\x00 Life", "NEAR(\x00battery", '"\x00" OR battery*'])
def test_a_title_with_a_nul_character_is_read_as_plain_words_on_either_database(title):
    article = ArticleFactory(title="Placeholder")
    other = ArticleFactory(title="Why Does a Battery Swell?")
    article.title = title  # in memory only: PostgreSQL refuses to store it

    assert Article.objects.related_to(article) == [other]
