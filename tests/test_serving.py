"""The site as `make run` serves it: migrate, collectstatic, demo content, gunicorn.

These tests run the real commands in subprocesses against a throw-away SQLite
database and talk HTTP to a real gunicorn, so they cover what the test client
cannot: hashed static files through WhiteNoise, uploaded images, the demo loader
being safe to run twice, and the admin account.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
        "SECRET_KEY": "serving-test-secret-key",
        "VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "DJANGO_SUPERUSER_PASSWORD": "a-long-admin-password-9",
        "PYTHONUNBUFFERED": "1",
    }

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    outputs = {
        "migrate": manage("migrate", "--noinput"),
        "collectstatic": manage("collectstatic", "--noinput"),
        "load_demo": manage("load_demo"),
        "load_demo_again": manage("load_demo"),
        "ensure_admin": manage("ensure_admin"),
        "ensure_admin_again": manage("ensure_admin"),
    }
    port = free_port()
    log_path = var / "gunicorn.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wisegeek.wsgi"],
        cwd=ROOT, env={**env, "PORT": str(port), "WEB_CONCURRENCY": "2"},
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start:\n" + log_path.read_text())
            time.sleep(0.2)
    yield {"base": base, "outputs": outputs, "manage": manage}
    server.terminate()
    server.wait(timeout=30)
    log.close()


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_demo_content_loads_once_and_never_duplicates(site):
    assert "created 5 categories, 3 authors, 4 partners" in site["outputs"]["load_demo"]
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
    image = re.search(r'<figure class="article__figure">\s*<img src="([^"]+)"', html).group(1)
    status, headers, data = get(site["base"] + image)
    assert status == 200 and headers["Content-Type"] == "image/jpeg" and data[:2] == b"\xff\xd8"


def test_unknown_pages_and_hosts_are_refused_cleanly(site):
    status, _, body = get(site["base"] + "/nope.htm")
    assert status == 404 and "We couldn’t find that page" in body.decode()
    status, _, _ = get(site["base"] + "/", Host="evil.example")
    assert status == 400


def test_admin_login_page_is_served(site):
    status, _, body = get(site["base"] + "/admin/login/")
    assert status == 200 and b"administration" in body
