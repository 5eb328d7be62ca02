import io
import os
import urllib.parse
import uuid

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import cache
from PIL import Image

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

POLICY_URLS = ["/about/", "/editorial-process/", "/how-we-make-money/", "/advertiser-disclosure/", "/privacy/"]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets an empty cache and its own upload folder.

    Pages are rendered without running collectstatic first, so static URLs come from
    the plain storage here; tests/wisegeek/test_static.py covers the hashed one.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def policy_pages(db):
    site = Site.objects.get_current()
    pages = []
    for url in POLICY_URLS:
        page = FlatPage.objects.create(url=url, title=url.strip("/").replace("-", " ").title(),
                                       content=f"<p>The {url} page.</p>")
        page.sites.add(site)
        pages.append(page)
    return pages


@pytest.fixture
def article(db, policy_pages):
    return ArticleFactory(
        title="What Is the Connection Between Sciatica and Back Pain?",
        slug="what-is-the-connection-between-sciatica-and-back-pain",
        category=CategoryFactory(name="Health", slug="health"),
        author=AuthorFactory(name="Maya Okafor", slug="maya-okafor", credentials="Registered Nurse, BSN"),
        featured_image_alt="Illustration of a spine",
    )


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client.force_login(user)
    return client


def image_bytes(fmt="PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 80, 120)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def database_url():
    """For a LiveSite: a fresh PostgreSQL database when the suite runs on PostgreSQL,
    else None (the site uses its own SQLite)."""
    outer = os.environ.get("DATABASE_URL", "")
    if not outer.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    parts = urllib.parse.urlsplit(outer)
    name = f"wisegeek_live_{uuid.uuid4().hex[:8]}"
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def shared_services(database_url):
    """Environment for a LiveSite that uses what the suite runs on: the fresh PostgreSQL
    database when there is one, and Redis when REDIS_URL is set (CI's Redis pass)."""
    env = {}
    if database_url:
        env["DATABASE_URL"] = database_url
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        env["CACHE_KEY_PREFIX"] = f"live-{uuid.uuid4().hex[:8]}"  # counters from other runs stay apart
    return env
