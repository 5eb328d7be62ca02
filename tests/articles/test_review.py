"""Reviews: who may review an article and when (the admin form), how readers see it
(the byline), and which articles are due for another review (queryset, admin filter,
admin index)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from tests.forms import form_fields

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


# --- The admin form -------------------------------------------------------------------


def save_through_admin(staff_client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    return staff_client.post(url, {**form_fields(page.content.decode(), "article_form"), **changes})


def errors_of(response) -> dict:
    assert response.status_code == 200, "the form was saved"
    return response.context["adminform"].form.errors


@pytest.fixture
def draft(db):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=timezone.now() - datetime.timedelta(days=3))


def test_a_reviewer_with_credentials_and_a_review_date_is_saved(staff_client, draft):
    reviewer = AuthorFactory(credentials="MD, Orthopaedic Surgeon")
    response = save_through_admin(staff_client, draft, reviewer=reviewer.pk, last_reviewed=days_ago(1).isoformat())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.reviewer, draft.last_reviewed) == (reviewer, days_ago(1))


def test_the_author_cannot_review_their_own_article(staff_client, draft):
    response = save_through_admin(
        staff_client, draft, reviewer=draft.author.pk, last_reviewed=TODAY().isoformat()
    )
    assert errors_of(response)["reviewer"] == ["The reviewer must be someone other than the author."]


def test_a_reviewer_without_credentials_is_refused(staff_client, draft):
    reviewer = AuthorFactory(name="Sam Plain", credentials="")
    response = save_through_admin(staff_client, draft, reviewer=reviewer.pk, last_reviewed=TODAY().isoformat())
    [message] = errors_of(response)["reviewer"]
    assert message.startswith("Sam Plain has no credentials")


def test_a_reviewer_needs_a_review_date(staff_client, draft):
    response = save_through_admin(staff_client, draft, reviewer=AuthorFactory().pk, last_reviewed="")
    assert errors_of(response)["last_reviewed"] == ["Enter the day the reviewer checked the article."]


def test_a_review_date_needs_a_reviewer(staff_client, draft):
    response = save_through_admin(staff_client, draft, reviewer="", last_reviewed=TODAY().isoformat())
    assert errors_of(response)["last_reviewed"] == ["Choose the reviewer too, or leave the date empty."]


def test_a_review_cannot_be_dated_in_the_future(staff_client, draft):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = save_through_admin(staff_client, draft, reviewer=AuthorFactory().pk, last_reviewed=tomorrow.isoformat())
    [message] = errors_of(response)["last_reviewed"]
    assert message.startswith("The review date cannot be in the future")


def test_a_review_of_the_draft_before_publication_is_accepted(staff_client, draft):
    """Reviewers usually check the text before it goes out; a scheduled article too."""
    later = timezone.localtime() + datetime.timedelta(days=5)
    response = save_through_admin(
        staff_client, draft, status="published", reviewer=AuthorFactory().pk, last_reviewed=days_ago(2).isoformat(),
        publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S"),
        updated_on=later.date().isoformat(),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.last_reviewed == days_ago(2) and not draft.is_public


def test_the_review_fields_explain_the_rules_to_editors(staff_client, draft, settings):
    settings.REVIEW_INTERVAL_DAYS = 180
    page = staff_client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "other than the author, with credentials" in page
    assert "may be before the publish date" in page and "not in the future" in page
    assert "falls due for another review 180 days later" in page


# --- The byline -----------------------------------------------------------------------


def byline_of(client, article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<p class="byline">.*?</p>', html, flags=re.S).group(0)


def review_line(byline: str) -> str:
    """The review part of the byline as a reader reads it: tags dropped, spaces collapsed."""
    match = re.search(r'<span class="byline__review">(.*?)</span>', byline, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split()) if match else ""


@pytest.fixture
def reviewer(db):
    return AuthorFactory(name="Dr. Ana Ruiz", slug="ana-ruiz", credentials="MD, Family Medicine")


def test_a_health_article_is_medically_reviewed_by_the_reviewer_with_credentials_and_date(
    client, policy_pages, reviewer
):
    article = ArticleFactory(category=CategoryFactory(medical=True), reviewer=reviewer,
                             last_reviewed=datetime.date(2026, 3, 4))
    byline = byline_of(client, article)
    assert review_line(byline) == "Medically reviewed by Dr. Ana Ruiz, MD, Family Medicine on March 4, 2026"
    assert f'<a href="{reviewer.get_absolute_url()}">Dr. Ana Ruiz</a>' in byline
    assert '<time datetime="2026-03-04">March 4, 2026</time>' in byline


def test_other_articles_are_reviewed_by(client, policy_pages, reviewer):
    article = ArticleFactory(category=CategoryFactory(medical=False), reviewer=reviewer,
                             last_reviewed=datetime.date(2026, 3, 4))
    assert review_line(byline_of(client, article)) == "Reviewed by Dr. Ana Ruiz, MD, Family Medicine on March 4, 2026"


def test_a_review_without_a_date_shows_no_date(client, policy_pages, reviewer):
    article = ArticleFactory(category=CategoryFactory(medical=True), reviewer=reviewer, last_reviewed=None)
    assert review_line(byline_of(client, article)) == "Medically reviewed by Dr. Ana Ruiz, MD, Family Medicine"


def test_an_article_without_a_reviewer_says_nothing_about_review(client, policy_pages):
    article = ArticleFactory(category=CategoryFactory(medical=True), last_reviewed=days_ago(3))
    byline = byline_of(client, article)
    assert "eviewed" not in byline and "By " in byline


# --- Due for review -------------------------------------------------------------------


@pytest.fixture
def interval(settings):
    settings.REVIEW_INTERVAL_DAYS = 100
    return 100


def test_published_articles_reviewed_longer_ago_than_the_interval_are_due(interval):
    overdue = ArticleFactory(last_reviewed=days_ago(interval + 1))
    ArticleFactory(last_reviewed=days_ago(interval))  # exactly the interval: due tomorrow
    ArticleFactory(last_reviewed=days_ago(3))
    ArticleFactory(last_reviewed=None)
    assert list(Article.objects.due_for_review()) == [overdue]


def test_health_articles_with_a_reviewer_but_no_review_date_are_due(interval, reviewer):
    health = CategoryFactory(medical=True)
    never_reviewed = ArticleFactory(category=health, reviewer=reviewer, last_reviewed=None)
    ArticleFactory(category=health, reviewer=None, last_reviewed=None)
    ArticleFactory(category=CategoryFactory(medical=False), reviewer=reviewer, last_reviewed=None)
    assert list(Article.objects.due_for_review()) == [never_reviewed]


def test_articles_the_public_cannot_see_are_not_due(interval, reviewer):
    health = CategoryFactory(medical=True)
    ArticleFactory(status=Article.Status.DRAFT, last_reviewed=days_ago(interval + 50))
    ArticleFactory(status=Article.Status.DRAFT, category=health, reviewer=reviewer)
    ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1), last_reviewed=days_ago(interval + 50))
    assert not Article.objects.due_for_review().exists()


def test_the_interval_follows_the_setting(settings):
    article = ArticleFactory(last_reviewed=days_ago(40))
    settings.REVIEW_INTERVAL_DAYS = 365
    assert not Article.objects.due_for_review().exists()
    settings.REVIEW_INTERVAL_DAYS = 30
    assert list(Article.objects.due_for_review()) == [article]


def test_the_admin_list_filters_articles_due_for_review(staff_client, interval):
    ArticleFactory(title="Stale advice", last_reviewed=days_ago(interval + 1))
    ArticleFactory(title="Fresh advice", last_reviewed=days_ago(1))
    page = staff_client.get(reverse("admin:articles_article_changelist"), {"review": "due"})
    assert page.status_code == 200
    assert [a.title for a in page.context["cl"].result_list] == ["Stale advice"]
    html = page.content.decode()
    assert "By review" in html and "Due for review" in html


def test_the_admin_list_shows_when_each_article_was_last_reviewed(staff_client):
    ArticleFactory(last_reviewed=datetime.date(2026, 2, 1))
    html = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Last reviewed" in html and "Feb. 1, 2026" in html


def test_the_admin_index_links_to_the_articles_due_for_review(staff_client, interval):
    ArticleFactory.create_batch(2, last_reviewed=days_ago(interval + 1))
    ArticleFactory(last_reviewed=days_ago(1))
    html = staff_client.get(reverse("admin:index")).content.decode()
    link = reverse("admin:articles_article_changelist") + "?review=due"
    assert f'<a href="{link}">2 articles due for review</a>' in html


def test_the_admin_index_says_so_when_one_article_is_due(staff_client, interval):
    ArticleFactory(last_reviewed=days_ago(interval + 1))
    assert "1 article due for review</a>" in staff_client.get(reverse("admin:index")).content.decode()
