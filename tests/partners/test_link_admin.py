"""The affiliate link registry and the ad placements in admin: editors find each link's
/go/ address to copy into articles, see which offers the last check found dead, and
group an ad's fields by what they are for."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import AdPlacement, PartnerLink
from tests.factories import AdPlacementFactory, AffiliatePartnerFactory, CategoryFactory, PartnerLinkFactory
from tests.forms import form_fields

pytestmark = pytest.mark.django_db

LINKS = reverse("admin:partners_partnerlink_changelist")
PARTNERS = reverse("admin:partners_affiliatepartner_changelist")


def dead(**fields) -> PartnerLink:
    link = PartnerLinkFactory(**fields)
    PartnerLink.objects.filter(pk=link.pk).update(is_dead=True, check_result="404 Not Found",
                                                  checked_at=timezone.now())
    return link


def listed(response) -> list[PartnerLink]:
    return list(response.context["cl"].result_list)


def test_the_link_list_shows_each_links_address_destination_and_last_check(staff_client):
    link = PartnerLinkFactory(name="Reusable heat pack", slug="heat-pack", partner=AffiliatePartnerFactory(name="Brightleaf"),
                              destination="https://shop.brightleaf.example/heat-pack?ref=wisegeek")

    page = staff_client.get(LINKS).content.decode()

    for text in ["Reusable heat pack", "Brightleaf", "/go/heat-pack", "https://shop.brightleaf.example/heat-pack?ref=wisegeek",
                 "column-is_dead", "column-checked_at"]:
        assert text in page
    # A long tracking address is shortened, so the list's last columns stay on screen.
    PartnerLinkFactory(destination="https://shop.example/" + "a" * 100)
    assert "https://shop.example/" + "a" * 38 + "…" in staff_client.get(LINKS).content.decode()
    assert link in listed(staff_client.get(LINKS, {"q": "heat"}))
    assert listed(staff_client.get(LINKS, {"q": "no such thing"})) == []


def test_the_link_form_shows_the_address_to_copy_into_an_article(staff_client):
    link = PartnerLinkFactory(slug="heat-pack")

    page = staff_client.get(reverse("admin:partners_partnerlink_change", args=[link.pk])).content.decode()

    assert re.search(r"Copy this into an article:</label>\s*<div class=\"readonly\">/go/heat-pack</div>", page)


def test_an_editor_adds_a_link_and_cannot_set_the_checks_findings(staff_client):
    partner = AffiliatePartnerFactory()
    page = staff_client.get(reverse("admin:partners_partnerlink_add")).content.decode()
    assert "&quot;id&quot;: &quot;#id_slug&quot;, &quot;name&quot;: &quot;slug&quot;, &quot;dependency_ids&quot;: [&quot;#id_name&quot;]" in page  # the slug follows the name
    assert "admin-autocomplete" in page  # partners are found by typing, not in a long list

    response = staff_client.post(reverse("admin:partners_partnerlink_add"), {
        "partner": partner.pk, "name": "Heat pack", "slug": "heat-pack", "destination": "shop.example/heat",
        "is_active": "on", "notes": "", "is_dead": "on", "check_result": "made up",
    })

    assert response.status_code == 302
    link = PartnerLink.objects.get(slug="heat-pack")
    assert (link.destination, link.is_dead, link.check_result, link.checked_at) == (
        "https://shop.example/heat", False, "", None)


def test_the_dead_offer_filter_lists_the_dead_offers_readers_can_reach(staff_client):
    gone = dead()
    dead(is_active=False)  # switched off: readers no longer reach it
    dead(partner=AffiliatePartnerFactory(is_active=False))
    PartnerLinkFactory()

    assert listed(staff_client.get(LINKS, {"dead": "yes"})) == [gone]
    assert len(listed(staff_client.get(LINKS))) == 4


@pytest.mark.parametrize("changelist", [LINKS, PARTNERS])
def test_the_link_and_partner_lists_say_how_many_offers_are_dead_and_link_to_them(staff_client, changelist):
    dead()
    dead()
    dead(is_active=False)

    page = staff_client.get(changelist).content.decode()

    assert f'<a href="{LINKS}?dead=yes">2 dead offers</a>' in page


def test_no_dead_offer_line_when_every_offer_works(staff_client):
    PartnerLinkFactory()
    assert "dead offer" not in staff_client.get(PARTNERS).content.decode()


def test_a_partners_page_lists_its_links_and_adds_one(staff_client):
    partner = AffiliatePartnerFactory()
    PartnerLinkFactory(partner=partner, slug="old-offer")
    url = reverse("admin:partners_affiliatepartner_change", args=[partner.pk])
    page = staff_client.get(url).content.decode()
    assert "/go/old-offer" in page

    fields = form_fields(page, "affiliatepartner_form")
    fields.update({"links-TOTAL_FORMS": "2", "links-1-name": "New offer", "links-1-slug": "new-offer",
                   "links-1-destination": "https://shop.example/new", "links-1-is_active": "on",
                   "links-1-partner": str(partner.pk)})
    response = staff_client.post(url, fields)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert sorted(partner.links.values_list("slug", flat=True)) == ["new-offer", "old-offer"]


def test_a_partners_page_costs_the_same_queries_with_two_links_or_twenty(staff_client):
    partner = AffiliatePartnerFactory()
    url = reverse("admin:partners_affiliatepartner_change", args=[partner.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    PartnerLinkFactory.create_batch(2, partner=partner)
    queries()  # the first request fills caches the next ones use
    few = queries()
    PartnerLinkFactory.create_batch(18, partner=partner)
    assert queries() == few


def test_ad_placements_are_listed_with_where_they_appear_and_what_they_are(staff_client):
    AdPlacementFactory(name="Winter kits, mid-article", number=2, category=CategoryFactory(name="Health"))

    response = staff_client.get(reverse("admin:partners_adplacement_changelist"))

    page = response.content.decode()
    for text in ["Winter kits, mid-article", "In the article, after paragraph N", "Health", "House ad"]:
        assert text in page
    assert {spec.title for spec in response.context["cl"].filter_specs} >= {"position", "kind", "active", "category"}


def test_the_ad_form_groups_its_fields_by_where_house_ad_and_network_slot(staff_client):
    response = staff_client.get(reverse("admin:partners_adplacement_add"))

    groups = {name: list(options["fields"]) for name, options in response.context["adminform"].model_admin.fieldsets}
    assert groups["Where"] == ["position", "number", "category"]
    assert {"headline", "image", "image_alt", "link"} <= set(groups["House ad"])
    assert groups["Network slot"] == ["network_slot", "height"]
    for heading in ["Where", "House ad", "Network slot"]:
        assert re.search(rf"<h2[^>]*>{heading}</h2>", response.content.decode())


def test_a_network_slot_is_added_and_a_house_ad_without_a_link_is_refused(staff_client):
    url = reverse("admin:partners_adplacement_add")
    fields = {**form_fields(staff_client.get(url).content.decode(), "adplacement_form"),
              "name": "Network rectangle", "position": "below_article", "number": "1", "kind": "network",
              "network_slot": "1234567890", "height": "250"}

    assert staff_client.post(url, fields).status_code == 302
    assert AdPlacement.objects.get().network_slot == "1234567890"

    response = staff_client.post(url, {**fields, "name": "House", "kind": "house", "headline": "Kits", "link": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["link"] == ["A house ad needs a link."]
