"""The demo content is data (a manifest and one HTML file per article), loaded the way
an editor's save writes: validated, sanitized, measured, one object at a time."""

import datetime
import io
import json
import re
import shutil
from urllib.parse import urlsplit

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category
from authors.models import Author
from core.models import SiteTexts
from demo.loader import CONTENT_DIR, DemoContentError, load_demo_content, read_manifest
from partners.models import AdPlacement, AffiliatePartner, PartnerLink

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_its_content_once():
    assert load_demo().strip() == (
        "Demo content: created 5 categories, 4 authors, 4 partners, 11 affiliate links, 2 ad placements, 16 articles."
    )
    assert load_demo().strip() == "Demo content is already loaded."
    assert (Category.objects.count(), Author.objects.count(), AffiliatePartner.objects.count(),
            PartnerLink.objects.active().count(), AdPlacement.objects.active().count(),
            Article.objects.published().count()) == (5, 4, 4, 11, 2, 16)
    assert all(article.history.count() == 1 for article in Article.objects.all())


def test_demo_leaves_what_an_editor_changed_alone():
    load_demo()
    Article.objects.filter(slug="how-do-tides-work").update(title="Tides, Explained")
    Author.objects.filter(slug="helen-marsh").update(short_bio="Edited.")
    Article.objects.filter(slug="why-is-the-sky-blue").delete()
    PartnerLink.objects.filter(slug="usb-c-chargers").update(destination="https://www.voltline.example/new")
    PartnerLink.objects.filter(slug="mesh-wifi-systems").delete()
    AdPlacement.objects.filter(position=AdPlacement.Position.IN_LISTING).update(number=6)
    assert "created 0 categories, 0 authors, 0 partners, 1 affiliate links, 0 ad placements, 1 articles" in load_demo()
    assert Article.objects.get(slug="how-do-tides-work").title == "Tides, Explained"
    assert Author.objects.get(slug="helen-marsh").short_bio == "Edited."
    assert PartnerLink.objects.get(slug="usb-c-chargers").destination == "https://www.voltline.example/new"
    assert AdPlacement.objects.get(position=AdPlacement.Position.IN_LISTING).number == 6


def test_demo_makes_no_policy_pages():
    FlatPage.objects.all().delete()  # they come with migrate (articles 0006), never with the demo
    load_demo()
    assert not FlatPage.objects.exists()


def test_every_article_in_the_manifest_has_one_body_file_and_no_file_is_left_over():
    slugs = [article["slug"] for article in json.loads((CONTENT_DIR / "manifest.json").read_text())["articles"]]
    assert len(slugs) == len(set(slugs)) == 16
    assert sorted(f"{slug}.html" for slug in slugs) == sorted(p.name for p in (CONTENT_DIR / "articles").iterdir())


def test_demo_images_are_stored_with_their_size(settings):
    load_demo()
    for article in Article.objects.all():
        with Image.open(settings.MEDIA_ROOT / article.featured_image.name) as image:
            assert (article.featured_image_width, article.featured_image_height) == image.size == (1200, 675)
    for author in Author.objects.all():
        with Image.open(settings.MEDIA_ROOT / author.photo.name) as image:
            assert (author.photo_width, author.photo_height) == image.size == (256, 256)
    for ad in AdPlacement.objects.all():
        with Image.open(settings.MEDIA_ROOT / ad.image.name) as image:
            assert (ad.image_width, ad.image_height) == image.size == (480, 270)
        assert ad.image_alt


GO_LINK = re.compile(r'href="/go/([a-z0-9-]+)"')


# The older article that still links straight to a partner's domain; the tests of shared
# state (tests/test_shared_state.py, tests/test_several_servers.py) end partnerships and
# watch its links stop being marked.
LINKS_STRAIGHT_TO_A_PARTNER = "why-do-batteries-lose-capacity-over-time"


