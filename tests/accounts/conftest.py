import pytest
from axes.handlers.proxy import AxesProxyHandler

PASSWORD = "a-long-staff-password-7"


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """Each sign-in here checks a password; the production hasher would make that the test's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.com", PASSWORD, is_staff=True)


@pytest.fixture(autouse=True)
def _axes_follows_settings():
    """django-axes keeps its handler once made; a test that changes AXES_HANDLER gets a new one."""
    AxesProxyHandler.implementation = None
    yield
    AxesProxyHandler.implementation = None


def sign_in(client, username, password, *, ip="192.0.2.10", **headers):
    """Post the admin's sign-in form as a browser at ``ip`` would."""
    from django.urls import reverse

    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=ip, **headers)
