"""Every admin page, the sign-in, lock-out and two-factor pages included, is kept out of
search engines and caches by its headers; the admin's prefix is the setting ADMIN_URL and
robots.txt does not give it away."""

import importlib

import pytest
from django.conf import settings
from django.urls import clear_url_caches, reverse

from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def assert_private_and_noindex(response):
    assert response["X-Robots-Tag"] == "noindex, nofollow", response
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control, response["Cache-Control"]


def test_every_kind_of_admin_page_is_noindex_and_never_cached(client, editor):
    assert_private_and_noindex(client.get(reverse("admin:login")))
    assert_private_and_noindex(sign_in(client, "editor", "wrong"))
    assert_private_and_noindex(client.get(reverse("admin:index")))  # the redirect to sign in
    assert_private_and_noindex(client.get(reverse("accounts:login_code")))
    assert_private_and_noindex(client.get(reverse("admin:index") + "no-such-page/"))

    assert_private_and_noindex(sign_in(client, "editor", PASSWORD))
    for name in ("admin:index", "admin:auth_user_changelist", "accounts:two_factor"):
        assert_private_and_noindex(client.get(reverse(name)))
    assert_private_and_noindex(client.post(reverse("admin:logout")))

    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        locked = sign_in(client, "editor", f"wrong-{attempt}")
    assert locked.status_code == 429
    assert_private_and_noindex(locked)


def test_public_pages_do_not_get_the_admin_headers(client, article):
    response = client.get(article.get_absolute_url())
    assert "X-Robots-Tag" not in response and "no-store" not in response["Cache-Control"]


@pytest.fixture
def secret_admin_prefix(settings):
    """The site as configured with ADMIN_URL=back-office-7f3/ (the URLs are read again)."""
    import wisegeek.urls

    settings.ADMIN_URL = "back-office-7f3/"
    clear_url_caches()
    importlib.reload(wisegeek.urls)
    yield "/back-office-7f3/"
    settings.ADMIN_URL = "admin/"  # before the settings fixture restores it, for the reload
    clear_url_caches()
    importlib.reload(wisegeek.urls)
    clear_url_caches()


def test_the_admin_lives_at_admin_url_and_robots_txt_does_not_name_it(client, editor, secret_admin_prefix):
    assert reverse("admin:index") == secret_admin_prefix
    login = client.get(secret_admin_prefix + "login/")
    assert login.status_code == 200 and f'action="{secret_admin_prefix}login/"' in login.content.decode()
    assert_private_and_noindex(login)
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404

    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    page = client.get(secret_admin_prefix)
    assert page.status_code == 200 and f'href="{secret_admin_prefix}' in page.content.decode()
    assert_private_and_noindex(page)
    assert_private_and_noindex(client.get(secret_admin_prefix + "two-factor/"))

    robots = client.get("/robots.txt").content.decode()
    assert "back-office" not in robots and "admin" not in robots


def test_the_sign_in_attempts_have_a_plain_name_in_the_admin_menu(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Sign-in attempts" in page and ">Axes<" not in page
