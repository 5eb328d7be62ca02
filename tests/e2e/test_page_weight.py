"""Small pages: what a reader's browser downloads before it can show an article.

Issue 9, "Small pages": an article page's transfer without images stays under 100 KB
compressed, its CSS under 30 KB compressed, and nothing that blocks rendering comes from
another origin. Every resource is fetched as a browser fetches it (``Accept-Encoding: br,
gzip``) and counted as it crosses the wire: WhiteNoise serves the .br or .gz it made at
collectstatic, the page cache the compressed HTML. Lighthouse's own scores are
`make lighthouse` (tests/e2e/lighthouse.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.liveserver import http_get

KB = 1000
PAGE_LIMIT = 100 * KB
CSS_LIMIT = 30 * KB
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip", "Accept": "text/html,*/*;q=0.8"}

# <link rel> values that make the browser fetch what they point at.
FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "apple-touch-icon", "manifest"}
# <script type> values that run; anything else (application/ld+json, ...) is a data block.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


@dataclass
class Resources:
    """What one HTML page makes the browser load, as found in its markup."""

    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    fetched: list[tuple[str, str]] = field(default_factory=list)  # (what, url) for every fetch
    blocking_scripts: list[str] = field(default_factory=list)


class _ResourceParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.found = Resources()
        self.in_head = False

    def _add(self, what: str, ref: str | None) -> str | None:
        if not ref or ref.startswith("data:"):
            return None
        url = urljoin(self.page_url, ref.strip())
        self.found.fetched.append((what, url))
        return url

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "script":
            kind = attrs.get("type", "").strip().lower()
            if kind not in SCRIPT_TYPES:
                return
            url = self._add("<script src>", attrs.get("src"))
            if url:
                self.found.scripts.append(url)
            waits = kind == "module" or (url and ("defer" in attrs or "async" in attrs))
            if self.in_head and not waits:
                self.found.blocking_scripts.append(url or "an inline <script>")
        elif tag == "link":
            rels = set(attrs.get("rel", "").lower().split())
            if rels & FETCHING_RELS:
                url = self._add(f"<link rel={' '.join(sorted(rels))}>", attrs.get("href"))
                if url and "stylesheet" in rels:
                    self.found.stylesheets.append(url)
        elif tag in {"img", "source"}:
            self._add(f"<{tag} src>", attrs.get("src"))
            for candidate in attrs.get("srcset", "").split(","):
                self._add(f"<{tag} srcset>", candidate.split()[0] if candidate.split() else None)
        elif tag in {"video", "audio", "iframe", "embed"}:
            self._add(f"<{tag}>", attrs.get("src") or attrs.get("poster"))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def resources(html: str, page_url: str) -> Resources:
    parser = _ResourceParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.found


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def other_origin(fetched: list[tuple[str, str]], page_url: str) -> list[str]:
    return [f"{what} {url}" for what, url in fetched if origin(url) != origin(page_url)]


@dataclass
class Transfer:
    url: str
    status: int
    encoding: str
    bytes: int
    text: str


def fetch(url: str) -> Transfer:
    """GET as a browser would; count the header and body bytes as they cross the wire."""
    status, headers, body = http_get(url, **BROWSER_HEADERS)
    header_bytes = len(f"HTTP/1.1 {status} OK\r\n") + sum(len(k) + len(v) + 4 for k, v in headers.items()) + 2
    encoding = headers.get("Content-Encoding", "")
    if encoding == "br":
        import brotli  # WhiteNoise's own Brotli support depends on it

        text = brotli.decompress(body).decode()
    elif encoding == "gzip":
        import gzip

        text = gzip.decompress(body).decode()
    else:
        text = body.decode()
    return Transfer(url, status, encoding or "identity", header_bytes + len(body), text)


@dataclass
class PageWeight:
    page: Transfer
    found: Resources
    css: list[Transfer]
    js: list[Transfer]
    css_fetched: list[tuple[str, str]]  # url() and @import targets inside the stylesheets

    @property
    def total(self) -> int:
        return self.page.bytes + sum(t.bytes for t in self.css + self.js)

    @property
    def css_total(self) -> int:
        return sum(t.bytes for t in self.css)

    def describe(self) -> str:
        return "\n".join(f"  {t.bytes:>7,} B {t.encoding:>8} {t.url}" for t in [self.page, *self.css, *self.js])


def weigh(page_url: str) -> PageWeight:
    """The page, and every stylesheet (with its same-origin @imports) and script it links."""
    page = fetch(page_url)
    assert page.status == 200, f"{page_url} answered {page.status}"
    found = resources(page.text, page_url)
    css, css_fetched, queue = [], [], list(found.stylesheets)
    while queue:
        url = queue.pop(0)
        if origin(url) != origin(page_url) or any(t.url == url for t in css):
            continue
        sheet = fetch(url)
        assert sheet.status == 200, f"{url} answered {sheet.status}"
        css.append(sheet)
        for match in CSS_URL.finditer(sheet.text):
            ref = match.group(1) or match.group(2)
            if ref.startswith("data:"):
                continue
            target = urljoin(url, ref)
            css_fetched.append(("CSS @import" if match.group(2) else "CSS url()", target))
            if match.group(2):
                queue.append(target)
    js = [fetch(url) for url in found.scripts if origin(url) == origin(page_url)]
    for script in js:
        assert script.status == 200, f"{script.url} answered {script.status}"
    return PageWeight(page, found, css, js, css_fetched)


def longest_article_url(live_site) -> str:
    """The demo article whose compressed HTML is largest, found through the sitemap."""
    loc_tag = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    status, _, index = http_get(live_site.url("/sitemap.xml"))
    assert status == 200
    # The index's first articles section holds every demo article (a section pages at 50,000).
    sections = [urlsplit(el.text).path for el in ET.fromstring(index).iter(loc_tag)]
    section = next(path for path in sections if path.startswith("/sitemap-articles"))
    status, _, body = http_get(live_site.url(section))
    assert status == 200
    locs = [el.text for el in ET.fromstring(body).iter(loc_tag)]
    articles = [live_site.url(urlsplit(loc).path) for loc in locs if loc.endswith(".htm")]
    assert len(articles) >= 10, f"the sitemap lists {len(articles)} articles; is the demo content loaded?"
    return max(articles, key=lambda url: fetch(url).bytes)


@pytest.fixture(scope="module")
def weighed_pages(live_site) -> dict[str, PageWeight]:
    return {
        "home": weigh(live_site.url("/")),
        "longest article": weigh(longest_article_url(live_site)),
    }


@pytest.mark.parametrize("name", ["home", "longest article"])
def test_page_with_its_css_and_js_transfers_under_100_kb_compressed(weighed_pages, name):
    weight = weighed_pages[name]
    assert weight.page.encoding in {"br", "gzip"}, f"the {name} page was sent uncompressed"
    assert weight.total < PAGE_LIMIT, (
        f"the {name} page and what it links weigh {weight.total:,} B compressed (limit {PAGE_LIMIT:,}):\n"
        + weight.describe()
    )


@pytest.mark.parametrize("name", ["home", "longest article"])
def test_css_transfers_under_30_kb_compressed(weighed_pages, name):
    weight = weighed_pages[name]
    assert weight.css, f"the {name} page links no stylesheet"
    assert all(t.encoding in {"br", "gzip"} for t in weight.css), weight.describe()
    assert weight.css_total < CSS_LIMIT, (
        f"the {name} page's CSS weighs {weight.css_total:,} B compressed (limit {CSS_LIMIT:,}):\n" + weight.describe()
    )


@pytest.mark.parametrize("name", ["home", "longest article"])
def test_nothing_is_loaded_from_another_origin(weighed_pages, name):
    weight = weighed_pages[name]
    page_url = weight.page.url
    assert other_origin(weight.found.fetched + weight.css_fetched, page_url) == []


@pytest.mark.parametrize("name", ["home", "longest article"])
def test_no_script_in_head_blocks_rendering(weighed_pages, name):
    assert weighed_pages[name].found.blocking_scripts == []


def test_the_checks_catch_what_they_guard(weighed_pages):
    """A copy of the real article, broken on purpose, fails every check above."""
    article = weighed_pages["longest article"]
    page_url = article.page.url
    broken = article.page.text.replace(
        "</head>",
        '<link rel="stylesheet" href="https://cdn.example/site.css">'
        '<link rel="preload" as="font" href="https://fonts.example/a.woff2" crossorigin>'
        '<script src="/static/js/app.js"></script><script type="module" src="/static/js/m.js"></script>'
        '<script type="application/ld+json">{}</script></head>',
        1,
    ).replace("</main>", '<img src="https://images.example/a.jpg" alt=""></main>', 1)
    found = resources(broken, page_url)
    assert other_origin(found.fetched, page_url) == [
        "<link rel=stylesheet> https://cdn.example/site.css",
        "<link rel=preload> https://fonts.example/a.woff2",
        "<img src> https://images.example/a.jpg",
    ]
    assert found.blocking_scripts == [urljoin(page_url, "/static/js/app.js")]
