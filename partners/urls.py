from django.urls import path

from . import editor, views

app_name = "partners"

urlpatterns = [
    path("affiliate-partners/", views.affiliate_partners, name="list"),
    path("go/<slug:slug>", views.go, name="go"),
    path("editor/affiliate-links.json", editor.affiliate_links, name="editor-links"),
]
