"""A site installed by the README's production steps is complete: every link answers.

The steps run for real in subprocesses (migrate, collectstatic, ensure_admin, gunicorn)
on an empty database, with no demo content; then a crawler walks every same-origin link
reachable from the home page, plus the feed, the sitemap and robots.txt, and every
asset a page loads. A second site has the demo content loaded as well.
"""

import importlib
import re
import types
import urllib.error
import urllib.parse
from collections import deque

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import connection

from core.html import clean_html
from tests.conftest import POLICY_URLS
from tests.dom import parse
from tests.http import opener
from tests.liveserver import LiveSite

policy_migration = importlib.import_module("articles.migrations.0006_policy_pages")

# What the README's "Running in production" section runs before starting gunicorn.
PRODUCTION_STEPS = (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("ensure_admin",))
MAX_REDIRECTS = 5
MAX_PAGES = 400  # far more than a demo site has; a crawl that never ends is a bug too


def fetch(url: str) -> tuple[int, str, str, bytes]:
    """GET ``url`` following same-origin redirects; (status, final URL, content type, body)."""
    origin = urllib.parse.urlsplit(url)[:2]
    for _ in range(MAX_REDIRECTS):
        try:
            with opener().open(url, timeout=60) as response:
                return response.status, url, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
            error.close()
            location = error.headers.get("Location")
            if error.code not in (301, 302, 303, 307, 308) or not location:
                return error.code, url, error.headers.get_content_type(), body
            target = urllib.parse.urljoin(url, location)
            if urllib.parse.urlsplit(target)[:2] != origin:
                return error.code, url, "", b""  # leaves the site (a partner's /go/ link): not ours to fetch
            url = target
    return 310, url, "", b""  # a redirect loop


def links_on(page_url: str, content_type: str, body: bytes) -> tuple[set[str], set[str]]:
    """(pages to crawl, assets to fetch) that ``body`` refers to, as absolute URLs."""
    pages, assets = set(), set()
    if content_type == "text/html":
        for element in parse(body).elements:
            if element.tag == "a" and element.attrs.get("href"):
                pages.add(element.attrs["href"])
            elif element.tag == "link" and element.attrs.get("href"):
                if element.attrs.get("rel") == "alternate":
                    pages.add(element.attrs["href"])
                else:
                    assets.add(element.attrs["href"])
            elif element.tag in ("img", "script") and element.attrs.get("src"):
                assets.add(element.attrs["src"])
            if element.tag in ("img", "source") and element.attrs.get("srcset"):
                assets.update(candidate.split()[0] for candidate in element.attrs["srcset"].split(","))
    elif content_type in ("application/xml", "text/xml", "application/rss+xml"):
        pages.update(re.findall(r"<(?:loc|link)>([^<]+)</(?:loc|link)>", body.decode()))
    elif page_url.endswith("/robots.txt"):
        pages.update(re.findall(r"^Sitemap:\s*(\S+)", body.decode(), flags=re.MULTILINE))
    absolute = lambda refs: {urllib.parse.urljoin(page_url, ref).split("#")[0] for ref in refs}  # noqa: E731
    return absolute(pages), absolute(assets)


def crawl(base: str) -> tuple[dict[str, int], dict[str, str]]:
    """Walk every same-origin page reachable from the home page, the feed, the sitemap and
    robots.txt (and a search); return each URL's final status and, per page, the first page linking to it."""
    origin = urllib.parse.urlsplit(base)[:2]
    starts = [base + path for path in ("/", "/feed/", "/sitemap.xml", "/robots.txt", "/search/?q=the")]
    queue = deque((url, True) for url in starts)
    found_on = {url: "(start)" for url in starts}
    statuses: dict[str, int] = {}
    while queue and len(statuses) < MAX_PAGES:
        url, is_page = queue.popleft()
        status, final_url, content_type, body = fetch(url)
        statuses[url] = status
        if not is_page or status != 200:
            continue
        pages, assets = links_on(final_url, content_type, body)
        for target, target_is_page in [*((p, True) for p in pages), *((a, False) for a in assets)]:
            if urllib.parse.urlsplit(target)[:2] == origin and target not in found_on:
                found_on[target] = url
                queue.append((target, target_is_page))
    assert not queue, f"the crawl stopped at {MAX_PAGES} URLs"
    return statuses, found_on


