"""The Share block under each article: plain links a reader clicks, a link field that works
without JavaScript, and nothing loaded from any network before the reader asks."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from lxml import html as lxml_html

from articles.models import Article

pytestmark = pytest.mark.django_db

SITE = "http://localhost:8000"


def share_block(client, article):
    dom = lxml_html.fromstring(client.get(article.get_absolute_url()).content)
    (block,) = dom.xpath("//section[@class='share']")
    return dom, block


def links(block) -> dict[str, str]:
    return {a.text_content(): a.get("href") for a in block.xpath(".//ul[@class='share__links']//a")}


def test_the_link_field_holds_the_canonical_address_and_works_without_javascript(client, article):
    dom, block = share_block(client, article)
    (field,) = block.xpath(".//input[@id='share-link']")
    (label,) = block.xpath(".//label[@for='share-link']")

    assert field.get("value") == dom.xpath("string(//link[@rel='canonical']/@href)") == f"{SITE}{article.get_absolute_url()}"
    assert field.get("readonly") is not None
    assert label.text_content() == "Link to this article"
    # The Copy button needs JavaScript, so it is hidden until share.js shows it.
    (button,) = block.xpath(".//button[@data-copy='share-link']")
    assert button.get("hidden") is not None
    assert dom.xpath("//script[@src='/static/js/share.js']/@defer")


def test_email_opens_a_message_with_the_title_as_subject_and_the_address_in_the_body(client, article):
    _, block = share_block(client, article)
    mailto = urlsplit(links(block)["Email"])
    fields = parse_qs(mailto.query)

    assert mailto.scheme == "mailto" and mailto.path == ""
    assert fields["subject"] == [article.title]
    assert f"{SITE}{article.get_absolute_url()}" in fields["body"][0]


def test_the_networks_are_plain_links_carrying_the_address_and_no_script_of_theirs(client, article):
    dom, block = share_block(client, article)
    url = quote(f"{SITE}{article.get_absolute_url()}", safe="")
    networks = {name: href for name, href in links(block).items() if name != "Email"}

    assert set(networks) >= {"Facebook", "X", "LinkedIn", "Bluesky", "Reddit", "WhatsApp"}
    for name, href in networks.items():
        assert href.startswith("https://"), name
        assert url in href, name
    for anchor in block.xpath(".//ul[@class='share__links']//a[not(starts-with(@href, 'mailto:'))]"):
        assert set(anchor.get("rel").split()) >= {"nofollow", "noopener", "noreferrer"}
    # Nothing on the page is fetched from anywhere but this site: no widget, no pixel.
    fetched = dom.xpath("//script/@src | //img/@src | //iframe/@src | //link[@rel='stylesheet']/@href | //source/@srcset")
    assert fetched and all(src.startswith("/") and not src.startswith("//") for src in fetched), fetched


def test_a_title_with_quotes_ampersands_and_markup_is_encoded_in_every_link(client, article):
    title = 'Salt & "pepper" <b>#1</b>? 100% / done'
    Article.objects.filter(pk=article.pk).update(title=title)
    _, block = share_block(client, article)
    shared = links(block)

    assert parse_qs(urlsplit(shared["Email"]).query)["subject"] == [title]
    assert parse_qs(urlsplit(shared["X"]).query)["text"] == [title]
    assert parse_qs(urlsplit(shared["Reddit"]).query)["title"] == [title]
    assert block.xpath(".//b") == []
