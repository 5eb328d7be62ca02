"""Affiliate links in an article as readers get it: every link through /go/ or to an
active partner's domain is marked rel="sponsored noopener", /go/ links carry the article
they are clicked from, the disclosure stands above the first of them, and the in-article
ad follows its paragraph — never inside a list, a quote or a table.

The body is what an editor (or an import, or a hostile paste) stored, so every case goes
through ``core.html.clean_html`` first, as the article page does, and the important ones
through the rendered page too.
"""

import html
import re
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from core.html import clean_html
from partners.clicks import source_token
from partners.html import has_affiliate_links, mark_affiliate_links, with_disclosure_and_ad
from partners.models import LinkClick
from tests.factories import AdPlacementFactory, AffiliatePartnerFactory, PartnerLinkFactory

DOMAINS = frozenset({"shop.example"})
SOURCE = "42:signed"
SPONSORED = 'rel="sponsored noopener"'
FROM = html.escape(urlencode({"from": SOURCE}))  # from=42%3Asigned
DISCLOSURE = '<aside class="affiliate-note">We may earn a commission.</aside>'
AD = '<aside class="ad">Advertisement</aside>'
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")


def marked(stored_html: str) -> str:
    """What the article page does to a stored body: sanitize, then mark."""
    return mark_affiliate_links(clean_html(stored_html), DOMAINS, source=SOURCE)


def anchors(value: str) -> list[str]:
    return re.findall(r"<a\b[^>]*>", value)


# --- Which links are affiliate links --------------------------------------------------

@pytest.mark.parametrize("href, expected", [
    ("/go/heat-pack", f'<a href="/go/heat-pack?{FROM}" {SPONSORED}>'),
    ("http://localhost:8000/go/heat-pack", f'<a href="http://localhost:8000/go/heat-pack?{FROM}" {SPONSORED}>'),
    ("//localhost:8000/go/heat-pack", f'<a href="//localhost:8000/go/heat-pack?{FROM}" {SPONSORED}>'),
    ("HTTP://LOCALHOST:8000/go/heat-pack", f'<a href="http://LOCALHOST:8000/go/heat-pack?{FROM}" {SPONSORED}>'),
    ("/go/heat-pack#offer", f'<a href="/go/heat-pack?{FROM}#offer" {SPONSORED}>'),
], ids=["relative", "absolute on SITE_URL", "scheme-relative", "upper case", "with a fragment"])
def test_links_through_go_on_this_site_are_marked_and_carry_their_article(href, expected):
    assert anchors(marked(f'<p><a href="{href}">heat pack</a></p>')) == [expected]


@override_settings(SITE_URL="https://www.wisegeek.example")
def test_a_go_link_on_the_production_address_is_marked_and_one_on_another_site_is_not():
    body = marked('<p><a href="https://www.wisegeek.example/go/a">a</a> <a href="https://copycat.example/go/b">b</a></p>')

    assert anchors(body) == [f'<a href="https://www.wisegeek.example/go/a?{FROM}" {SPONSORED}>',
                             '<a href="https://copycat.example/go/b">']


@pytest.mark.parametrize("href", [
    "https://shop.example/heat",
    "http://shop.example",
    "https://go.shop.example/heat",
    "https://a.b.shop.example/heat",
    "https://SHOP.Example./heat",
    "https://shop.example:8443/heat",
    "https://user@shop.example/heat",
    "  https://shop.example/heat  ",
    "https://shop.example/heat?a=1&amp;b=2",
    "https://shop&#46;example/heat",
], ids=["domain", "bare domain", "subdomain", "deep subdomain", "upper case and trailing dot", "port",
        "userinfo", "spaces", "entity in query", "entity in host"])
def test_links_to_a_partners_domain_and_its_subdomains_are_marked_but_not_rewritten(href):
    body = marked(f'<p><a href="{href}">heat pack</a></p>')

    [anchor] = anchors(body)
    assert anchor.endswith(f" {SPONSORED}>")
    assert "from=" not in anchor  # the partner's own tracking is theirs to keep


