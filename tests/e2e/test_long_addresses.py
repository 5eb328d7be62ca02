"""Long web addresses on phones: a partner's website, an author's profile links, an address
pasted into an article and one in a comment wrap only where a person would break them
(after "//", before "/", ".", "?", "#", "&", "=", or after a hyphen), never mid-word,
and nothing makes the page scroll sideways. Read from the lines Chromium draws."""

import pytest

from tests.liveserver import LiveSite

ARTICLE_PATH = "/a-page-with-long-addresses.htm"
LONG_PARTNER_SITE = "https://www.hearthstonehardware.example/garden-and-outdoor-living/compost?partner=wisegeek"
# Data the demo does not have: a partner's long website, an author's profile links, an
# article and a comment holding long addresses.
ADD_LONG_ADDRESSES = """
from articles.models import Article, Category, Comment
from authors.models import Author
from partners.models import AffiliatePartner
from django.utils import timezone
AffiliatePartner.objects.filter(slug="hearthstone-hardware").update(website=%(partner)r)
Author.objects.filter(slug="helen-marsh").update(social_links=(
    "https://social.example.org/@helen.marsh.community.nurse\\n"
    "https://www.linkedin.example/in/helen-marsh-registered-nurse-bsn-orthopaedics"))
link = "https://www.guidelines.example.org.uk/guidance/ng59/chapter/Recommendations#non-invasive-treatments"
article = Article(
    title="A Page With Long Addresses", slug="a-page-with-long-addresses",
    category=Category.objects.get(slug="science"), author=Author.objects.get(slug="helen-marsh"),
    summary="Long addresses.", body=f'<p>Guidance: <a href="{link}">{link}</a> and more words.</p>',
    status=Article.Status.PUBLISHED, publish_at=timezone.now(), updated_on=timezone.localdate(),
)
article.full_clean()
article.save()
Comment.objects.create(article=article, name="Sam", email="sam@example.com", status="approved",
    body="I found this helpful: https://www.physio-association.example.org/conditions/sciatica/self-help thanks!")
"""

# Each link's text as the lines the browser drew it on, one character at a time.
LINES_OF = """(links) => links.map((link) => {
  const lines = [];
  const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const last = lines[lines.length - 1];
      if (!last || rect.top > last.top + rect.height / 2) lines.push({top: rect.top, text: node.data[i]});
      else last.text += node.data[i];
    }
  }
  return lines.map((line) => line.text);
})"""

SELECTORS = {
    "/affiliate-partners/": ".partner__meta a",
    "/author/helen-marsh/": ".author-links a",
    ARTICLE_PATH: ".prose a, .comment__body a",
}


@pytest.fixture(scope="module")
def live_site(browser, tmp_path_factory):
    """This module's own site: the demo content plus long addresses in four places."""
    with LiveSite(tmp_path_factory.mktemp("e2e-long-addresses-site")).start() as site:
        site.manage("shell", "-c", ADD_LONG_ADDRESSES % {"partner": LONG_PARTNER_SITE})
        yield site


def breaks_mid_word(previous: str, line: str) -> bool:
    return not (line[:1] in "/.?#&=" or previous.endswith(("//", "-", " ")) or line.startswith(" "))


@pytest.mark.parametrize("width", [320, 360])
def test_long_addresses_wrap_only_at_sensible_places_and_never_widen_the_page(open_context, width):
    page = open_context(viewport={"width": width, "height": 800}).new_page()
    wrapped, bad = 0, []
    for path, selector in SELECTORS.items():
        assert page.goto(path).status == 200, path
        links = page.locator(selector)
        assert links.count() >= 1, f"no {selector} on {path}"
        for lines in links.evaluate_all(LINES_OF):
            wrapped += len(lines) > 1
            bad += [f"{path}: …{previous[-12:]} | {line[:12]}…" for previous, line in zip(lines, lines[1:])
                    if breaks_mid_word(previous, line)]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways"
    assert wrapped >= 3, "the long addresses fitted on one line: this test no longer tests wrapping"
    assert not bad, "addresses broken mid-word:\n" + "\n".join(bad)
