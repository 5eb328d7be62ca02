"""Mounted under the admin's prefix (ADMIN_URL), before the admin's own URLs, so its
login/ replaces the admin's sign-in view."""

from django.contrib import admin
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.AdminLoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("two-factor/", admin.site.admin_view(views.two_factor_page), name="two_factor"),
    path("two-factor/off/", admin.site.admin_view(views.two_factor_off), name="two_factor_off"),
]
