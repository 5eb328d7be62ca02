"""Ads: where each placement appears on the page a reader gets, which one wins, that an
ad is always labelled and never an empty box, that an ad network stays out of the page
(and out of the Content-Security-Policy) until it is turned on, and that ads cost the
article page no queries and no stale cached pages."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from csp.utils import build_policy
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from core.models import SiteTexts
from partners.models import AdPlacement, AffiliatePartner
from tests.factories import (
    AdPlacementFactory,
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    PartnerLinkFactory,
)
from tests.liveserver import ROOT

pytestmark = pytest.mark.django_db

IN_ARTICLE = AdPlacement.Position.IN_ARTICLE
BELOW_ARTICLE = AdPlacement.Position.BELOW_ARTICLE
IN_LISTING = AdPlacement.Position.IN_LISTING
NETWORK = AdPlacement.Kind.NETWORK
ADSENSE = settings.AD_NETWORKS["adsense"]
NETWORK_ON = override_settings(AD_NETWORK="adsense", AD_NETWORK_CLIENT="ca-pub-123")
# Parts of the page an ad must never be put inside.
NOT_INSIDE = {"byline", "author-box", "comments", "affiliate-note", "disclosure", "promise", "standards", "card"}


# --- Reading the page's outline --------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.classes = set((attrs.get("class") or "").split())
        self.children: list[Node] = []
        self.text = ""

    @property
    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants

    def inside(self, css_class):
        return any(css_class in a.classes for a in self.ancestors)

    def __repr__(self):
        return f"<{self.tag} class={' '.join(sorted(self.classes))!r}>"


class Outline(HTMLParser):
    """The page as a tree of elements, in document order (``nodes``)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.open = [self.root]
        self.nodes: list[Node] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.open[-1])
        self.open[-1].children.append(node)
        self.nodes.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        for node in self.open[1:]:
            node.text += data

    def all(self, css_class):
        return [node for node in self.nodes if css_class in node.classes]

    def one(self, css_class):
        found = self.all(css_class)
        assert len(found) == 1, f"{len(found)} elements .{css_class}"
        return found[0]

    def position(self, node):
        return self.nodes.index(node)


def outline(client, url) -> Outline:
    response = client.get(url)
    assert response.status_code == 200, url
    return Outline(response.content.decode())


def ads_on(client, url) -> list[Node]:
    return outline(client, url).all("ad")


def children_kinds(container: Node) -> list[str]:
    """``card`` / ``ad`` / tag for each child of a list of cards or an article's body."""
    return ["ad" if "ad" in c.classes else "card" if "card" in c.classes else c.tag for c in container.children]


# --- Content -------------------------------------------------------------------------

def paragraphs(count, first=""):
    return "".join(f"<p>{first if i == 1 and first else f'Paragraph {i} of the article.'}</p>" for i in range(1, count + 1))


@pytest.fixture
def long_article(policy_pages):
    """Five paragraphs, and one approved comment under it."""
    from articles.models import Comment

    article = ArticleFactory(body="<h2>What it is</h2>" + paragraphs(5))
    Comment.objects.create(article=article, name="Sam", email="sam@example.com", body="Clear, thanks.",
                           status=Comment.Status.APPROVED)
    return article


def ad_headlines(ads):
    return [node.text for ad in ads for node in ad.descendants if "ad__headline" in node.classes]


# --- Where ads go ----------------------------------------------------------------------

@pytest.mark.parametrize("number", [1, 3])
def test_in_article_ad_follows_paragraph_n_of_the_body(client, long_article, number):
    AdPlacementFactory(position=IN_ARTICLE, number=number, headline="Winter first-aid kits")

    page = outline(client, long_article.get_absolute_url())

    ad = page.one("ad")
    body = page.one("article__body")
    assert ad.parent is body, f"the ad is inside {ad.parent!r}, not between the body's blocks"
    kinds = children_kinds(body)
    assert kinds[: kinds.index("ad")].count("p") == number
    assert kinds == ["h2", *["p"] * number, "ad", *["p"] * (5 - number)]
    assert "Winter first-aid kits" in ad.text


def test_in_article_ad_is_left_out_when_the_body_has_too_few_paragraphs(client, long_article):
    AdPlacementFactory(position=IN_ARTICLE, number=5)  # the last block: below-article's place

    assert ads_on(client, long_article.get_absolute_url()) == []


