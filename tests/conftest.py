import contextlib
import io
import json
import os
import urllib.parse
import uuid

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import cache
from PIL import Image

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

# A real SMTP server (mail_server, smtp, closed_port) for every test that sends email.
pytest_plugins = ["tests.mail"]

POLICY_URLS = ["/about/", "/editorial-process/", "/how-we-make-money/", "/advertiser-disclosure/", "/privacy/"]


def suite_engine() -> str:
    outer = os.environ.get("DATABASE_URL", "")
    return "postgres" if outer.startswith(("postgres://", "postgresql://")) else "sqlite"


def pytest_collection_modifyitems(config, items):
    """Tests about one database engine (``@pytest.mark.postgres`` / ``sqlite``) run in the
    pass on that engine and are left out of the other, which CI also runs: deselected with
    a one-line reason, never skipped."""
    engine = suite_engine()
    other = [item for item in items if item.get_closest_marker("sqlite" if engine == "postgres" else "postgres")]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if item not in other]
        config._engine_deselected = len(other)


def pytest_terminal_summary(terminalreporter, config):
    count = getattr(config, "_engine_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} test(s) for the other database engine left out: they run when the suite runs "
            + ("on SQLite (no DATABASE_URL)." if suite_engine() == "postgres" else "on PostgreSQL (DATABASE_URL).")
        )


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
        # migrate already made these pages (articles 0006); tests want texts they can find.
        page, _ = FlatPage.objects.update_or_create(
            url=url, defaults={"title": url.strip("/").replace("-", " ").title(),
                               "content": f"<p>The {url} page.</p>"},
        )
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
    with fresh_postgres_database() as url:
        yield url


@contextlib.contextmanager
def fresh_postgres_database():
    """A new, empty database on the suite's PostgreSQL server, dropped afterwards;
    None when the suite does not run on PostgreSQL."""
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
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
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


def service_missing(reason: str):
    """Skip a test whose outside service is not there, but fail it in CI (CI=true),
    where a skip would hide that the test never ran."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: this test must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def postgres_for_live_sites():
    """A fresh PostgreSQL database that several LiveSites of one test module share."""
    with fresh_postgres_database() as url:
        if url is None:
            service_missing("needs PostgreSQL: run with DATABASE_URL=postgres://…")
        yield url


@pytest.fixture(scope="module")
def redis_for_live_sites():
    """Environment for LiveSites that share one Redis: database 15 of the Redis server at
    REDIS_URL (else the local one), with a key prefix of this module's own, removed
    afterwards. The suite's own cache.clear() empties REDIS_URL's database between
    tests, hence another database number here.
    """
    import redis

    outer = urllib.parse.urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    url = outer._replace(path="/15").geturl()
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        service_missing(f"needs Redis at {url}: {error}")
    prefix = f"live-{uuid.uuid4().hex[:8]}"
    yield {"REDIS_URL": url, "CACHE_KEY_PREFIX": prefix}
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def s3_server():
    """A local S3 server (moto in server mode) with one bucket that anyone may read, as
    the README asks of production's; yields the environment that points a site at it."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "S3_BUCKET": "wisegeek-media",
        "S3_ENDPOINT_URL": f"http://{host}:{port}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test-access-key",
        "S3_SECRET_ACCESS_KEY": "test-secret-key",
    }
    client = boto3.client("s3", endpoint_url=env["S3_ENDPOINT_URL"], region_name=env["S3_REGION"],
                          aws_access_key_id=env["S3_ACCESS_KEY_ID"],
                          aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"])
    client.create_bucket(Bucket=env["S3_BUCKET"])
    client.put_bucket_policy(Bucket=env["S3_BUCKET"], Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{env['S3_BUCKET']}/*"}],
    }))
    try:
        yield env
    finally:
        server.stop()