@pytest.mark.parametrize("href", [
    "https://shop.example.evil/heat",
    "https://evilshop.example/heat",
    "https://shop-example.com/heat",
    "https://shop.example@evil.example/heat",
    "https://evil.example/?next=https://shop.example/",
    "https://evil.example/go/heat-pack",
    "https://localhost.evil.example/go/heat-pack",
    "mailto:orders@shop.example",
    "ftp://shop.example/heat",
    "/gone/heat-pack",
    "/GO/heat-pack",
    "/articles/go/heat-pack",
    "https://en.wikipedia.org/wiki/Heat_pack",
], ids=["look-alike suffix", "look-alike prefix", "hyphenated", "partner as userinfo", "partner in query",
        "go on another site", "our host as a prefix", "mailto", "ftp", "gone", "GO in capitals", "go deeper",
        "another site"])
def test_look_alikes_and_other_sites_are_left_exactly_as_stored(href):
    stored = clean_html(f'<p><a href="{href}">x</a></p>')

    assert mark_affiliate_links(stored, DOMAINS, source=SOURCE) == stored


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                                  "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"])
def test_executable_hrefs_are_gone_before_marking_and_nothing_is_made_of_them(href):
    body = marked(f'<p><a href="{href}">x</a> <a href=\'{href}\'>y</a></p>')

    assert body == "<p><a>x</a> <a>y</a></p>"


def test_hostile_markup_is_sanitized_first_then_its_partner_links_marked():
    stored = ('<p onclick="steal()">Buy <a href=/go/heat-pack title=Heat onmouseover=steal()>this<p>'
              '<a href=https://shop.example/x rel=dofollow target=_blank>that</a>'
              '<ul><li><a href="/go/kit">kit<li>unclosed</ul><script>steal()</script>')

    body = marked(stored)

    assert anchors(body) == [f'<a href="/go/heat-pack?{FROM}" title="Heat" {SPONSORED}>',
                             f'<a href="https://shop.example/x" {SPONSORED}>',
                             # Like a browser, the sanitizer carries the unclosed link into the next item.
                             f'<a href="/go/kit?{FROM}" {SPONSORED}>', f'<a href="/go/kit?{FROM}" {SPONSORED}>']
    assert "steal" not in body and "dofollow" not in body and "target" not in body


def test_a_title_mentioning_href_does_not_hide_the_link_from_marking():
    body = marked('<p><a title=\'see href=\' href="/go/heat-pack">x</a></p>')

    assert anchors(body) == [f'<a title="see href=" href="/go/heat-pack?{FROM}" {SPONSORED}>']


def test_from_is_added_to_go_links_only_and_joins_their_query_escaped():
    body = marked('<p><a href="/go/heat-pack?size=l&amp;colour=red">a</a> '
                  '<a href="/go/kit?q=\'&quot;&lt;x&gt;">b</a> '
                  '<a href="https://shop.example/?a=1&amp;b=2">c</a></p>')

    assert anchors(body) == [
        f'<a href="/go/heat-pack?size=l&amp;colour=red&amp;{FROM}" {SPONSORED}>',
        f'<a href="/go/kit?q=&#x27;&quot;&lt;x&gt;&amp;{FROM}" {SPONSORED}>',
        f'<a href="https://shop.example/?a=1&amp;b=2" {SPONSORED}>',
    ]


def test_a_from_already_in_a_stored_link_is_replaced_by_this_articles():
    """An editor who copies a /go/ link from another article's page copies its ?from=."""
    body = marked('<p><a href="/go/heat-pack?from=7%3Aother&amp;size=l">a</a> '
                  '<a href="/go/kit?datefrom=2024">b</a></p>')

    assert anchors(body) == [f'<a href="/go/heat-pack?size=l&amp;{FROM}" {SPONSORED}>',
                             f'<a href="/go/kit?datefrom=2024&amp;{FROM}" {SPONSORED}>']


def test_without_a_source_go_links_are_marked_and_left_as_they_are():
    body = mark_affiliate_links(clean_html('<p><a href="/go/heat-pack">a</a></p>'), DOMAINS)

    assert anchors(body) == [f'<a href="/go/heat-pack" {SPONSORED}>']


def test_a_partner_domain_is_only_a_partner_while_it_is_in_the_list():
    stored = clean_html('<p><a href="https://shop.example/x">a</a></p>')

    assert mark_affiliate_links(stored, frozenset(), source=SOURCE) == stored
    assert not has_affiliate_links(mark_affiliate_links(stored, frozenset(), source=SOURCE))
    assert has_affiliate_links(mark_affiliate_links(stored, DOMAINS, source=SOURCE))


