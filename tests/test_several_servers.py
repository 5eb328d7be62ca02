"""Several app servers, one site.

Two gunicorn servers on two loopback ports share what production's app servers share:
one PostgreSQL database, one Redis (cache and rate limits), one S3 bucket for uploads
(moto's S3 server, in server mode) and one SECRET_KEY; each has its own VAR_DIR, which
neither may need. What is done through one is what the other shows at its next request.

Runs when the suite runs on PostgreSQL (DATABASE_URL), and needs Redis (REDIS_URL, else
the local one): CI runs this module in its PostgreSQL + Redis pass.
"""

import html
import io
import json
import re
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import NAVIGATION_CACHE_KEY
from core.validators import validate_image_file
from partners.models import LINK_DOMAINS_CACHE_KEY
from tests.conftest import image_bytes
from tests.editor_http import Browser
from tests.liveserver import ROOT, LiveSite, http_get
from tests.storage import s3_storages

pytestmark = pytest.mark.postgres

ARTICLE_WITH_PARTNER_LINKS = "/why-do-batteries-lose-capacity-over-time.htm"
ARTICLE_FOR_NEW_IMAGE = "what-is-the-connection-between-sciatica-and-back-pain"


@pytest.fixture(scope="module")
def servers(tmp_path_factory, postgres_for_live_sites, redis_for_live_sites, s3_server):
    """Server A (set up as `make run` does) and server B (only started), one site."""
    shared = {
        "DATABASE_URL": postgres_for_live_sites,
        **redis_for_live_sites,
        **s3_server,
        "SECRET_KEY": f"one-key-for-every-server-{uuid.uuid4().hex}",
    }
    a = LiveSite(tmp_path_factory.mktemp("server-a"), **shared)
    # Same public address; the static files built once, as a deploy ships them.
    b = LiveSite(tmp_path_factory.mktemp("server-b"), **shared,
                 SITE_URL=a.env["SITE_URL"], STATIC_ROOT=a.env["STATIC_ROOT"])
    try:
        a.start()
        b.serve()
        yield a, b
    finally:
        b.stop()
        a.stop()


def pk_of(site: LiveSite, model: str, slug: str) -> str:
    app, name = model.split(".")
    output = site.manage("shell", "-c", f"from {app}.models import {name}; "
                                        f"print({name}.objects.get(slug={slug!r}).pk)")
    return output.strip().splitlines()[-1]


def category_navigation(site: LiveSite) -> list[str]:
    """The category names in the header's navigation of the home page."""
    status, _, page = http_get(site.url("/"))
    assert status == 200
    nav = re.search(r'<nav class="site-nav".*?</nav>', page.decode(), flags=re.S)[0]
    return [html.unescape(name) for name in re.findall(r"<a [^>]*>([^<]*)</a>", nav)]


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def cached_in_redis(redis_env: dict, key: str) -> bool:
    client = redis.Redis.from_url(redis_env["REDIS_URL"])
    try:
        return bool(client.exists(f"{redis_env['CACHE_KEY_PREFIX']}:1:{key}"))
    finally:
        client.close()


# --- The tests ------------------------------------------------------------------------


def test_a_category_renamed_in_one_servers_admin_shows_in_the_other_servers_navigation(
    servers, redis_for_live_sites
):
    a, b = servers
    assert category_navigation(b) == ["Health", "Science", "Technology", "Money", "Home & Garden"]
    assert cached_in_redis(redis_for_live_sites, NAVIGATION_CACHE_KEY), "B did not cache its navigation in Redis"

    editor = Browser(a).log_in_to_admin()
    pk = pk_of(a, "articles.Category", "science")
    editor.change_through_admin(f"/admin/articles/category/{pk}/change/", "category_form",
                                {"name": "Science Explained"})

    assert category_navigation(b) == ["Health", "Science Explained", "Technology", "Money", "Home & Garden"]


def test_partners_deactivated_through_one_server_are_not_marked_sponsored_on_the_other(
    servers, redis_for_live_sites
):
    a, b = servers
    status, _, page = http_get(b.url(ARTICLE_WITH_PARTNER_LINKS))
    assert status == 200 and 'rel="sponsored' in page.decode()
    assert cached_in_redis(redis_for_live_sites, LINK_DOMAINS_CACHE_KEY), "B did not cache partner domains in Redis"

    # A command on server A's configuration, as an operator's script would do it.
    a.manage("shell", "-c", "from partners.models import AffiliatePartner\n"
                            "for partner in AffiliatePartner.objects.all():\n"
                            "    partner.is_active = False\n"
                            "    partner.save()")

    status, _, page = http_get(b.url(ARTICLE_WITH_PARTNER_LINKS))
    assert status == 200
    assert 'rel="sponsored' not in page.decode()


def test_an_admin_session_made_on_one_server_works_on_the_other(servers):
    a, b = servers
    session = Browser(a).log_in_to_admin().cookie("sessionid")

    status, headers, _ = Browser(b).request("/admin/")
    assert (status, headers["Location"]) == (302, "/admin/login/?next=/admin/")  # without the cookie
    status, _, page = Browser(b).request("/admin/", headers={"Cookie": f"sessionid={session}"})
    assert status == 200
    assert 'action="/admin/logout/"' in page


