"""/favicon.ico, which browsers ask for on every site and admin's pages (no icon link of
their own) used to answer 404: a permanent, cacheable redirect to the icon in static
files, and admin's pages link the icon. tests/test_serving.py follows the redirect on a
real server and opens the file."""

import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_a_permanent_cacheable_redirect_to_the_icon_in_static_files(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]


def test_the_icon_in_static_files_is_an_ico_with_16_32_and_48_pixel_images():
    with Image.open(finders.find("img/favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert icon.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
        icon.size = (32, 32)
        icon.load()
        corner, middle = icon.convert("RGBA").getpixel((0, 0)), icon.convert("RGBA").getpixel((3, 16))
    assert corner[3] < 255, "the rounded corner is transparent"
    assert middle[:3] == (0x1D, 0x4E, 0x5F), "the brand colour of favicon.svg"


@pytest.mark.parametrize("signed_in, path", [(False, "/admin/login/"), (True, "/admin/")])
def test_admin_pages_link_the_icon(client, admin_user, signed_in, path):
    if signed_in:
        client.force_login(admin_user)

    html = client.get(path).content.decode()

    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert icons == ["/static/img/favicon.ico", "/static/img/favicon.svg"]
    assert all(finders.find(href.removeprefix("/static/")) for href in icons)
