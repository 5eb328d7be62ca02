"""An author as a schema.org Person, for their own page and for the articles they write
or review (see core/structured_data.py)."""

from core.site import absolute_url
from images.html import social_image


def person(author, images: dict | None = None) -> dict:
    """Who the author is: name, page, credentials, areas of expertise, photo, and their
    profiles elsewhere (``sameAs``, the same links their page marks rel="me")."""
    node = {
        "@type": "Person",
        "@id": absolute_url(author.get_absolute_url()) + "#person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }
    if author.credentials:
        node["jobTitle"] = author.credentials
    if author.short_bio:
        node["description"] = author.short_bio
    if author.expertise_list:
        node["knowsAbout"] = author.expertise_list
    same_as = [link for link in [author.website, *author.social_link_list] if link]
    if same_as:
        node["sameAs"] = same_as
    photo = social_image(author.photo, images or {})
    if photo:
        node["image"] = {"@type": "ImageObject", "url": photo["url"], "width": photo["width"], "height": photo["height"]}
    return node
