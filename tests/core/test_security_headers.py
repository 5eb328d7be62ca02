"""Headers beside the Content-Security-Policy: Permissions-Policy turns off browser
features no page uses; pages open no window that keeps a handle on them
(Cross-Origin-Opener-Policy); pages are same-origin resources while images and static
files stay loadable from webmail, mail programs and feed readers
(Cross-Origin-Resource-Policy)."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db

DENIED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"}


def permissions(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


def test_pages_turn_off_the_browser_features_we_do_not_use(client, article, staff_client, settings):
    for response in (client.get("/"), client.get(article.get_absolute_url()),
                     staff_client.get(f"/{settings.ADMIN_URL}")):
        policy = permissions(response["Permissions-Policy"])
        assert {feature for feature, allowed in policy.items() if allowed == "()"} >= DENIED_FEATURES
        assert set(policy.values()) == {"()"}  # nothing is allowed, not even to ourselves


def test_pages_are_same_origin_for_openers_and_for_embedding(client, article):
    for url in ("/", article.get_absolute_url(), "/no-such-page/"):
        response = client.get(url)
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url


def test_uploaded_images_may_be_loaded_from_other_origins(client, settings):
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "photo.png").write_bytes(image_bytes())

    response = client.get("/media/uploads/photo.png")

    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def static_probe(request):
    return HttpResponse(b"GIF89a", content_type="image/gif")


def own_resource_policy(request):
    response = HttpResponse("{}", content_type="application/json")
    response["Cross-Origin-Resource-Policy"] = "same-site"
    return response


# WhiteNoise answers for collected files (see tests/test_observatory.py for the real
# thing); this stands in for a static file at the same address.
urlpatterns = [
    path("static/img/probe.gif", static_probe),
    path("own-policy/", own_resource_policy),
    path("", include("wisegeek.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_static_files_may_be_loaded_from_other_origins_and_a_views_own_choice_stands(client):
    assert client.get("/static/img/probe.gif")["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert client.get("/own-policy/")["Cross-Origin-Resource-Policy"] == "same-site"


def test_a_look_alike_path_is_not_a_static_file(client):
    # Only the prefix with its slash counts: /staticky/ is a page like any other.
    assert client.get("/staticky/")["Cross-Origin-Resource-Policy"] == "same-origin"
