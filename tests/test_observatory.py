"""The MDN HTTP Observatory scores the home page and an article at least 100 (A+) under
production settings: HTTPS=1 behind a proxy, DEBUG off, gunicorn serving the demo.

The score comes from the Observatory's own rules (the npm package
@mdn/mdn-http-observatory, run by tests/observatory.mjs): its scanner only knows the
standard ports and real certificates, so this test makes the requests it makes (the
plain-HTTP visit and its redirects, the HTTPS page, the CORS preflight) against the
loopback gunicorn, with the X-Forwarded-Proto the TLS proxy in front would add.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import urllib.request
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from tests.conftest import service_missing
from tests.liveserver import ROOT, LiveSite

HOST = "www.example.com"
PRODUCTION = {
    "HTTPS": "1", "BEHIND_PROXY": "1", "DEBUG": "0", "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
    "SITE_URL": f"https://{HOST}", "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
}
ARTICLE_PATH = "/what-is-the-connection-between-sciatica-and-back-pain.htm"
OBSERVATORY = ROOT / "node_modules" / "@mdn" / "mdn-http-observatory"
CORS_ORIGIN = "https://http-observatory.security.mozilla.org"  # the scanner's own


@contextmanager
def behind_the_proxy():
    """urllib's requests (LiveSite's start-up probe) arrive as the TLS proxy sends them."""
    opener = urllib.request.build_opener()
    opener.addheaders = [("X-Forwarded-Proto", "https")]
    urllib.request.install_opener(opener)
    try:
        yield
    finally:
        urllib.request.install_opener(None)


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    if shutil.which("node") is None or not OBSERVATORY.is_dir():
        service_missing("node or node_modules/@mdn/mdn-http-observatory is missing (npm ci --ignore-scripts)")
    site = LiveSite(tmp_path_factory.mktemp("observatory"), workers=1, **PRODUCTION)
    with behind_the_proxy():
        site.start()
    yield site
    site.stop()


def request(site: LiveSite, method: str, url: str, **headers: str):
    """``url`` as the proxy passes it to gunicorn: status, header pairs, body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                           headers={"Host": parts.netloc, "X-Forwarded-Proto": parts.scheme,
                                    "X-Forwarded-For": "203.0.113.7", **headers})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def follow(site: LiveSite, url: str) -> tuple[list[dict], dict]:
    """GET ``url`` and its redirects, as the scanner does: the chain and the last answer."""
    chain = []
    for _ in range(10):
        status, headers, body = request(site, "GET", url)
        chain.append({"url": url, "status": status})
        location = dict((name.lower(), value) for name, value in headers).get("location")
        if status not in (301, 302, 303, 307, 308) or not location:
            break
        url = urllib.request.urljoin(url, location)
    return chain, {"url": url, "status": status, "headers": headers, "body": body.decode()}


def observatory_score(site: LiveSite, path: str) -> dict:
    http_chain, http_final = follow(site, f"http://{HOST}{path}")
    https_chain, https_final = follow(site, f"https://{HOST}{path}")
    preflight = {"Origin": CORS_ORIGIN, "Access-Control-Request-Method": "GET"}
    cors_status, cors_headers, _ = request(site, "OPTIONS", https_final["url"], **preflight)
    scan = {
        "hostname": HOST, "httpChain": http_chain, "httpFinal": http_final, "https": https_final,
        "cors": {"status": cors_status, "headers": cors_headers, "requestHeaders": preflight},
    }
    result = subprocess.run(["node", str(ROOT / "tests" / "observatory.mjs")], input=json.dumps(scan), cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True)
    return {**json.loads(result.stdout), "httpChain": http_chain, "httpsChain": https_chain}


@pytest.mark.parametrize("path", ["/", ARTICLE_PATH], ids=["home", "article"])
def test_the_observatory_scores_the_page_at_least_100(production_site, path):
    scored = observatory_score(production_site, path)
    print(f"\nObservatory {path}: {scored['score']} ({scored['grade']})")
    for name, test in scored["tests"].items():
        print(f"  {test['scoreModifier']:+3d} {name}: {test['result']}")

    failing = {name: test["result"] for name, test in scored["tests"].items() if not test["pass"]}
    assert failing == {}
    assert scored["score"] >= 100 and scored["grade"] == "A+"
    # The plain-HTTP visit goes straight to HTTPS on the same host, and the page is there.
    assert [step["url"] for step in scored["httpChain"]] == [f"http://{HOST}{path}", f"https://{HOST}{path}"]
    assert scored["httpsChain"][-1]["status"] == 200 and len(scored["httpsChain"]) == 1


def test_images_and_static_files_stay_loadable_from_other_origins(production_site):
    _, page_headers, page = request(production_site, "GET", f"https://{HOST}{ARTICLE_PATH}")
    html = page.decode()
    static = re.search(r'(/static/[^"\s]+\.(?:svg|png|ico|css))', html)[1]
    media = re.search(r'(/media/[^"\s,]+\.(?:jpg|jpeg|png|webp|gif))', html)[1]

    assert dict(page_headers)["Cross-Origin-Resource-Policy"] == "same-origin"
    for path in (static, media):
        status, headers, _ = request(production_site, "GET", f"https://{HOST}{path}")
        assert status == 200, path
        assert dict(headers)["Cross-Origin-Resource-Policy"] == "cross-origin", path
