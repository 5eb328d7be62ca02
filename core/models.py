from django.contrib.flatpages.models import FlatPage
from django.db import models
from simple_history import register

from .pagecache import PageContentQuerySet


class RateLimitCounter(models.Model):
    """One fixed window of one rate limit, counted by a single atomic SQL statement.

    Used when there is no Redis: every process on every server that shares the
    database counts in the same row (``core.ratelimit``).
    """

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}: {self.count}"


SITE_TEXTS_CACHE_KEY = "core:site-texts"


class SiteTextsQuerySet(PageContentQuerySet):
    derived_cache_keys = (SITE_TEXTS_CACHE_KEY,)

    def current(self) -> "SiteTexts":
        """The texts in use (cached in the shared cache; cleared when they are saved).
        Before an editor has saved any, the defaults."""
        from django.core.cache import cache

        return cache.get_or_set(SITE_TEXTS_CACHE_KEY, lambda: self.filter(pk=1).first() or SiteTexts(pk=1), 3600)


class SiteTexts(models.Model):
    """The publication's standing statements, editable in admin without a deploy.

    One row. ``{site}`` and ``{founded}`` in a text become the site's name and the
    year it was founded (settings SITE_NAME and SITE_FOUNDED).
    """

    disclosure_bar = models.CharField(
        "disclosure bar", max_length=200,
        default="We are independent & ad-supported. We may earn a commission for purchases made through our links.",
        help_text="The line at the top of every page.",
    )
    how_we_make_money = models.TextField(
        "how we make money (short)", max_length=600,
        default="{site} is paid for by the advertising shown beside our articles and by commissions "
        "from some of the shops we link to. A commission never changes what we write or recommend, "
        "and never changes the price you pay.",
        help_text="Revealed by “Advertiser Disclosure” in the bar.",
    )
    article_disclosure = models.CharField(
        "affiliate disclosure in articles", max_length=300,
        default="We may earn a commission if you buy through links in this article.",
        help_text="The standard wording above the first affiliate link of an article "
        "(followed by a link to “How we make money”).",
    )
    promise = models.TextField(
        "“Our Promise to you”", max_length=600,
        default="Founded in {founded}, {site} is independent and answers to its readers. Every article "
        "is researched, written and checked before it is published, and "
        "kept up to date afterwards.",
        help_text="The box at the top of every article (followed by a link to the editorial process).",
    )

    objects = SiteTextsQuerySet.as_manager()

    class Meta:
        verbose_name = "site texts"
        verbose_name_plural = "site texts"

    def __str__(self):
        return "Site texts"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def filled(self, name: str) -> str:
        from django.conf import settings

        return getattr(self, name).replace("{site}", settings.SITE_NAME).replace("{founded}", str(settings.SITE_FOUNDED))

    @property
    def disclosure_bar_text(self):
        return self.filled("disclosure_bar")

    @property
    def how_we_make_money_text(self):
        return self.filled("how_we_make_money")

    @property
    def article_disclosure_text(self):
        return self.filled("article_disclosure")

    @property
    def promise_text(self):
        return self.filled("promise")


# The policy pages are Django's flat pages, a model we do not own: registered here, every
# save leaves a dated row in core's HistoricalFlatPage (who, when, what it said), which
# admin shows as the page's history and the sitemap reads as its last change.
register(FlatPage, app="core")
