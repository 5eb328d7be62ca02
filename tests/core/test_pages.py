import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.conftest import POLICY_URLS
from tests.factories import AffiliatePartnerFactory

pytestmark = pytest.mark.django_db


def test_partners_page_lists_active_partners_only(client, policy_pages):
    AffiliatePartnerFactory(name="Brightleaf Pharmacy", partner_since=datetime.date(2021, 3, 1))
    AffiliatePartnerFactory(name="Gone Traders", is_active=False)
    html = client.get(reverse("partners:list")).content.decode()
    assert "Brightleaf Pharmacy" in html and "Partner since March 2021" in html
    assert "Gone Traders" not in html


@pytest.mark.parametrize("url", POLICY_URLS)
def test_policy_pages_are_flat_pages_with_the_site_frame(client, policy_pages, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<p>The {url} page.</p>" in html
    assert "Advertiser Disclosure" in html and 'class="site-footer"' in html


def test_policy_page_saved_from_the_shell_is_sanitized(policy_pages):
    page = policy_pages[0]
    page.content = '<p>Hi<img src=x onerror="alert(1)"></p><script>x()</script>'
    page.save()
    page.refresh_from_db()
    assert page.content == '<p>Hi<img src="x"></p>'


def test_robots_sitemap_and_health(client, article):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /go/" in robots and "Sitemap: http://localhost:8000/sitemap.xml" in robots
    index = client.get("/sitemap.xml").content.decode()
    sections = [reverse("sitemap_section", kwargs={"section": name}) for name in ("articles", "authors", "pages")]
    assert all(f"<loc>http://localhost:8000{section}</loc>" in index for section in sections)
    sitemap = "".join(client.get(section).content.decode() for section in sections)
    assert article.get_absolute_url() in sitemap and "/about/" in sitemap and "/author/maya-okafor/" in sitemap
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_pages_carry_a_strict_content_security_policy(client, article):
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_request_nothing_from_other_origins(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    for attribute in ('src="http', "src=\"//", 'href="//'):
        assert attribute not in html
    stylesheets = [line for line in html.splitlines() if 'rel="stylesheet"' in line]
    assert stylesheets and all('href="/static/' in line for line in stylesheets)


def test_unknown_host_is_refused(client, article, settings):
    settings.DEBUG = False
    response = client.get(article.get_absolute_url(), HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_debug_is_off_unless_asked_for(tmp_path):
    # The settings module's own default, read in a fresh process: pytest-django forces
    # DEBUG off in this one, whatever settings.py says.
    result = run_settings({"SECRET_KEY": "x" * 50}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"
    assert run_settings({"SECRET_KEY": "x" * 50, "DEBUG": "1"}, tmp_path).stdout.split()[0] == "True"


def run_python(args: list[str], env: dict, tmp_path) -> subprocess.CompletedProcess:
    """Python in a fresh process, with the settings read from ``env`` alone (no key, no DEBUG)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    clean["VAR_DIR"] = str(tmp_path)
    return subprocess.run([sys.executable, *args], env={**clean, "DJANGO_SETTINGS_MODULE": "wisegeek.settings", **env},
                          capture_output=True, text=True, cwd=django_settings.BASE_DIR)


def run_settings(env: dict, tmp_path) -> subprocess.CompletedProcess:
    return run_python(["-c", "import django; django.setup(); from django.conf import settings; "
                             "print(settings.DEBUG, settings.ALLOWED_HOSTS)"], env, tmp_path)


def test_production_refuses_to_serve_without_a_secret_key(tmp_path):
    result = run_python(["-c", "import wisegeek.wsgi"], {}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    deploy = run_python(["manage.py", "check", "--deploy"], {}, tmp_path)
    assert deploy.returncode != 0 and "core.E001" in deploy.stderr


def test_commands_that_sign_nothing_work_without_a_secret_key(tmp_path):
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = run_python(["manage.py", *command], {}, tmp_path)
        assert result.returncode == 0, result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 50 + "\n")
    result = run_python(["-c", "import wisegeek.wsgi; from django.conf import settings; print(settings.SECRET_KEY)"],
                        {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50


def test_settings_come_from_the_environment(tmp_path):
    result = run_settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "news.example, www.news.example"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['news.example', 'www.news.example']"


def test_uploaded_images_are_served(client, article, settings):
    from tests.conftest import image_bytes

    article.featured_image.save("x.png", ContentFile(image_bytes()))
    response = client.get(article.featured_image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_partner_domains_must_be_domains(policy_pages):
    from django.core.exceptions import ValidationError

    partner = AffiliatePartnerFactory.build(domains="https://www.Shop.example/path\nnot a domain!")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "not a domain" in error.value.message_dict["domains"][0]
    partner.domains = "https://www.Shop.example/path, go.shop.example"
    partner.full_clean()
    assert partner.domains == "shop.example\ngo.shop.example"


def test_a_rotated_secret_key_keeps_links_already_emailed_working(tmp_path, settings):
    from django.core import signing

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.SECRET_KEY_FALLBACKS)"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "wisegeek.settings", "VAR_DIR": str(tmp_path),
             "SECRET_KEY": "n" * 50, "SECRET_KEY_FALLBACKS": "old-key-one, old-key-two"},
        capture_output=True, text=True, cwd=django_settings.BASE_DIR,
    )
    assert result.stdout.strip() == "['old-key-one', 'old-key-two']", result.stderr

    settings.SECRET_KEY = "old-key-one" + "x" * 40
    link = signing.dumps(7, salt="newsletter.unsubscribe")
    settings.SECRET_KEY = "new-key" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = ["old-key-one" + "x" * 40]
    assert signing.loads(link, salt="newsletter.unsubscribe") == 7


def test_a_production_configuration_passes_check_deploy_without_warnings(tmp_path):
    env = {"SECRET_KEY": "p" * 60 + "-production-like-key", "HTTPS": "1", "SITE_URL": "https://localhost"}
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