def test_demo_articles_link_to_partners_through_go_links_of_the_registry():
    load_demo()
    active = set(PartnerLink.objects.active().values_list("slug", flat=True))
    domains = AffiliatePartner.objects.link_domains()
    through_go = {}
    for article in Article.objects.all():
        slugs = GO_LINK.findall(article.body)
        assert set(slugs) <= active, f"{article.slug} links to {set(slugs) - active}, not in the registry"
        if slugs:
            through_go[article.slug] = slugs
        straight = [href for href in re.findall(r'href="(https?://[^"]+)"', article.body)
                    if (host := urlsplit(href).hostname) and any(host == d or host.endswith("." + d) for d in domains)]
        assert straight == [] or article.slug == LINKS_STRAIGHT_TO_A_PARTNER, f"{article.slug}: {straight}"
    assert len(through_go) >= 4
    assert "what-is-the-connection-between-sciatica-and-back-pain" in through_go
    assert LINKS_STRAIGHT_TO_A_PARTNER not in through_go
    # Every link of the registry but the straight one's is used by an article or an ad.
    used = {slug for slugs in through_go.values() for slug in slugs}
    used |= {urlsplit(ad.link).path.removeprefix("/go/") for ad in AdPlacement.objects.all()}
    assert active - used == {"usb-c-chargers"}


def test_each_demo_partner_has_two_or_three_links_that_lead_to_its_own_domains():
    load_demo()
    for partner in AffiliatePartner.objects.all():
        links = list(partner.links.all())
        assert 2 <= len(links) <= 3, partner
        domains = AffiliatePartner.parse_domains(partner.domains)
        for link in links:
            host = urlsplit(link.destination).hostname
            assert any(host == d or host.endswith("." + d) for d in domains), link.destination


def test_demo_health_articles_are_medical_and_the_sciatica_article_is_recently_reviewed_by_a_physician():
    load_demo()
    assert list(Category.objects.filter(medical=True).values_list("slug", flat=True)) == ["health"]
    article = Article.objects.select_related("author", "reviewer").get(
        slug="what-is-the-connection-between-sciatica-and-back-pain")
    assert article.reviewer is not None and article.reviewer != article.author
    assert article.reviewer.credentials.startswith("MD")
    assert timezone.localdate() - datetime.timedelta(days=7) <= article.last_reviewed <= timezone.localdate()
    for reviewed in Article.objects.filter(reviewer__isnull=False):
        assert reviewed.last_reviewed is not None and reviewed.last_reviewed <= timezone.localdate()
        assert reviewed.reviewer_id != reviewed.author_id and reviewed.reviewer.credentials


def test_every_demo_author_has_credentials_and_areas_of_expertise():
    load_demo()
    for author in Author.objects.all():
        assert author.credentials and len(author.expertise_list) >= 3, author


def test_demo_articles_start_with_the_standard_affiliate_disclosure_as_a_new_article_in_admin_does():
    load_demo()
    standard = SiteTexts.objects.current().article_disclosure_text
    assert set(Article.objects.values_list("affiliate_disclosure", flat=True)) == {standard}


def test_demo_ads_are_house_ads_in_health_articles_and_in_every_listing_leading_through_go_links():
    load_demo()
    in_article = AdPlacement.objects.get(position=AdPlacement.Position.IN_ARTICLE)
    in_listing = AdPlacement.objects.get(position=AdPlacement.Position.IN_LISTING)
    assert (in_article.number, in_article.category.slug, in_article.kind) == (3, "health", AdPlacement.Kind.HOUSE)
    assert (in_listing.number, in_listing.category, in_listing.kind) == (3, None, AdPlacement.Kind.HOUSE)
    for ad in (in_article, in_listing):
        assert ad.link.startswith("/go/")


def test_a_demo_article_shows_the_disclosure_above_its_sponsored_link_and_the_ad_after_paragraph_3(client):
    load_demo()
    html = client.get("/what-is-the-connection-between-sciatica-and-back-pain.htm").content.decode()
    link = re.search(r'<a href="/go/reusable-heat-pack\?from=[^"]+" rel="sponsored noopener">a reusable heat pack</a>', html)
    assert link is not None
    assert html.count('class="affiliate-note"') == 1
    assert html.index('class="affiliate-note"') < link.start()
    body = html[html.index('class="article__body prose"'):]
    ad = body.index('class="ad ad--in-article"')
    assert body[:ad].count("</p>") == 3
    assert "Ready for life&#x27;s small emergencies" in body
    assert "Medically reviewed by" in html and "Amara Okafor" in html


