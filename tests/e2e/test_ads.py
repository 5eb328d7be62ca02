"""Ads in a real browser, on phones and desktops: each one labelled "Advertisement" where
the reader can see it, nothing on the page moving when ads and their images arrive, and
no request leaving the site while no ad network is turned on.

The module has a site of its own: it adds placements to the demo's, and the other
journeys should not meet them.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import ARTICLE_PATH
from tests.liveserver import LiveSite

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
# Layout shift (the Cumulative Layout Shift score) of a page whose space is reserved:
# nothing moves, give or take a sub-pixel rounding.
MAX_LAYOUT_SHIFT = 0.005

# Placements for the positions the demo leaves empty, and a listing ad for the demo
# article's category every 2 cards (the demo's site-wide one needs more cards than a
# category holds). House ads with a picture, as editors upload them.
ADD_PLACEMENTS = """
import io
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from articles.models import Article
from partners.models import AdPlacement

def picture(colour):
    image = Image.new("RGB", (640, 400), colour)
    ImageDraw.Draw(image).ellipse((220, 100, 420, 300), fill="#f4efe2")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name="house-ad.jpg")

category = Article.objects.get(slug=%(slug)r).category
wanted = [
    ("in_article", 3, None, "Sleep better on a firmer mattress", "#3c6e71"),
    ("below_article", 1, None, "Back-friendly office chairs", "#6b4e71"),
    ("in_listing", 2, category, "Heat packs for sore muscles", "#8a5a2b"),
]
for position, number, in_category, headline, colour in wanted:
    if in_category is None and AdPlacement.objects.active().filter(position=position, category=None).exists():
        continue
    ad = AdPlacement(name=headline, position=position, number=number, category=in_category,
                     headline=headline, text="From one of our partners, chosen by our commercial team.",
                     link="https://example.com/offer", link_label="See the offer",
                     image_alt="An illustration of the product")
    ad.image = picture(colour)
    ad.full_clean()
    ad.save()
print(AdPlacement.objects.active().count())
"""

# Sums every layout shift the page makes from its first paint (buffered), as Chromium
# reports them; shifts right after the reader's own input do not count (CLS's rule).
OBSERVE_LAYOUT_SHIFT = """
window.__layoutShift = 0;
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShift += entry.value;
    window.__layoutShifts.push({value: entry.value, sources: (entry.sources || []).map((s) => s.node
      ? (s.node.nodeName + '.' + (s.node.className || '')) : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

SCROLL_THROUGH = """async () => {
  const step = Math.round(window.innerHeight * 0.6);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  await new Promise((resolve) => setTimeout(resolve, 300));
}"""
LOADED = "(img) => img.decode().catch(() => null)"


@pytest.fixture(scope="module")
def live_site(browser, tmp_path_factory):
    """This module's own site: the demo content with a house ad in every position."""
    with LiveSite(tmp_path_factory.mktemp("e2e-ads-site")).start() as site:
        slug = ARTICLE_PATH.strip("/").removesuffix(".htm")
        site.manage("shell", "-c", ADD_PLACEMENTS % {"slug": slug})
        yield site


@pytest.fixture(scope="module")
def category_path(browser, live_site):
    page = browser.new_page()
    try:
        page.goto(live_site.base + ARTICLE_PATH)
        return page.locator("article .breadcrumbs li:last-child a").get_attribute("href")
    finally:
        page.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    return tmp_path_factory.mktemp("ads-screenshots", numbered=False)


def open_watched(open_context, screen):
    """A page on ``screen`` that measures layout shift, notes every request's address and
    holds uploaded pictures back until ``release()``: an ad's picture then arrives while
    the ad is on screen, where a picture without reserved space would push the text."""
    context = open_context(viewport=SCREENS[screen])
    context.add_init_script(OBSERVE_LAYOUT_SHIFT)
    requested, held = [], []
    context.on("request", lambda request: requested.append(request.url))
    context.route(re.compile(r"^http://127\.0\.0\.1:\d+/media/"), lambda route: held.append(route))

    def release():
        while held:
            held.pop(0).continue_()

    return context.new_page(), requested, release


def assert_ads_labelled_nothing_moves_nothing_leaves(page, requested, release, *, expected_ads):
    ads = page.locator(".ad")
    expect(ads).to_have_count(expected_ads)
    for ad in ads.all():
        ad.scroll_into_view_if_needed()
        label = ad.locator(".ad__label")
        expect(label).to_be_visible()
        expect(label).to_have_text("Advertisement")
        page.wait_for_timeout(300)  # the lazy picture on screen is asked for, and held
        release()
        for picture in ad.locator("img.ad__image").all():
            picture.evaluate(LOADED)
            assert picture.evaluate("(img) => img.naturalWidth") > 0, "the ad's picture did not load"
        page.wait_for_timeout(100)
    release()
    page.context.unroute_all()
    release()
    page.evaluate(SCROLL_THROUGH)
    shift = page.evaluate("window.__layoutShift")
    assert shift <= MAX_LAYOUT_SHIFT, f"layout shift {shift:.4f}: {page.evaluate('window.__layoutShifts')}"
    outside = [url for url in requested
               if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"]
    assert outside == [], f"requests left the site: {outside}"


def full_page_shot(page, path):
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(img => img.complete)")
    page.screenshot(path=str(path), full_page=True)
    print(path)


@pytest.mark.parametrize("screen", SCREENS)
def test_article_ads_are_labelled_move_nothing_and_load_nothing_from_elsewhere(open_context, screen, screenshots):
    page, requested, release = open_watched(open_context, screen)

    assert page.goto(ARTICLE_PATH, wait_until="domcontentloaded").status == 200

    in_article = page.locator(".article__body > .ad")
    expect(in_article).to_have_count(1)
    below = page.locator(".ad--below-article")
    expect(below).to_have_count(1)
    assert_ads_labelled_nothing_moves_nothing_leaves(page, requested, release, expected_ads=2)
    # Below the author box, above the comments; neither in the article nor in its comments.
    order = page.evaluate("""() => ['.author-box', '.ad--below-article', '#comments']
        .map((s) => document.querySelector(s).getBoundingClientRect().top)""")
    assert order == sorted(order), order
    full_page_shot(page, screenshots / f"article-{SCREENS[screen]['width']}.png")
    in_article.screenshot(path=str(screenshots / f"article-in-article-ad-{SCREENS[screen]['width']}.png"))


@pytest.mark.parametrize("screen", SCREENS)
def test_listing_ads_are_labelled_span_the_row_move_nothing_and_load_nothing_from_elsewhere(
        open_context, category_path, screen, screenshots):
    page, requested, release = open_watched(open_context, screen)

    assert page.goto(category_path, wait_until="domcontentloaded").status == 200

    ads = page.locator(".cards > .ad")
    expect(ads.first).to_be_visible()
    assert_ads_labelled_nothing_moves_nothing_leaves(page, requested, release, expected_ads=ads.count())
    # The ad has the row to itself: as wide as the list of cards.
    widths = page.evaluate("""() => [document.querySelector('.cards'), document.querySelector('.cards > .ad')]
        .map((el) => Math.round(el.getBoundingClientRect().width))""")
    assert widths[0] == widths[1], widths
    full_page_shot(page, screenshots / f"category-{SCREENS[screen]['width']}.png")
