from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("affiliate-partners/", views.affiliate_partners, name="list"),
    path("go/<slug:slug>", views.go, name="go"),
]