def assert_every_link_answers(base: str) -> dict[str, int]:
    statuses, found_on = crawl(base)
    # Affiliate links (/go/<slug>) answer with a redirect to the partner's site, off this origin.
    expected = lambda url: 302 if urllib.parse.urlsplit(url).path.startswith("/go/") else 200  # noqa: E731
    broken = [f"{status} {url} (linked from {found_on[url]})" for url, status in statuses.items()
              if status != expected(url)]
    assert not broken, "links that do not answer 200 (302 for /go/):\n" + "\n".join(sorted(broken))
    return statuses


@pytest.fixture
def production_site(tmp_path, database_url):
    env = {"DATABASE_URL": database_url} if database_url else {}
    with LiveSite(tmp_path / "var", **env) as site:
        for step in PRODUCTION_STEPS:
            site.manage(*step)
        yield site


def test_every_link_on_a_fresh_production_install_answers(production_site):
    site = production_site.serve()
    statuses = assert_every_link_answers(site.base)
    paths = {urllib.parse.urlsplit(url).path for url in statuses}
    # The pages the disclosure bar, footer and newsletter consent line link to are there.
    assert set(POLICY_URLS) <= paths
    assert {"/affiliate-partners/", "/newsletter/", "/feed/", "/sitemap.xml"} <= paths
    about = parse(fetch(site.url("/about/"))[3])
    assert "About Us" in about.text and "How We Make Money" in about.text


def test_every_link_with_the_demo_content_loaded_answers(production_site):
    output = production_site.manage("load_demo")
    assert "16 articles" in output
    site = production_site.serve()
    statuses = assert_every_link_answers(site.base)
    paths = {urllib.parse.urlsplit(url).path for url in statuses}
    assert len([p for p in paths if p.endswith(".htm")]) == 16
    assert len([p for p in paths if re.fullmatch(r"/author/[^/]+/", p)]) == 4
    # Each author's and category's page advertises its RSS and Atom feeds, and they answered.
    assert len([p for p in paths if re.fullmatch(r"/(author|category)/[^/]+/feed/(atom/)?", p)]) == (4 + 5) * 2
    # Each featured image as renditions (the demo loader makes them), four widths in two formats.
    renditions = [p for p in paths if p.startswith("/media/renditions/articles/")]
    assert len({p.rsplit("-jpg-", 1)[0] for p in renditions}) == 16
    assert len(renditions) == 16 * 4 * 2
    assert set(POLICY_URLS) <= paths


# The migration itself, run again on the test database (where migrate already ran it).

def run_policy_migration():
    from django.apps import apps

    policy_migration.create_policy_pages(apps, types.SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_policy_pages_exist_after_migrate_on_the_current_site():
    for url, title, _ in policy_migration.POLICY_PAGES:
        page = FlatPage.objects.get(url=url)
        assert page.title == title
        assert list(page.sites.all()) == [Site.objects.get_current()]


@pytest.mark.django_db
def test_policy_page_texts_are_what_the_sanitizer_keeps():
    assert [url for url, _, _ in policy_migration.POLICY_PAGES] == POLICY_URLS
    for url, _, content in policy_migration.POLICY_PAGES:
        assert clean_html(content.strip()) == content.strip(), url
        assert FlatPage.objects.get(url=url).content == content.strip()


@pytest.mark.django_db
def test_policy_migration_never_overwrites_an_editors_page():
    FlatPage.objects.filter(url="/about/").update(title="Who we are", content="<p>Our own words.</p>")
    FlatPage.objects.filter(url="/privacy/").delete()
    run_policy_migration()
    about = FlatPage.objects.get(url="/about/")
    assert (about.title, about.content) == ("Who we are", "<p>Our own words.</p>")
    assert FlatPage.objects.get(url="/privacy/").title == "Privacy Policy"
    assert FlatPage.objects.filter(url__in=POLICY_URLS).count() == 5


@pytest.mark.django_db(transaction=True)
def test_policy_migration_creates_the_site_row_when_it_is_missing(settings):
    FlatPage.objects.all().delete()
    Site.objects.all().delete()
    run_policy_migration()
    site = Site.objects.get(pk=settings.SITE_ID)
    assert FlatPage.objects.filter(sites=site).count() == 5
    # The row was written with an explicit id: the next one must still get a free id.
    assert Site.objects.create(domain="second.example", name="Second").pk != site.pk
