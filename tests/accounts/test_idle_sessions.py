"""A staff session unused for STAFF_SESSION_IDLE_MINUTES is signed out at its next request,
with a message; every request extends it. The clock is moved, not waited for."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    start = timezone.now()

    def move_to(minutes: float) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=minutes))

    move_to(0)
    return move_to


def test_an_idle_staff_session_is_signed_out_with_a_message(staff_client, clock, settings):
    assert settings.STAFF_SESSION_IDLE_MINUTES == 60
    assert staff_client.get(reverse("admin:index")).status_code == 200
    clock(60.5)
    response = staff_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:login") + "?next=%2Fadmin%2Farticles%2Farticle%2F"
    page = staff_client.get(response["Location"]).content.decode()
    assert "You were signed out after 60 minutes without activity" in page
    assert staff_client.get(reverse("admin:index")).status_code == 302  # signed out for good


def test_activity_keeps_a_staff_session(staff_client, clock):
    for minutes in (0, 50, 100, 150):
        clock(minutes)
        assert staff_client.get(reverse("admin:index")).status_code == 200, minutes
    clock(211)
    assert staff_client.get(reverse("admin:index")).status_code == 302


def test_the_idle_time_is_a_setting(staff_client, clock, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    staff_client.get(reverse("admin:index"))
    clock(4)
    assert staff_client.get(reverse("admin:index")).status_code == 200
    clock(10)
    assert staff_client.get(reverse("admin:index")).status_code == 302


def test_readers_sessions_are_not_timed(client, django_user_model, clock, article):
    reader = django_user_model.objects.create_user("reader", password="a-long-password-1")
    client.force_login(reader)
    client.get(article.get_absolute_url())
    clock(600)
    client.get(article.get_absolute_url())
    assert client.session.get("_auth_user_id") == str(reader.pk)


def test_an_anonymous_page_stays_cacheable(client, article):
    """Checking idle staff sessions must not read a session nobody sent: a response that
    varies by cookie is never stored by the page cache."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
