"""The site as `make run` serves it: migrate, collectstatic, demo content, gunicorn.

These tests run the real commands in subprocesses against a throw-away SQLite
database and talk HTTP to a real gunicorn, so they cover what the test client
cannot: hashed static files through WhiteNoise, uploaded images, the demo loader
being safe to run twice, and the admin account.
"""

import io
import re

import pytest
from PIL import Image

from tests.liveserver import LiveSite, http_get as get


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with LiveSite(tmp_path_factory.mktemp("var")) as live:
        outputs = {
            "migrate": live.manage("migrate", "--noinput"),
            "collectstatic": live.manage("collectstatic", "--noinput"),
            "load_demo": live.manage("load_demo"),
            "load_demo_again": live.manage("load_demo"),
            "ensure_admin": live.manage("ensure_admin"),
            "ensure_admin_again": live.manage("ensure_admin"),
        }
        live.serve()
        yield {"base": live.base, "outputs": outputs, "manage": live.manage}


def test_demo_content_loads_once_and_never_duplicates(site):
    assert "created 5 categories, 4 authors, 4 partners, 11 affiliate links, 2 ad placements, 16 articles" in (
        site["outputs"]["load_demo"])
    assert site["outputs"]["load_demo_again"].strip() == "Demo content is already loaded."


def test_admin_account_is_created_once(site):
    assert "Created admin user 'admin'" in site["outputs"]["ensure_admin"]
    assert "exists" in site["outputs"]["ensure_admin_again"]


def test_home_page_shows_demo_articles_in_every_category(site):
    status, headers, body = get(site["base"] + "/")
    html = body.decode()
    assert status == 200
    for category in ["Health", "Science", "Technology", "Money", "Home &amp; Garden"]:
        assert f">{category}</a></h2>" in html, category


def test_article_page_with_image_and_hashed_stylesheet(site):
    status, _, body = get(site["base"] + "/what-is-the-connection-between-sciatica-and-back-pain.htm")
    html = body.decode()
    assert status == 200
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the stylesheet URL is not the hashed one"
    status, headers, _ = get(site["base"] + stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"
    # The demo loader made the featured image's renditions: WebP first, JPEG for the rest.
    figure = re.search(r'<figure class="article__figure">\s*<picture>(.*?)</picture>', html, re.S).group(1)
    webp = re.search(r'<source type="image/webp" srcset="([^" ]+)', figure).group(1)
    jpeg = re.search(r'<img src="([^"]+)"', figure).group(1)
    for image, content_type, magic in [(webp, "image/webp", b"RIFF"), (jpeg, "image/jpeg", b"\xff\xd8")]:
        status, headers, data = get(site["base"] + image)
        assert status == 200 and headers["Content-Type"] == content_type and data.startswith(magic), image


def test_unknown_pages_and_hosts_are_refused_cleanly(site):
    status, _, body = get(site["base"] + "/nope.htm")
    assert status == 404 and "We couldn’t find that page" in body.decode()
    status, _, _ = get(site["base"] + "/", Host="evil.example")
    assert status == 400


def test_admin_login_page_is_served(site):
    status, _, body = get(site["base"] + "/admin/login/")
    assert status == 200 and b"administration" in body


def test_favicon_ico_leads_to_an_icon_in_every_size_browsers_ask_for(site):
    status, headers, body = get(site["base"] + "/favicon.ico")  # urllib follows the redirect

    assert status == 200
    assert headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    with Image.open(io.BytesIO(body)) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]


def test_the_admin_login_page_links_icons_that_are_served(site):
    _, _, body = get(site["base"] + "/admin/login/")
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', body.decode())

    assert len(icons) == 2
    for href in icons:
        status, _, data = get(site["base"] + href)
        assert status == 200 and data, href
