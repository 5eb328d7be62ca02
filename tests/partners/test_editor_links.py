"""The article editor's list of affiliate links (partners/editor.py): only for staff who
may view links, and only links a reader can actually be sent through."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import AffiliatePartnerFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db

URL = "/editor/affiliate-links.json"


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("editor", password="pw-editor-123", is_staff=True)


def may_view_links(user):
    user.user_permissions.add(Permission.objects.get(codename="view_partnerlink", content_type__app_label="partners"))
    return user


def test_the_list_has_its_address_in_the_partners_urls():
    assert reverse("partners:editor-links") == URL


def test_anonymous_visitor_is_refused_without_a_login_redirect(client):
    PartnerLinkFactory()
    response = client.get(URL)
    assert response.status_code == 403
    assert "Location" not in response


def test_signed_in_user_who_is_not_staff_is_refused_even_with_the_permission(client, django_user_model):
    user = may_view_links(django_user_model.objects.create_user("reader", password="pw-reader-123"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_staff_without_the_view_permission_is_refused(client, staff_user):
    client.force_login(staff_user)
    assert client.get(URL).status_code == 403


def test_inactive_staff_account_is_refused(client, staff_user):
    may_view_links(staff_user)
    staff_user.is_active = False
    staff_user.save()
    client.force_login(staff_user)
    assert client.get(URL).status_code == 403


def test_staff_who_may_view_links_gets_each_active_link_with_its_go_address(client, staff_user):
    partner = AffiliatePartnerFactory(name="Brightleaf Pharmacy")
    PartnerLinkFactory(partner=partner, name="Reusable heat pack", slug="heat-pack")
    PartnerLinkFactory(partner=partner, name="Ended offer", slug="ended", is_active=False)
    PartnerLinkFactory(partner=AffiliatePartnerFactory(is_active=False), name="Former partner's offer")
    client.force_login(may_view_links(staff_user))

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"links": [
        {"name": "Reusable heat pack", "partner": "Brightleaf Pharmacy", "slug": "heat-pack", "url": "/go/heat-pack"},
    ]}


def test_links_come_ordered_by_partner_then_name(client, admin_user):
    zeta, alpha = AffiliatePartnerFactory(name="Zeta Shop"), AffiliatePartnerFactory(name="Alpha Shop")
    PartnerLinkFactory(partner=zeta, name="A lamp")
    PartnerLinkFactory(partner=alpha, name="Tea")
    PartnerLinkFactory(partner=alpha, name="Kettle")
    client.force_login(admin_user)
    names = [(link["partner"], link["name"]) for link in client.get(URL).json()["links"]]
    assert names == [("Alpha Shop", "Kettle"), ("Alpha Shop", "Tea"), ("Zeta Shop", "A lamp")]


def test_the_list_is_never_cached_and_only_read(client, admin_user):
    client.force_login(admin_user)
    response = client.get(URL)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.post(URL).status_code == 405


def article_change_page(client, user):
    from tests.factories import ArticleFactory

    client.force_login(user)
    return client.get(reverse("admin:articles_article_change", args=[ArticleFactory().pk])).content.decode()


def test_the_article_editor_loads_the_picker_with_the_lists_address(client, admin_user):
    html = article_change_page(client, admin_user)
    assert f'src="/static/js/partner-link-picker.js" data-links-url="{URL}" defer' in html


def test_the_article_editor_has_no_picker_for_staff_who_may_not_view_links(client, staff_user):
    staff_user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="articles", codename__in=["view_article", "change_article", "publish_article"]))
    html = article_change_page(client, staff_user)
    assert "<h1>Change article</h1>" in html
    assert "partner-link-picker.js" not in html
