"""SITE_URL is the one source of every absolute URL: whatever host a request came in by,
the feed, the sitemap, robots.txt, canonical links and admin's "View on site" agree."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

from core.checks import site_url_is_served
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

PUBLIC_SITE = "https://news.example.com"


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = PUBLIC_SITE
    settings.ALLOWED_HOSTS = ["news.example.com", "internal.example"]
    return settings


def absolute_links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<\"']+", text)


def test_feed_links_are_on_site_url_whatever_host_was_asked(client, article, public_site):
    xml = client.get("/feed/", HTTP_HOST="internal.example").content.decode()
    # Namespace names (Atom, content, Media RSS) are not links.
    namespaces = ("w3.org", "purl.org", "search.yahoo.com/mrss")
    links = [link for link in absolute_links(xml) if not any(name in link for name in namespaces)]
    assert f"{PUBLIC_SITE}{article.get_absolute_url()}" in links
    assert f"{PUBLIC_SITE}/feed/" in links
    assert links and all(link.startswith(PUBLIC_SITE + "/") for link in links), links


def test_sitemap_and_robots_are_on_site_url(client, article, public_site):
    index = client.get("/sitemap.xml", HTTP_HOST="internal.example").content.decode()
    sections = re.findall(r"<loc>(.*?)</loc>", index)
    assert sections and all(section.startswith(PUBLIC_SITE + "/sitemap-") for section in sections), sections
    locations = [*sections]
    for section in sections:
        xml = client.get(section.removeprefix(PUBLIC_SITE), HTTP_HOST="internal.example").content.decode()
        locations += re.findall(r"<loc>(.*?)</loc>", xml)
    assert f"{PUBLIC_SITE}{article.get_absolute_url()}" in locations
    assert f"{PUBLIC_SITE}/about/" in locations
    assert all(location.startswith(PUBLIC_SITE + "/") for location in locations), locations
    robots = client.get("/robots.txt", HTTP_HOST="internal.example").content.decode()
    assert f"Sitemap: {PUBLIC_SITE}/sitemap.xml" in robots


def test_canonical_and_social_image_links_are_on_site_url(client, article, public_site):
    html = client.get(article.get_absolute_url(), HTTP_HOST="internal.example").content.decode()
    assert f'<link rel="canonical" href="{PUBLIC_SITE}{article.get_absolute_url()}">' in html
    assert "internal.example" not in html


def test_view_on_site_in_admin_opens_the_page_on_site_url(staff_client, article, public_site):
    for obj in (article, article.category, article.author):
        content_type = obj._meta.app_label, obj._meta.model_name
        change = staff_client.get(
            reverse(f"admin:{content_type[0]}_{content_type[1]}_change", args=[obj.pk]), HTTP_HOST="internal.example"
        ).content.decode()
        view_on_site = re.search(r'href="([^"]+)" class="viewsitelink"', change).group(1)
        assert view_on_site == PUBLIC_SITE + obj.get_absolute_url()


def test_the_site_row_follows_site_url_at_migrate(settings):
    settings.SITE_URL = "https://www.example.org"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain == "www.example.org" and site.name == settings.SITE_NAME


def test_site_url_outside_allowed_hosts_is_a_system_check_warning(settings):
    settings.SITE_URL = "https://www.example.com"
    settings.ALLOWED_HOSTS = ["news.example.com"]
    warnings = site_url_is_served(None)
    assert [w.id for w in warnings] == ["core.W002"]
    assert "www.example.com" in warnings[0].msg

    settings.ALLOWED_HOSTS = [".example.com"]
    assert site_url_is_served(None) == []


def test_category_links_in_the_feed_survive_a_site_url_with_a_port(client, article, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    CategoryFactory()
    xml = client.get("/feed/").content.decode()
    assert f"http://127.0.0.1:8123{article.get_absolute_url()}" in xml
