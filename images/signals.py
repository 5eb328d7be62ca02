"""Renditions follow the images: when a row that shows images is saved (an article's
featured image or body, an author's photo), the images without renditions are queued.

A signal, not a call in each writer, because admin, the shell, imports and the demo
loader all save rows and none of them should have to remember renditions; like cache
invalidation, it only derives files from what was stored and changes no data.
"""

from django.db.models.signals import post_save

from .services import renditions_request
from .sources import IMAGE_SOURCES, image_names_of


def queue_renditions(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture: the files may not be there yet; make_renditions catches up
        return
    renditions_request(names=image_names_of(instance))


for label in IMAGE_SOURCES:
    post_save.connect(queue_renditions, sender=label, dispatch_uid=f"images.queue_renditions.{label}")
