"""Long web addresses shown as link text wrap where a person would break them (after
"//", before "/", ".", "?", "#", "&", "="), never inside a word: the partners page, author
pages, article bodies and comments. tests/e2e/test_long_addresses.py looks at the lines
a browser draws."""

import re

import pytest

from articles.models import Comment
from core.addresses import shown_address, wrappable
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

LONG = "https://www.hearthstonehardware.example/garden/compost-bins?partner=wisegeek&size=large#reviews"


def pieces(html: str) -> list[str]:
    return html.split("<wbr>")


def links(html: str, href: str) -> list[str]:
    """The inner HTML of every link to ``href`` on a page."""
    return re.findall(rf'<a\b[^>]*\bhref="{re.escape(href)}"[^>]*>(.*?)</a>', html)


@pytest.mark.parametrize("address, expected", [
    (LONG, ["https://", "www", ".hearthstonehardware", ".example", "/garden", "/compost-bins", "?partner",
            "=wisegeek", "&amp;size", "=large", "#reviews"]),
    ("example.com/", ["example", ".com/"]),
    ("https://example.com:8443/a//b", ["https://", "example", ".com:8443", "/a", "//", "b"]),
    ("no-address-at-all", ["no-address-at-all"]),
])
def test_an_address_may_wrap_only_after_a_double_slash_or_before_a_separator(address, expected):
    assert pieces(wrappable(address)) == expected


def test_markup_in_an_address_stays_text():
    assert wrappable("https://x.example/<script>") == "https://<wbr>x<wbr>.example<wbr>/&lt;script&gt;"


@pytest.mark.parametrize("url, host_only, expected", [
    ("https://www.partner.example/", False, "www.partner.example"),
    ("https://www.partner.example/shop/", False, "www.partner.example/shop/"),
    ("http://social.example.org/@helen?tab=posts", False, "social.example.org/@helen?tab=posts"),
    ("https://www.partner.example/shop?ref=wisegeek", True, "www.partner.example"),
    ("not a url", False, "not a url"),
])
def test_an_address_is_shown_without_its_scheme_or_as_its_host(url, host_only, expected):
    assert shown_address(url, host_only=host_only).replace("<wbr>", "") == expected


def test_the_partners_page_shows_each_partners_host_as_link_text_with_places_to_wrap(client):
    AffiliatePartnerFactory(name="Hearthstone Hardware", website=LONG)

    html = client.get("/affiliate-partners/").content.decode()

    assert links(html, LONG.replace("&", "&amp;")) == ["www<wbr>.hearthstonehardware<wbr>.example"]


def test_an_authors_profile_links_elsewhere_show_their_address_with_places_to_wrap(client):
    author = AuthorFactory(slug="helen-marsh",
                           social_links="https://social.example.org/@helen.marsh.community.nurse")

    html = client.get(author.get_absolute_url()).content.decode()

    assert links(html, "https://social.example.org/@helen.marsh.community.nurse") == [
        "social<wbr>.example<wbr>.org<wbr>/@helen<wbr>.marsh<wbr>.community<wbr>.nurse"]


def test_a_link_in_an_article_whose_text_is_an_address_gets_places_to_wrap_and_other_links_do_not(client):
    article = ArticleFactory(body=(
        f'<p>Guidance: <a href="{LONG}">{LONG.replace("&", "&amp;")}</a>, '
        '<a href="https://example.org/a/b">our own words</a>, '
        '<a href="https://x.example/">https://x.example/?q=&lt;b&gt;</a></p>'
    ))

    html = client.get(article.get_absolute_url()).content.decode()

    assert links(html, LONG.replace("&", "&amp;")) == [wrappable(LONG)]
    assert links(html, "https://example.org/a/b") == ["our own words"]
    assert links(html, "https://x.example/") == ["https://<wbr>x<wbr>.example<wbr>/?q<wbr>=&lt;b&gt;"]


def test_a_long_address_in_a_comment_is_linked_with_places_to_wrap(client):
    article = ArticleFactory()
    Comment.objects.create(article=article, name="Sam", email="sam@example.com", status=Comment.Status.APPROVED,
                           body="Helpful: https://www.physio.example.org/sciatica/exercises?from=post thanks")

    html = client.get(article.get_absolute_url()).content.decode()

    assert links(html, "https://www.physio.example.org/sciatica/exercises?from=post") == [
        "https://<wbr>www<wbr>.physio<wbr>.example<wbr>.org<wbr>/sciatica<wbr>/exercises<wbr>?from<wbr>=post"]
