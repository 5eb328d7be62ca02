from django import template
from django.db.models.fields.files import FieldFile

from images.html import picture_html
from images.layout import SIZES

register = template.Library()


@register.simple_tag
def picture(file: FieldFile, images, layout: str, *, alt: str = "", css_class: str | None = None,
            loading: str = "lazy", fetchpriority: str | None = None,
            width: int | None = None, height: int | None = None) -> str:
    """A stored image as a responsive <picture>, drawn as ``layout`` (a key of
    ``images.layout.SIZES``):
    ``{% picture article.featured_image images "card" css_class="card__image" %}``.

    ``images`` is the page's ``Image.objects.by_name(...)``, looked up once by the view;
    without it (or before the renditions are made) the plain original is shown.
    ``width`` and ``height`` are the box the layout draws (a square photo); by default,
    the original's own, so the browser reserves the right shape.
    """
    if not file:
        return ""
    if layout not in SIZES:
        raise template.TemplateSyntaxError(f"picture: no layout called {layout!r} in images.layout.SIZES")
    image = images.get(file.name) if isinstance(images, dict) else None
    if width is None or height is None:
        if image is not None:
            width, height = image.width, image.height
        else:  # measured when it was uploaded (never read from the file here)
            width = getattr(file.instance, file.field.width_field or "", None)
            height = getattr(file.instance, file.field.height_field or "", None)
    return picture_html(image, src=file.url, alt=alt, sizes=SIZES[layout], width=width, height=height,
                        css_class=css_class, loading=loading, fetchpriority=fetchpriority)
