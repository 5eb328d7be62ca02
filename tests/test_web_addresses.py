"""Where an editor types a web address readers will follow (a partner's home page, an
affiliate link's destination, an author's website, a policy page's own address), only
an address that leads where it reads can be saved; anything else is refused with a
message when saving, and nothing stored changes.

(core/redirects.py validate_web_address, partners/models.py, authors/models.py, the
policy page form in articles/admin.py)
"""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.forms import form_fields
from tests.factories import AffiliatePartnerFactory, AuthorFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db

REFUSED = [
    "ftp://files.example.com/offer",
    "https://shop.example.com@evil.example/",   # reads as the shop, goes to evil.example
    "https://user:secret@shop.example.com/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/",
    "https://shop.example.com/\u202eofni",        # an invisible direction mark
    "https:evil.example",
]
# Every field whose address readers follow.
FIELDS = [(AffiliatePartnerFactory, "website"), (PartnerLinkFactory, "destination"), (AuthorFactory, "website")]
ACCEPTED = ["https://shop.example.com/offer?ref=wisegeek", "http://old-shop.example.com/"]


@pytest.mark.parametrize("address", REFUSED)
@pytest.mark.parametrize("model, field", FIELDS)
def test_an_address_that_does_not_lead_where_it_reads_is_refused(model, field, address):
    thing = model()
    setattr(thing, field, address)
    with pytest.raises(ValidationError) as refused:
        thing.full_clean()
    assert "Enter a web address starting with https://" in str(refused.value.message_dict[field])


@pytest.mark.parametrize("address", ACCEPTED)
@pytest.mark.parametrize("model, field", FIELDS)
def test_a_plain_web_address_is_saved(model, field, address):
    thing = model()
    setattr(thing, field, address)
    thing.full_clean()


def test_the_partner_form_in_admin_says_what_is_wrong_and_keeps_the_stored_address(admin_client):
    partner = AffiliatePartnerFactory(website="https://brightleaf.example.com/")
    url = reverse("admin:partners_affiliatepartner_change", args=[partner.pk])
    data = form_fields(admin_client.get(url).content.decode(), "affiliatepartner_form")
    response = admin_client.post(url, {**data, "website": "ftp://files.brightleaf.example.com/"})
    assert response.status_code == 200
    assert "Enter a web address starting with https://" in response.content.decode()
    partner.refresh_from_db()
    assert partner.website == "https://brightleaf.example.com/"


@pytest.mark.parametrize("address", ["//evil.example/", "/about//evil.example/"])
def test_a_policy_page_address_with_a_double_slash_is_refused(admin_client, address):
    response = admin_client.post(reverse("admin:flatpages_flatpage_add"), {
        "url": address, "title": "About", "content": "<p>Who we are.</p>", "sites": [Site.objects.get_current().pk],
    })
    assert response.status_code == 200
    assert "Use single slashes" in response.content.decode()
    assert not FlatPage.objects.filter(url=address).exists()


def test_a_policy_page_with_a_plain_address_is_saved(admin_client):
    response = admin_client.post(reverse("admin:flatpages_flatpage_add"), {
        "url": "/how-we-test/", "title": "How we test", "content": "<p>By hand.</p>",
        "sites": [Site.objects.get_current().pk],
    })
    assert response.status_code == 302
    assert FlatPage.objects.filter(url="/how-we-test/").exists()