def test_a_demo_article_outside_health_has_no_in_article_ad_and_its_straight_partner_link_is_sponsored(client):
    load_demo()
    html = client.get(f"/{LINKS_STRAIGHT_TO_A_PARTNER}.htm").content.decode()
    assert 'class="ad ' not in html
    assert '<a href="https://www.voltline.example/chargers/usb-c" rel="sponsored noopener">' in html
    assert html.count('class="affiliate-note"') == 1


def test_demo_health_category_shows_the_listing_ad_after_its_third_card(client):
    load_demo()
    html = client.get("/category/health/").content.decode()
    cards = html[html.index('<div class="cards">'):]
    ad = cards.index('class="ad ad--listing"')
    assert cards[:ad].count('<article class="card">') == 3 and cards[ad:].count('<article class="card">') == 1
    assert "Curious about how things work?" in cards


def test_demo_go_links_send_the_reader_to_the_partner_and_count_the_click(client):
    load_demo()
    link = PartnerLink.objects.get(slug="reusable-heat-pack")
    response = client.get("/go/reusable-heat-pack", headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"})
    assert response.status_code == 302 and response["Location"] == link.destination
    assert link.clicks.get().clicks == 1


@pytest.fixture
def small_content(tmp_path):
    """A copy of the demo content with one article, to edit."""
    manifest = read_manifest()
    for article in manifest["articles"]:
        del article["body"]
    manifest["articles"] = manifest["articles"][:1]
    (tmp_path / "articles").mkdir()
    slug = manifest["articles"][0]["slug"]
    shutil.copy(CONTENT_DIR / "articles" / f"{slug}.html", tmp_path / "articles")

    def write(article_html=None, **article_changes):
        manifest["articles"][0].update(article_changes)
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        if article_html is not None:
            (tmp_path / "articles" / f"{slug}.html").write_text(article_html)
        return tmp_path

    write.slug = slug
    return write


def test_demo_html_goes_through_the_sanitizer(small_content):
    content_dir = small_content(
        '<p onclick="steal()">Hello<script>alert(1)</script></p><img src="javascript:x()">'
    )
    load_demo_content(content_dir=content_dir)
    assert Article.objects.get(slug=small_content.slug).body == "<p>Hello</p><img>"


def test_demo_data_is_validated_as_an_editors_would_be(small_content):
    content_dir = small_content(title="A title far too long " * 10)
    with pytest.raises(DemoContentError, match="title.*at most 200 characters"):
        load_demo_content(content_dir=content_dir)
    assert not Article.objects.exists()  # all or nothing


def test_an_ad_naming_a_link_the_registry_lacks_is_a_clear_error(small_content):
    content_dir = small_content()
    manifest = json.loads((content_dir / "manifest.json").read_text())
    manifest["ads"][0]["link"] = "no-such-link"
    (content_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DemoContentError, match="names an unknown affiliate link: 'no-such-link'"):
        load_demo_content(content_dir=content_dir)
    assert not AdPlacement.objects.exists()


def test_an_ad_naming_a_category_the_manifest_lacks_is_a_clear_error(small_content):
    content_dir = small_content()
    manifest = json.loads((content_dir / "manifest.json").read_text())
    manifest["ads"][0]["category"] = "gardening"
    (content_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DemoContentError, match="names an unknown category: 'gardening'"):
        load_demo_content(content_dir=content_dir)


def test_a_missing_body_file_is_a_clear_error(small_content):
    content_dir = small_content()
    (content_dir / "articles" / f"{small_content.slug}.html").unlink()
    with pytest.raises(DemoContentError, match=f"“{small_content.slug}” has no body file"):
        load_demo_content(content_dir=content_dir)
