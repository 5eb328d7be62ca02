"""Fixtures for the newsletter tests: how tasks run, rate limits, signing up. The SMTP
server (`mail_server`, `smtp`, `closed_port`) comes from tests/mail.py."""

import urllib.parse

import pytest

from core.models import RateLimitCounter


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are queued (confirmation emails leave with the request)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_tasks(settings):
    """The production queue: tasks wait in the database until a worker runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _empty_rate_limits(db):
    """Rate-limit counters live in the database (or Redis): every test starts with none."""
    RateLimitCounter.objects.all().delete()


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    """POST the signup form as a browser without JavaScript does, running what the
    request queued on commit (the confirmation email), and follow the redirect."""

    def post(address: str, *, source: str = "newsletter-page", website: str = "", **extra):
        body = urllib.parse.urlencode({"email": address, "source": source, "website": website})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/newsletter/", body, content_type="application/x-www-form-urlencoded",
                               follow=True, **extra)

    return post
