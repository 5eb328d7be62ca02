from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self):
        from core import pagecache

        from . import signals  # noqa: F401
        from .models import Image

        # Pages list the renditions an image has: once they are made, pages change.
        pagecache.watch(Image)
