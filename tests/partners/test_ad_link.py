"""A house ad's link: a path on this site (a /go/ link of the registry) or a web address."""

import pytest
from django.core.exceptions import ValidationError

from partners.models import AdPlacement, validate_ad_link
from tests.factories import AdPlacementFactory


@pytest.mark.parametrize("link", ["/go/heat-pack", "/health/", "https://shop.example/kit?ref=wg", "http://shop.example"])
def test_a_site_path_or_a_web_address_is_accepted(link):
    validate_ad_link(link)


@pytest.mark.parametrize("link", [
    "//elsewhere.example/go/x",  # another site, written to look like a path
    "/\\elsewhere.example/",  # browsers read /\ as //
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example/ad",
    "/go/heat pack",
    "/go/heat\x00pack",
    "go/heat-pack",
])
def test_anything_else_is_refused_with_a_message(link):
    with pytest.raises(ValidationError) as refused:
        validate_ad_link(link)
    assert refused.value.messages


@pytest.mark.django_db
def test_an_ad_linking_to_a_go_path_is_valid_and_shown_with_that_link(client):
    from tests.factories import ArticleFactory

    placement = AdPlacementFactory.build(link="/go/first-aid-kit", position=AdPlacement.Position.BELOW_ARTICLE)
    placement.full_clean()
    placement.save()
    page = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert '<a class="ad__house" href="/go/first-aid-kit" rel="sponsored noopener">' in page
