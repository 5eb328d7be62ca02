from django.urls import path

from core.pagecache import public_page

from . import views
from .feeds import CategoryAtomFeed, CategoryFeed, LatestArticlesAtomFeed, LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>.htm", views.article_detail, name="detail"),
    path("<slug:slug>.htm/comment", views.comment_post, name="comment_post"),
    path("<slug:slug>.htm/comment-token", views.comment_form_token, name="comment_form_token"),
    path("comments/publish/<str:token>/", views.comment_publish, name="comment_publish"),
    path("category/<slug:slug>/", views.CategoryArticles.as_view(), name="category"),
    path("category/<slug:slug>/feed/", public_page(CategoryFeed()), name="category_feed"),
    path("category/<slug:slug>/feed/atom/", public_page(CategoryAtomFeed()), name="category_feed_atom"),
    path("search/", views.SearchResults.as_view(), name="search"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("feed/", public_page(LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(LatestArticlesAtomFeed()), name="feed_atom"),
    path("editor/upload-image/", views.editor_image_upload, name="editor_upload"),
]
