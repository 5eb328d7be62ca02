from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "authors"

    def ready(self):
        from core import pagecache

        from .models import Author

        # Bylines, author boxes and author pages show them.
        pagecache.watch(Author)