def test_below_article_ad_comes_after_the_author_box_and_standards_note_and_before_the_comments(client, long_article):
    AdPlacementFactory(position=BELOW_ARTICLE, headline="Heat packs for sore backs")

    page = outline(client, long_article.get_absolute_url())

    ad = page.one("ad")
    assert "Heat packs for sore backs" in ad.text
    at = page.position(ad)
    assert page.position(page.one("standards")) < at
    assert page.position(page.one("author-box")) < at
    assert at < page.position(page.one("comments")) < page.position(page.all("comment")[0])
    assert not any(a.tag == "article" for a in ad.ancestors), "below the article, not in it"
    assert "ad--below-article" in ad.classes


def test_an_ad_is_never_put_inside_the_disclosure_byline_author_box_or_comments(client, long_article):
    # An affiliate link in the first paragraph puts the disclosure there; the ad follows it.
    link = PartnerLinkFactory(slug="heat-pack")
    long_article.body = paragraphs(4, first=f'Try a <a href="{link.get_absolute_url()}">heat pack</a>.')
    long_article.save()
    AdPlacementFactory(position=IN_ARTICLE, number=1)
    AdPlacementFactory(position=BELOW_ARTICLE)

    page = outline(client, long_article.get_absolute_url())

    ads = page.all("ad")
    assert len(ads) == 2
    assert page.position(page.one("affiliate-note")) < page.position(ads[0])
    for ad in ads:
        assert not [css for css in NOT_INSIDE if ad.inside(css)], f"{ad!r} is inside {[css for css in NOT_INSIDE if ad.inside(css)]}"


LISTINGS = {
    "category": lambda article: article.category.get_absolute_url(),
    "search": lambda article: "/search/?q=Thing",
    "author": lambda article: article.author.get_absolute_url(),
}


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize(("every", "cards"), [
    (3, ["card"] * 3 + ["ad"] + ["card"] * 3),  # never after the last card
    (2, ["card", "card", "ad"] * 2 + ["card", "card"]),
    (3, ["card"] * 3 + ["ad"] + ["card"] * 2),
])
def test_listing_shows_an_ad_after_every_n_cards_but_never_after_the_last(client, policy_pages, listing, every, cards):
    category, author = CategoryFactory(), AuthorFactory()
    articles = ArticleFactory.create_batch(cards.count("card"), category=category, author=author)
    AdPlacementFactory(position=IN_LISTING, number=every, headline="Listing offer")

    page = outline(client, LISTINGS[listing](articles[0]))

    assert children_kinds(page.one("cards")) == cards
    assert all("Listing offer" in ad.text and "ad--listing" in ad.classes for ad in page.all("ad"))


def test_a_category_placement_wins_over_a_site_wide_one_in_its_category_only(client, policy_pages):
    health, money = CategoryFactory(), CategoryFactory()
    in_health, in_money = ArticleFactory(category=health, body=paragraphs(4)), ArticleFactory(category=money, body=paragraphs(4))
    AdPlacementFactory(position=IN_ARTICLE, headline="Site-wide offer")
    AdPlacementFactory(position=IN_ARTICLE, headline="Health offer", category=health)
    AdPlacementFactory(position=IN_ARTICLE, headline="Another site-wide offer")  # newer, still site-wide
    AdPlacementFactory(position=IN_LISTING, number=1, headline="Site-wide listing offer")
    AdPlacementFactory(position=IN_LISTING, number=1, headline="Health listing offer", category=health)
    ArticleFactory(category=health)
    ArticleFactory(category=money)

    assert ad_headlines(ads_on(client, in_health.get_absolute_url())) == ["Health offer"]
    assert ad_headlines(ads_on(client, in_money.get_absolute_url())) == ["Another site-wide offer"]
    assert ad_headlines(ads_on(client, health.get_absolute_url())) == ["Health listing offer"]
    assert ad_headlines(ads_on(client, money.get_absolute_url())) == ["Site-wide listing offer"]


def test_an_inactive_placement_is_not_shown(client, long_article):
    AdPlacementFactory(position=IN_ARTICLE, is_active=False)
    AdPlacementFactory(position=BELOW_ARTICLE, is_active=False)
    AdPlacementFactory(position=IN_LISTING, number=1, is_active=False)
    ArticleFactory(category=long_article.category)

    assert ads_on(client, long_article.get_absolute_url()) == []
    assert ads_on(client, long_article.category.get_absolute_url()) == []


def test_an_article_with_ads_switched_off_shows_no_ad_at_all(client, long_article):
    AdPlacementFactory(position=IN_ARTICLE, number=1)
    AdPlacementFactory(position=BELOW_ARTICLE)
    AdPlacementFactory(position=IN_ARTICLE, number=1, category=long_article.category)
    long_article.show_ads = False
    long_article.save()

    html = client.get(long_article.get_absolute_url()).content.decode()

    assert 'class="ad ' not in html and "Advertisement" not in html