def test_text_that_only_looks_like_a_link_is_not_touched():
    stored = clean_html('<p>Type &lt;a href="/go/heat-pack"&gt; into the editor, or <code>&lt;a href=x&gt;</code>.</p>')

    assert mark_affiliate_links(stored, DOMAINS, source=SOURCE) == stored


# --- The disclosure and the in-article ad ---------------------------------------------

def placed(stored_html: str, *, ad_after: int = 0) -> str:
    return with_disclosure_and_ad(marked(stored_html), disclosure=DISCLOSURE, ad=AD if ad_after else "",
                                  ad_after=ad_after)


def test_the_disclosure_goes_just_above_the_paragraph_with_the_first_affiliate_link():
    body = placed('<p>Intro.</p>\n<p>Try <a href="/go/heat-pack">this</a>.</p>\n<p>More <a href="/go/kit">kit</a>.</p>')

    assert body.count(DISCLOSURE) == 1
    assert body.startswith(f'<p>Intro.</p>\n{DISCLOSURE}<p>Try <a href="/go/heat-pack?')


def test_the_disclosure_comes_first_when_the_first_paragraph_has_the_link():
    body = placed('<p><a href="https://shop.example/">Shop</a> first.</p><p>Then.</p>')

    assert body.startswith(DISCLOSURE + "<p><a ")


@pytest.mark.parametrize("container", ["ul", "ol", "blockquote", "table"])
def test_the_disclosure_goes_above_the_list_quote_or_table_holding_the_first_link_never_inside(container):
    inner = {"ul": "<li>a</li><li><a href='/go/x'>x</a></li>", "ol": "<li><a href='/go/x'>x</a></li>",
             "blockquote": "<p>q</p><p><a href='/go/x'>x</a></p>",
             "table": "<tr><td>a</td><td><a href='/go/x'>x</a></td></tr>"}[container]
    body = placed(f"<p>Intro.</p><{container}>{inner}</{container}><p>End.</p>")

    assert f"<p>Intro.</p>{DISCLOSURE}<{container}>" in body
    assert body.count(DISCLOSURE) == 1


def test_no_disclosure_without_an_affiliate_link():
    body = placed('<p><a href="https://en.wikipedia.org/">Wikipedia</a></p><p><a href="/about/">About</a></p>')

    assert DISCLOSURE not in body


def test_the_ad_follows_the_nth_top_level_paragraph():
    body = placed("<p>One.</p><h2>Part</h2><p>Two.</p><p>Three.</p>", ad_after=2)

    assert body == f"<p>One.</p><h2>Part</h2><p>Two.</p>{AD}<p>Three.</p>"


def test_paragraphs_inside_quotes_lists_and_tables_are_not_counted_and_never_hold_the_ad():
    body = placed("<p>One.</p><blockquote><p>Q1.</p><p>Q2.</p></blockquote>"
                  "<ul><li><p>L1.</p></li></ul><table><tr><td><p>T1.</p></td></tr></table>"
                  "<p>Two.</p><p>Three.</p>", ad_after=2)

    assert body.count(AD) == 1
    assert f"<p>Two.</p>{AD}<p>Three.</p>" in body


@pytest.mark.parametrize("stored", ["<p>One.</p><ul><li>a</li></ul>", "<p>One.</p><p>Two.</p>", ""],
                         ids=["fewer paragraphs", "the nth paragraph ends the article", "empty"])
def test_no_in_article_ad_without_a_paragraph_for_it_to_follow_inside_the_article(stored):
    assert AD not in placed(stored, ad_after=2)


def test_disclosure_and_ad_at_the_same_place_come_ad_first_then_the_disclosure_above_its_link():
    body = placed('<p>One.</p><p>Two.</p><p>Buy <a href="/go/x">x</a>.</p><p>Four.</p>', ad_after=2)

    assert body.startswith(f"<p>One.</p><p>Two.</p>{AD}{DISCLOSURE}<p>Buy ")


def test_disclosure_and_ad_in_different_places_are_both_inserted_where_they_belong():
    body = placed('<p>One <a href="/go/x">x</a>.</p>\n<p>Two.</p>\n<p>Three.</p>\n<p>Four.</p>', ad_after=3)

    assert body == (f'{DISCLOSURE}<p>One <a href="/go/x?{FROM}" {SPONSORED}>x</a>.</p>\n<p>Two.</p>\n'
                    f"<p>Three.</p>{AD}\n<p>Four.</p>")


