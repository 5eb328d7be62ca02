"""An article with affiliate links is never published without telling readers: the
admin's add and change forms, and its Publish action, refuse it; drafts may wait."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core.models import SiteTexts
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory, CategoryFactory
from tests.forms import form_fields

pytestmark = pytest.mark.django_db

STANDARD = SiteTexts().article_disclosure_text  # the default wording, before editors change it
PARTNER_LINK = '<p>Buy a <a href="https://shop.outdoor.example/boots">good pair of boots</a>.</p>'
GO_LINK = '<p>Buy a <a href="/go/boots">good pair of boots</a>.</p>'
PLAIN_LINK = '<p>Read <a href="https://en.wikipedia.org/wiki/Boot">about boots</a>.</p>'


@pytest.fixture
def partner(db):
    return AffiliatePartnerFactory(slug="outdoor", domains="outdoor.example")


def add_form(staff_client, **changes) -> dict:
    """The add form as the editor finds it, filled in with a valid article, then ``changes``."""
    page = staff_client.get(reverse("admin:articles_article_add"))
    assert page.status_code == 200
    fields = form_fields(page.content.decode(), "article_form")
    fields.update({
        "title": "Which Hiking Boots Last Longest?",
        "slug": "which-hiking-boots-last-longest",
        "category": CategoryFactory().pk,
        "author": AuthorFactory().pk,
        "summary": "What makes a boot last, and what to pay for.",
        "body": "<p>Leather lasts.</p>",
    })
    fields.update(changes)
    return fields


def change_form(staff_client, article, **changes) -> dict:
    page = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    return {**form_fields(page.content.decode(), "article_form"), **changes}


def errors_of(response) -> dict:
    return response.context["adminform"].form.errors


def test_a_new_article_starts_with_the_sites_standard_disclosure(staff_client):
    SiteTexts.objects.create(article_disclosure="{site} may earn a commission from links here.")
    fields = add_form(staff_client)
    assert fields["affiliate_disclosure"] == SiteTexts.objects.current().article_disclosure_text
    assert fields["affiliate_disclosure"].endswith("may earn a commission from links here.")


def test_an_existing_article_keeps_its_own_disclosure_even_when_empty(staff_client):
    article = ArticleFactory(affiliate_disclosure="")
    assert change_form(staff_client, article)["affiliate_disclosure"] == ""


@pytest.mark.parametrize("body", [PARTNER_LINK, GO_LINK], ids=["partner domain", "through /go/"])
def test_publishing_with_affiliate_links_and_no_disclosure_is_refused_on_the_field(staff_client, partner, body):
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        add_form(staff_client, body=body, status="published", affiliate_disclosure=""),
    )
    assert response.status_code == 200
    [message] = errors_of(response)["affiliate_disclosure"]
    assert "cannot be published without a disclosure" in message
    assert f"“{STANDARD}”" in message
    assert not Article.objects.exists()


def test_a_disclosure_of_blanks_counts_as_none(staff_client, partner):
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        add_form(staff_client, body=PARTNER_LINK, status="published", affiliate_disclosure="   "),
    )
    assert response.status_code == 200 and "affiliate_disclosure" in errors_of(response)


def test_the_publish_action_counts_a_stored_disclosure_of_blanks_as_none(staff_client, partner):
    draft = ArticleFactory(status=Article.Status.DRAFT, body=GO_LINK, affiliate_disclosure="   ")
    staff_client.post(reverse("admin:articles_article_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publishing_with_affiliate_links_and_the_standard_disclosure_is_accepted(staff_client, partner):
    response = staff_client.post(
        reverse("admin:articles_article_add"), add_form(staff_client, body=PARTNER_LINK, status="published")
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.affiliate_disclosure == STANDARD


@pytest.mark.parametrize("status", ["draft", "review"])
def test_a_draft_with_affiliate_links_may_be_saved_without_a_disclosure(staff_client, partner, status):
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        add_form(staff_client, body=PARTNER_LINK, status=status, affiliate_disclosure=""),
    )
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get().affiliate_disclosure == ""


def test_an_article_without_affiliate_links_may_be_published_without_a_disclosure(staff_client, partner):
    AffiliatePartnerFactory(slug="gone", domains="gone.example", is_active=False)
    body = PLAIN_LINK + '<p><a href="https://gone.example/x">A former partner</a>.</p>'
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        add_form(staff_client, body=body, status="published", affiliate_disclosure=""),
    )
    assert response.status_code == 302, errors_of(response)


def test_publishing_a_stored_draft_with_links_and_no_disclosure_is_refused_and_it_stays_a_draft(staff_client, partner):
    draft = ArticleFactory(status=Article.Status.DRAFT, body=PARTNER_LINK, affiliate_disclosure="")
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[draft.pk]),
        change_form(staff_client, draft, status="published"),
    )
    assert response.status_code == 200
    assert "affiliate_disclosure" in errors_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_scheduling_counts_as_publishing(staff_client, partner):
    later = timezone.localtime() + timezone.timedelta(days=2)
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        add_form(staff_client, body=GO_LINK, status="published", affiliate_disclosure="",
                 publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S"),
                 updated_on=later.date().isoformat()),
    )
    assert response.status_code == 200 and "affiliate_disclosure" in errors_of(response)


def test_the_publish_action_leaves_an_undisclosed_article_a_draft_and_says_why(staff_client, partner):
    undisclosed = ArticleFactory(title="Boots", status=Article.Status.DRAFT, body=PARTNER_LINK, affiliate_disclosure="")
    disclosed = ArticleFactory(status=Article.Status.DRAFT, body=PARTNER_LINK, affiliate_disclosure=STANDARD)
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [undisclosed.pk, disclosed.pk]},
        follow=True,
    )
    undisclosed.refresh_from_db(), disclosed.refresh_from_db()
    assert undisclosed.status == Article.Status.DRAFT
    assert disclosed.status == Article.Status.PUBLISHED
    messages = [str(m) for m in response.context["messages"]]
    assert "Published 1 article(s)." in messages
    assert any(m.startswith("Not published, because they have affiliate links and no disclosure: “Boots”.")
               and f"“{STANDARD}”" in m for m in messages)


def test_the_money_fields_are_on_the_form(staff_client):
    fields = add_form(staff_client)
    assert fields["show_ads"] == "on"
    assert "last_reviewed" in fields