def test_an_image_uploaded_through_one_server_is_served_from_shared_storage_on_the_other(
    servers, s3_server
):
    a, b = servers
    editor = Browser(a).log_in_to_admin()
    storage = s3_server["S3_ENDPOINT_URL"] + "/" + s3_server["S3_BUCKET"] + "/"

    # The rich-text editor's upload endpoint.
    dropped = image_bytes("PNG", size=(72, 40))
    status, _, answer = editor.post("/editor/upload-image/", [], {"upload": ("drop.png", dropped, "image/png")})
    assert status == 200, (answer, a.server_log_tail())
    url = json.loads(answer)["url"]
    assert url.startswith(storage), url
    status, headers, body = http_get(url)
    assert status == 200 and pixels(body) == pixels(dropped)  # stored encoded again, pixels only
    assert {k.lower(): v for k, v in headers.items()}["content-type"] == "image/png"
    # Neither server keeps or serves uploads from its own disk.
    assert http_get(b.url("/media/" + url.removeprefix(storage)))[0] == 404
    assert not list((a.var_dir / "media").rglob("*.png"))

    # An article's featured image, saved through A's admin, on B's article page.
    featured = image_bytes("PNG", size=(96, 64))
    pk = pk_of(a, "articles.Article", ARTICLE_FOR_NEW_IMAGE)
    editor.change_through_admin(f"/admin/articles/article/{pk}/change/", "article_form", {},
                                {"featured_image": ("new-featured.png", featured, "image/png")})

    stored_as = a.manage("shell", "-c", "from articles.models import Article; print(Article.objects.get("
                                        f"slug={ARTICLE_FOR_NEW_IMAGE!r}).featured_image.name)").split()[-1]
    assert stored_as.startswith("articles/") and "new-featured" not in stored_as  # a random name

    status, headers, page = http_get(b.url(f"/{ARTICLE_FOR_NEW_IMAGE}.htm"))
    assert status == 200
    image = re.search(rf'<img src="([^"]*{re.escape(stored_as)})"[^>]*>', page.decode())
    assert image, "B's article page does not show the new featured image"
    assert image[1].startswith(storage)
    assert 'width="96" height="64"' in image[0]
    status, image_headers, body = http_get(image[1])
    assert pixels(body) == pixels(featured)
    assert {k.lower(): v for k, v in image_headers.items()}["content-type"] == "image/png"
    img_src = re.search(r"img-src ([^;]*)", headers["Content-Security-Policy"])[1].split()
    assert s3_server["S3_ENDPOINT_URL"] in img_src


def test_an_image_read_back_from_object_storage_is_checked_like_an_upload(settings, s3_server):
    settings.STORAGES = s3_storages(settings.STORAGES, s3_server)
    real = default_storage.save("checks/real.png", ContentFile(image_bytes()))
    fake = default_storage.save("checks/fake.png", ContentFile(b"<svg onload=alert(1)>not a png</svg>"))
    assert type(default_storage._wrapped).__name__ == "S3Storage"

    with default_storage.open(real) as stored:
        assert validate_image_file(stored) == "PNG"
    with default_storage.open(fake) as stored, pytest.raises(ValidationError) as refused:
        validate_image_file(stored)
    assert refused.value.code == "not_an_image"


def settings_in_a_fresh_process(**env: str) -> dict:
    """What wisegeek.settings makes of ``env`` (and nothing of the test run's own)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings; from django.core.files.storage import storages\n"
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/media/x.png'); media = True\nexcept Resolver404:\n    media = False\n"
        "print(json.dumps({'storage': type(storages['default']).__name__, 'serve_media': settings.SERVE_MEDIA,"
        " 'media_routed': media, 'url': storages['default'].url('a/b.png'),"
        " 'csp': settings.CONTENT_SECURITY_POLICY}))"
    )
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "settings-test", "DJANGO_SETTINGS_MODULE": "wisegeek.settings",
            "DATABASE_URL": "sqlite://:memory:"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**base, **env},
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_uploads_stay_on_local_disk_and_are_served_by_django_unless_a_bucket_is_set():
    local = settings_in_a_fresh_process()
    assert (local["storage"], local["serve_media"], local["media_routed"]) == ("FileSystemStorage", True, True)
    assert local["url"] == "/media/a/b.png"

    bucket = settings_in_a_fresh_process(S3_BUCKET="site-media", S3_CUSTOM_DOMAIN="media.example.com")
    assert (bucket["storage"], bucket["serve_media"], bucket["media_routed"]) == ("S3Storage", False, False)
    assert bucket["url"] == "https://media.example.com/a/b.png"  # plain, no signature to expire
    assert bucket["csp"]["DIRECTIVES"]["img-src"] == ["'self'", "data:", "https://media.example.com"]
