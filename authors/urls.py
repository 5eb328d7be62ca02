from django.urls import path

from core.pagecache import public_page

from . import views
from .feeds import AuthorAtomFeed, AuthorFeed

app_name = "authors"

urlpatterns = [
    path("<slug:slug>/", views.AuthorArticles.as_view(), name="detail"),
    path("<slug:slug>/feed/", public_page(AuthorFeed()), name="feed"),
    path("<slug:slug>/feed/atom/", public_page(AuthorAtomFeed()), name="feed_atom"),
]
