"""Articles that share words with a title: the last way "Related articles" are found
(after the editor's pins and the same category), through the same full-text index as
search (``articles.search``), but needing ANY of the words rather than all of them."""

from django.db import connections, models
from django.db.models import F, Func, Value

from . import search

# Words too common to say two titles are about the same thing.
STOP_WORDS = frozenset(
    "a an and are as at be but by can do does for from how if in into is it its of on or "
    "our should that the their them they this to was what when where which who why will "
    "with you your".split()
)


def title_words(title: str) -> list[str]:
    """The words of ``title`` worth matching on: letters and digits, no stop words."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in title).split()
    return list(dict.fromkeys(word for word in words if len(word) > 2 and word not in STOP_WORDS))[: search.MAX_WORDS]


def sharing_words(queryset: models.QuerySet, title: str) -> models.QuerySet:
    """The articles of ``queryset`` with any of ``title``'s words, most words (and the
    best places for them) first."""
    words = title_words(title)
    if not words:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        # websearch_to_tsquery reads "or" between words as OR; the words are letters and digits only.
        return search._postgresql(queryset, " or ".join(words))
    if vendor == "sqlite":
        document = F("search_entry__document")
        return (
            queryset.filter(search_entry__document=" OR ".join(f'"{word}"' for word in words))
            .annotate(search_rank=Func(
                document, *(Value(search.WEIGHTS[column]) for column in ("title", "summary", "body")),
                function="bm25", output_field=models.FloatField(),
            ))
            .order_by("search_rank", "-publish_at", "-pk")
        )
    return queryset.none()