# --- On the rendered article page ------------------------------------------------------

def article_body(client, article) -> str:
    page = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<div class="article__body prose">(.*?)</div>', page, re.S).group(1).strip()


def without_disclosure(body: str) -> str:
    """The body's own HTML: the disclosure has a link of its own (How we make money)."""
    return re.sub(r'<aside class="affiliate-note".*?</aside>', "", body, flags=re.S)


@pytest.fixture
def partner(db):
    return AffiliatePartnerFactory(domains="brightleaf.example")


def test_the_article_page_marks_partner_and_go_links_and_leaves_the_rest(client, article, partner):
    article.body = ('<p>Intro with <a href="https://en.wikipedia.org/wiki/Sciatica">a source</a>.</p>'
                    '<p><a href=https://SHOP.Brightleaf.Example./heat>heat pack</a> and '
                    '<a href="/go/heat-pack?size=l&amp;c=red" onclick="x()">kit</a>'
                    ' <a href="javascript:alert(1)">bad</a></p>')
    article.save()
    from_article = html.escape(urlencode({"from": source_token(article)}))

    body = without_disclosure(article_body(client, article))

    assert anchors(body) == [
        '<a href="https://en.wikipedia.org/wiki/Sciatica">',
        f'<a href="https://SHOP.Brightleaf.Example./heat" {SPONSORED}>',
        f'<a href="/go/heat-pack?size=l&amp;c=red&amp;{from_article}" {SPONSORED}>',
        "<a>",
    ]


def test_following_a_go_link_from_the_article_page_counts_the_click_for_that_article(client, article):
    PartnerLinkFactory(slug="heat-pack", destination="https://shop.brightleaf.example/heat")
    article.body = '<p>Intro.</p><p>Try <a href="/go/heat-pack">the heat pack</a>.</p>'
    article.save()

    href = re.search(r'<a href="(/go/heat-pack\?[^"]+)"', article_body(client, article)).group(1)
    response = client.get(html.unescape(href), headers={"user-agent": CHROME})

    assert response["Location"] == "https://shop.brightleaf.example/heat"
    assert list(LinkClick.objects.values_list("link__slug", "article_id", "clicks")) == [("heat-pack", article.pk, 1)]


def test_the_article_page_shows_the_disclosure_above_the_list_with_the_first_affiliate_link(client, article, partner):
    article.body = ("<p>Intro.</p><ul><li>Plain item</li><li><a href='https://brightleaf.example/x'>Partner</a></li></ul>"
                    "<p><a href='/go/kit'>kit</a></p>")
    article.save()

    body = article_body(client, article)

    assert body.count('class="affiliate-note"') == 1
    assert re.fullmatch(r'<p>Intro\.</p><aside class="affiliate-note"[^>]*>.*?</aside>\s*<ul><li>Plain item.*', body, re.S)


def test_the_article_page_shows_no_disclosure_without_affiliate_links(client, article, partner):
    article.body = '<p>Only <a href="https://en.wikipedia.org/">a source</a>.</p>'
    article.save()

    assert "affiliate-note" not in article_body(client, article)


def test_the_article_page_puts_its_ad_after_the_nth_paragraph_and_not_in_a_list(client, article, partner):
    AdPlacementFactory(number=2)
    article.body = ("<p>One.</p><ul><li><p>In a list.</p></li></ul><p>Two <a href='https://brightleaf.example/'>shop</a>.</p>"
                    "<p>Three.</p>")
    article.save()

    body = article_body(client, article)

    assert body.count('class="ad ad--in-article"') == 1
    assert re.fullmatch(
        r'<p>One\.</p><ul><li><p>In a list\.</p></li></ul><aside class="affiliate-note".*?</aside>\s*'
        r'<p>Two <a [^>]+>shop</a>\.</p><aside class="ad ad--in-article".*?</aside>\s*<p>Three\.</p>',
        body, re.S,
    ), body


def test_the_article_page_shows_no_in_article_ad_when_it_is_too_short(client, article):
    AdPlacementFactory(number=3)
    article.body = "<p>One.</p><p>Two.</p><p>Three.</p>"
    article.save()

    assert "ad--in-article" not in article_body(client, article)