def test_every_ad_is_labelled_advertisement(client, long_article):
    AdPlacementFactory(position=IN_ARTICLE, number=2)
    AdPlacementFactory(position=BELOW_ARTICLE)
    AdPlacementFactory(position=IN_LISTING, number=1)
    ArticleFactory.create_batch(2, category=long_article.category)
    pages = [long_article.get_absolute_url(), long_article.category.get_absolute_url()]

    ads = [ad for url in pages for ad in ads_on(client, url)]

    assert len(ads) == 4
    for ad in ads:
        labels = [child for child in ad.children if "ad__label" in child.classes]
        assert [label.text.strip() for label in labels] == ["Advertisement"], ad
        assert ad.children[0] is labels[0], "the label comes first, before the ad itself"
        assert ad.attrs.get("aria-label") == "Advertisement"


@pytest.mark.parametrize("url", [
    lambda article: article.get_absolute_url(),
    lambda article: article.category.get_absolute_url(),
    lambda article: "/search/?q=Thing",
    lambda article: article.author.get_absolute_url(),
    lambda article: "/",
], ids=["article", "category", "search", "author", "home"])
def test_with_no_placement_a_page_has_no_ad_element_at_all(client, long_article, url):
    ArticleFactory.create_batch(6, category=long_article.category, author=long_article.author)

    html = client.get(url(long_article)).content.decode()

    assert 'class="ad' not in html and "Advertisement" not in html


# --- Ad networks -------------------------------------------------------------------------

def network_placements(category=None):
    return [
        AdPlacementFactory(position=position, kind=NETWORK, network_slot=f"slot-{position}", number=1,
                           height=280, headline="", link="", category=category)
        for position in (IN_ARTICLE, BELOW_ARTICLE, IN_LISTING)
    ]


def third_party_urls(html: str) -> list[str]:
    """Every address in an attribute of the page that is not this site's, leaving out the
    Share block's plain links (nothing is fetched from them unless the reader clicks)."""
    own = urlsplit(settings.SITE_URL).hostname
    page = Outline(re.sub(r'<section class="share".*?</section>', "", html, flags=re.S))
    urls = [value for node in page.nodes for name, value in node.attrs.items()
            if name in ("src", "href", "srcset", "data-src", "action") and value]
    return [url for url in urls if urlsplit(url.split()[0]).hostname not in (None, own)]


def network_hosts():
    return {urlsplit(origin).hostname for origins in ADSENSE["sources"].values() for origin in origins} | {
        urlsplit(ADSENSE["script"]).hostname}


def test_network_slots_are_not_rendered_and_no_third_party_address_is_on_the_page_while_no_network_is_on(client, long_article):
    assert not settings.AD_NETWORK
    network_placements()
    ArticleFactory.create_batch(2, category=long_article.category)

    for url in (long_article.get_absolute_url(), long_article.category.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'class="ad' not in html and "adsbygoogle" not in html and "ads.js" not in html, url
        assert third_party_urls(html) == [], url
        assert not [host for host in network_hosts() if host in html], url


@NETWORK_ON
def test_a_network_slot_renders_with_the_network_script_and_its_reserved_height(client, long_article):
    network_placements()
    ArticleFactory.create_batch(2, category=long_article.category)

    page = outline(client, long_article.get_absolute_url())

    ads = page.all("ad")
    assert len(ads) == 2
    for ad in ads:
        assert "ad--network" in ad.classes
        [slot] = [child for child in ad.children if "ad__slot" in child.classes]
        assert "ad__slot--280" in slot.classes
        ins = slot.children[0]
        assert (ins.tag, ins.attrs["data-ad-client"]) == ("ins", "ca-pub-123")
        assert ins.attrs["data-ad-slot"] in {f"slot-{IN_ARTICLE}", f"slot-{BELOW_ARTICLE}"}
        scripts = [child.attrs["src"] for child in ad.children if child.tag == "script"]
        assert scripts == [ADSENSE["script"].format(client="ca-pub-123"), "/static/js/ads.js"]
    assert len(ads_on(client, long_article.category.get_absolute_url())) == 2


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@NETWORK_ON
def test_with_a_network_on_a_public_page_allows_exactly_that_networks_sources(client, long_article):
    before = directives(build_policy())  # the configured public policy, as a header

    after = directives(client.get(long_article.get_absolute_url())["Content-Security-Policy"])

    added = {name: [s for s in after[name] if s not in before.get(name, ["'self'"])] for name in after}
    assert {name: sources for name, sources in added.items() if sources} == ADSENSE["sources"]
    for name, sources in before.items():
        assert after[name][: len(sources)] == sources, f"{name} lost or reordered what it allowed"
    assert set(after) - set(before) == {"frame-src"} and after["frame-src"][0] == "'self'"


@NETWORK_ON
def test_with_a_network_on_the_admin_keeps_its_own_policy(staff_client):
    response = staff_client.get("/admin/")

    assert response["Content-Security-Policy"] == build_policy(config=settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])


