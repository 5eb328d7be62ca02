from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator

from articles.models import Article
from core.pagecache import public_page
from core.views import PaginatedListView
from core.structured_data import graph
from images.html import social_image
from images.models import Image
from partners.ads import listing_ad

from .models import Author
from .structured_data import person

# How many of the articles an author reviewed their page lists (the newest).
REVIEWED_SHOWN = 10


@method_decorator(public_page, name="dispatch")
class AuthorArticles(PaginatedListView):
    """An author's page: who they are, their published articles, and the newest of
    the published articles they reviewed."""

    template_name = "authors/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(author=self.author)

    def get_context_data(self, **kwargs):
        reviewed = Article.objects.published().for_listing().filter(reviewer=self.author)
        context = super().get_context_data(
            author=self.author,
            listing_ad=listing_ad(),
            reviewed=list(reviewed[:REVIEWED_SHOWN]),
            reviewed_count=reviewed.count(),
            **kwargs,
        )
        images = Image.objects.by_name(
            [self.author.photo.name, *(article.featured_image.name for article in context["articles"])]
        )
        context["images"] = images
        context["social_image"] = social_image(self.author.photo, images, alt=self.author.photo_description)
        context["structured_data"] = graph(person(self.author, images))
        return context
