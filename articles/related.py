"""Articles that share words with a title: the last way "Related articles" are found
(after the editor's pins and the same category), through the same full-text index as
search (``articles.search``), but needing ANY of the words rather than all of them."""

from django.db import models

from . import search

# Words too common to say two titles are about the same thing: English function words,
# about the ones PostgreSQL's English configuration drops itself, so that both engines
# relate the same titles.
STOP_WORDS = frozenset("""
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further had hadn't has hasn't
    have haven't having he her here hers herself him himself his how i if in into is isn't
    it it's its itself just me more most mustn't my myself no nor not now of off on once
    only or other ought our ours ourselves out over own same she should shouldn't so some
    such than that the their theirs them themselves then there these they this those
    through to too under until up very was wasn't we were weren't what when where which
    while who whom why will with won't would wouldn't you your yours yourself yourselves
""".split())


def title_words(title: str) -> list[str]:
    """The words of ``title`` worth matching on: letters and digits, no stop words."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in title).split()
    return list(dict.fromkeys(word for word in words if len(word) > 2 and word not in STOP_WORDS))[: search.MAX_WORDS]


def sharing_words(queryset: models.QuerySet, title: str) -> models.QuerySet:
    """The articles of ``queryset`` with any of ``title``'s words, most words (and the
    best places for them) first."""
    return search.matching_any(queryset, title_words(title))