@pytest.mark.parametrize("url", ["/", "article", "/search/?q=Thing", "/affiliate-partners/"])
def test_with_no_network_the_public_policy_is_the_configured_one_byte_for_byte(client, long_article, url):
    network_placements()
    url = long_article.get_absolute_url() if url == "article" else url

    assert client.get(url)["Content-Security-Policy"] == build_policy()


@pytest.mark.parametrize("env", [
    {"AD_NETWORK": "nope", "AD_NETWORK_CLIENT": "ca-pub-123"},
    {"AD_NETWORK": "adsense"},  # no publisher id
], ids=["unknown network", "no client"])
def test_settings_refuse_to_load_with_a_bad_ad_network(env):
    base = {"PATH": os.environ["PATH"], "SECRET_KEY": "ads-test", "DATABASE_URL": "sqlite://:memory:",
            "HOME": os.environ.get("HOME", "/tmp")}

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**base, **env},
                            capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "AD_NETWORK must be one of adsense, with AD_NETWORK_CLIENT set to your publisher id." in result.stderr


def test_settings_load_with_a_known_network_and_its_client():
    base = {"PATH": os.environ["PATH"], "SECRET_KEY": "ads-test", "DATABASE_URL": "sqlite://:memory:",
            "HOME": os.environ.get("HOME", "/tmp"), "AD_NETWORK": "adsense", "AD_NETWORK_CLIENT": "ca-pub-123"}

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=base,
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr


# --- Cached pages and queries -----------------------------------------------------------

@pytest.mark.parametrize("edit", ["save", "queryset update"])
def test_editing_a_placement_shows_the_new_ad_on_the_next_request_of_a_cached_page(client, long_article, edit):
    placement = AdPlacementFactory(position=IN_ARTICLE, headline="Old offer")
    url = long_article.get_absolute_url()
    assert ad_headlines(ads_on(client, url)) == ["Old offer"]
    assert ad_headlines(ads_on(client, url)) == ["Old offer"]  # now from the page cache

    if edit == "save":
        placement.headline = "New offer"
        placement.save()
    else:
        AdPlacement.objects.filter(pk=placement.pk).update(headline="New offer")

    assert ad_headlines(ads_on(client, url)) == ["New offer"]


def test_switching_a_placement_off_removes_it_from_cached_pages(client, long_article):
    placement = AdPlacementFactory(position=BELOW_ARTICLE)
    url = long_article.get_absolute_url()
    assert len(ads_on(client, url)) == 1

    placement.is_active = False
    placement.save()

    assert ads_on(client, url) == []


def add_placements(count, category):
    """``count`` placements over every position, kind and scope; the article's own category's win."""
    other = CategoryFactory()
    for i in range(count):
        AdPlacementFactory(
            position=[IN_ARTICLE, BELOW_ARTICLE, IN_LISTING][i % 3], number=1 + i % 4,
            category=[None, category, other][i % 3 if i % 5 else 0],
            kind=NETWORK if i % 7 == 6 else AdPlacement.Kind.HOUSE, network_slot="1234",
        )


# The article, its related articles (and those sharing its title's words, its category
# being small), its comments (tests/test_query_budgets.py).
ARTICLE_PAGE_QUERIES = 4


def test_the_article_page_costs_the_same_queries_with_0_5_and_50_placements(client, long_article, django_assert_max_num_queries):
    url = long_article.get_absolute_url()
    counts = {}
    for total in (0, 5, 50):
        add_placements(total - AdPlacement.objects.count(), long_article.category)
        # Fill the shared caches (navigation, partners, texts, ad placements), as a running site has them.
        SiteTexts.objects.current()
        AdPlacement.objects.all_active()
        AffiliatePartner.objects.link_domains()
        client.get(long_article.category.get_absolute_url())
        with django_assert_max_num_queries(ARTICLE_PAGE_QUERIES), CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        counts[total] = len(queries)
        assert html.count('class="ad ') == (0 if total == 0 else 2), total  # rendered, not from the page cache

    assert counts[5] == counts[0] and counts[50] == counts[0], counts
