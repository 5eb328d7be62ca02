"""The site's standing statements (disclosure bar, "How we make money", the promise box,
the in-article affiliate note): on every page with their placeholders filled, edited
in admin as one set of texts, on readers' pages at the next request, and always text,
never markup."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from core.models import SiteTexts
from tests.dom import parse
from tests.factories import PartnerLinkFactory

pytestmark = pytest.mark.django_db

CHANGE_URL = reverse("admin:core_sitetexts_change", args=["1"])


@pytest.fixture
def article_with_link(article):
    """The conftest article, with an affiliate link and the site's standard disclosure."""
    link = PartnerLinkFactory(slug="heat-pack")
    article.body = f'<p>Rest first.</p><p>A <a href="{link.get_absolute_url()}">heat pack</a> helps.</p>'
    article.affiliate_disclosure = ""
    article.save()
    return article


def pages(article):
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "search": "/search/?q=sciatica",
        "partners": reverse("partners:list"),
        "policy": reverse("about"),
    }


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(parse(response.content).text.split())


def form_data(**texts):
    current = SiteTexts.objects.current()
    return {name: texts.get(name, getattr(current, name))
            for name in ("disclosure_bar", "how_we_make_money", "article_disclosure", "promise")}


@pytest.mark.parametrize("page", ["home", "article", "category", "author", "search", "partners", "policy"])
def test_default_texts_are_on_every_page_with_the_site_name_and_founding_year_filled_in(client, article_with_link, page, settings):
    text = text_of(client, pages(article_with_link)[page])

    assert "We are independent & ad-supported. We may earn a commission for purchases made through our links." in text
    assert f"{settings.SITE_NAME} is paid for by the advertising shown beside our articles" in text
    assert "{site}" not in text and "{founded}" not in text


def test_the_article_shows_the_default_promise_and_affiliate_note_filled_in(client, article_with_link, settings):
    text = text_of(client, article_with_link.get_absolute_url())

    assert f"Founded in {settings.SITE_FOUNDED}, {settings.SITE_NAME} is independent and answers to its readers." in text
    assert "We may earn a commission if you buy through links in this article. How we make money" in text


def test_texts_edited_in_admin_are_on_readers_pages_at_the_next_request(client, staff_client, article_with_link, settings):
    reader = Client()
    url = article_with_link.get_absolute_url()
    before = text_of(reader, url)
    assert before == text_of(reader, url)  # now from the page cache

    response = staff_client.post(CHANGE_URL, form_data(
        disclosure_bar="{site} is funded by readers and ads.",
        how_we_make_money="Since {founded} we have been paid by ads.",
        article_disclosure="{site} earns money from links below.",
        promise="{site} promises plain facts since {founded}.",
    ))
    assert response.status_code == 302, response.content.decode()[:2000]

    after = text_of(reader, url)
    name, year = settings.SITE_NAME, settings.SITE_FOUNDED
    assert f"{name} is funded by readers and ads." in after
    assert f"Since {year} we have been paid by ads." in after
    assert f"{name} promises plain facts since {year}." in after
    assert f"{name} earns money from links below. How we make money" in after
    assert "We are independent & ad-supported" not in after
    assert f"{name} is funded by readers and ads." in text_of(reader, "/")


def test_the_admin_list_of_site_texts_opens_the_one_set_of_texts(staff_client):
    response = staff_client.get(reverse("admin:core_sitetexts_changelist"))

    assert response.status_code == 302 and response["Location"] == CHANGE_URL
    form = staff_client.get(CHANGE_URL)
    assert form.status_code == 200
    assert "We are independent &amp; ad-supported." in form.content.decode()  # the defaults, before any save


def test_site_texts_can_be_neither_added_nor_deleted(staff_client):
    staff_client.post(CHANGE_URL, form_data(disclosure_bar="Saved once."))
    staff_client.post(CHANGE_URL, form_data(disclosure_bar="Saved twice."))

    assert staff_client.get(reverse("admin:core_sitetexts_add")).status_code == 403
    assert staff_client.post(reverse("admin:core_sitetexts_delete", args=["1"]), {"post": "yes"}).status_code == 403
    assert staff_client.get(reverse("admin:core_sitetexts_change", args=["2"])).status_code in (302, 404)
    assert list(SiteTexts.objects.values_list("pk", "disclosure_bar")) == [(1, "Saved twice.")]
    assert b"Delete" not in staff_client.get(CHANGE_URL).content


def test_texts_saved_from_a_shell_replace_the_one_set(client):
    SiteTexts(disclosure_bar="From the shell.").save()
    SiteTexts(disclosure_bar="From the shell, again.").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteTexts.objects.create(disclosure_bar="A second set.")

    assert list(SiteTexts.objects.values_list("pk", "disclosure_bar")) == [(1, "From the shell, again.")]
    assert "From the shell, again." in text_of(client, "/")


HOSTILE = '<script>alert("x")</script> " onmouseover="alert(1)" \' <img src=x onerror=alert(2)> {site}'


def test_hostile_texts_are_shown_as_text_never_as_markup(client, article_with_link, settings):
    SiteTexts.objects.create(disclosure_bar=HOSTILE[:200], how_we_make_money=HOSTILE,
                             article_disclosure=HOSTILE, promise=HOSTILE)

    for url in (article_with_link.get_absolute_url(), "/"):
        html = client.get(url).content.decode()
        page = parse(html)
        assert page.live_hostile_html() == [], url
        assert page.shows(HOSTILE.replace("{site}", settings.SITE_NAME)), url
        assert "<script>alert" not in html and "<img src=x" not in html, url


def test_an_articles_own_hostile_disclosure_is_shown_as_text(client, article_with_link):
    article_with_link.affiliate_disclosure = HOSTILE[:300]
    article_with_link.save()

    page = parse(client.get(article_with_link.get_absolute_url()).content)

    assert page.live_hostile_html() == []
    assert page.shows(HOSTILE)
