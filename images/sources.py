"""Where the images readers see are kept: image fields, and <img> tags in rich text.

Listed here by model label rather than imported, so this app depends on no other: the
articles and authors apps use it (their pages render its pictures), not the reverse.
"""

from collections.abc import Iterator

from django.apps import apps
from django.db import models

from .html import image_names_in

# model label -> (image fields, rich-text fields whose <img> tags are turned into pictures)
IMAGE_SOURCES: dict[str, tuple[list[str], list[str]]] = {
    "articles.Article": (["featured_image"], ["body"]),
    "authors.Author": (["photo"], []),
}


def image_names_of(instance: models.Model) -> list[str]:
    """The storage names of the images ``instance`` shows, in the fields it has loaded
    (a field left deferred was not changed, and reading it would cost a query)."""
    image_fields, html_fields = IMAGE_SOURCES[instance._meta.label]
    deferred = instance.get_deferred_fields()
    names = [getattr(instance, field).name for field in image_fields if field not in deferred]
    for field in html_fields:
        if field not in deferred:
            names += image_names_in(getattr(instance, field) or "")
    return [name for name in names if name]


def stored_image_names() -> Iterator[str]:
    """Every image any stored row shows (featured images, photos, images in bodies),
    read in batches, so a large site is not loaded into memory at once."""
    for label, (image_fields, html_fields) in IMAGE_SOURCES.items():
        model = apps.get_model(label)
        for field in image_fields:
            yield from model._default_manager.exclude(**{field: ""}).values_list(field, flat=True).iterator()
        for field in html_fields:
            for html in model._default_manager.filter(**{f"{field}__contains": "<img"}).values_list(
                field, flat=True
            ).iterator():
                yield from image_names_in(html)
