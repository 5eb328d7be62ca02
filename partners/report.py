"""The click report in admin: how often readers clicked each affiliate link, from which
articles, on which days, over a period an editor chooses.

Every total is summed by the database (``Sum`` over ``GROUP BY``), so a report costs the
same few queries whether the period holds ten clicks or ten million.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from core.csv import csv_lines

from .models import AffiliatePartner, LinkClick, PartnerLink

DEFAULT_DAYS = 30
MAX_DAYS = 366
# The page shows the links and articles with most clicks; the CSV has every row.
TABLE_ROWS = 100

CSV_COLUMNS = ["day", "link slug", "link name", "partner", "article id", "article title", "clicks"]


class PeriodForm(forms.Form):
    """The period and filters of the report, read from the query string."""

    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter “From” as a date: YYYY-MM-DD, e.g. 2026-11-01."},
    )
    end = forms.DateField(
        label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter “To” as a date: YYYY-MM-DD, e.g. 2026-11-30."},
    )
    partner = forms.ModelChoiceField(
        AffiliatePartner.objects.all(), required=False, empty_label="All partners",
        error_messages={"invalid_choice": "That partner does not exist (any more)."},
    )
    link = forms.ModelChoiceField(
        PartnerLink.objects.select_related("partner"), required=False, empty_label="All links",
        error_messages={"invalid_choice": "That link does not exist (any more)."},
    )

    FIELDS = ("start", "end", "partner", "link")

    @classmethod
    def from_query(cls, query: QueryDict) -> "PeriodForm":
        """A bound form: what the query string gives, else the last 30 days, all links."""
        today = timezone.localdate()
        data = {"start": (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat(), "end": today.isoformat()}
        data.update({name: query[name] for name in cls.FIELDS if query.get(name)})
        return cls(data)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise ValidationError("The period ends before it starts: choose a “To” date on or after “From”.")
            days = (end - start).days + 1
            if days > MAX_DAYS:
                raise ValidationError(f"Choose a period of at most {MAX_DAYS} days (this one has {days}).")
        return cleaned

    def report(self) -> "ClickReport":
        data = self.cleaned_data
        return ClickReport(start=data["start"], end=data["end"], partner=data["partner"], link=data["link"])

    def query_string(self) -> str:
        """The cleaned period and filters, for the CSV link and the redirect back."""
        query = QueryDict(mutable=True)
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if value:
                query[name] = value.isoformat() if isinstance(value, datetime.date) else str(value.pk)
        return query.urlencode()


@dataclass(frozen=True)
class ClickReport:
    start: datetime.date
    end: datetime.date
    partner: AffiliatePartner | None = None
    link: PartnerLink | None = None

    def clicks(self) -> QuerySet:
        clicks = LinkClick.objects.filter(day__range=(self.start, self.end))
        if self.partner is not None:
            clicks = clicks.filter(link__partner=self.partner)
        if self.link is not None:
            clicks = clicks.filter(link=self.link)
        return clicks

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def total(self) -> int:
        return self.clicks().aggregate(total=Sum("clicks"))["total"] or 0

    def per_day(self) -> list[dict]:
        """Every day of the period, oldest first, with its clicks (0 when none)."""
        totals = dict(self.clicks().order_by().values("day").annotate(total=Sum("clicks")).values_list("day", "total"))
        days = (self.start + datetime.timedelta(days=n) for n in range(self.days))
        return [{"day": day, "clicks": totals.get(day, 0)} for day in days]

    def per_link(self, limit: int = TABLE_ROWS) -> list[dict]:
        """The links with most clicks, most first; ``limit + 1`` rows tell there are more."""
        return list(
            self.clicks()
            .values("link_id", "link__name", "link__slug", "link__partner__name")
            .annotate(total=Sum("clicks"))
            .order_by("-total", "link__name", "link_id")[: limit + 1]
        )

    def per_article(self, limit: int = TABLE_ROWS) -> list[dict]:
        """The articles with most clicks, most first. ``article__title`` is None for an
        article deleted since (its clicks keep its id) and for clicks from no article."""
        return list(
            self.clicks()
            .values("article_id", "article__title")
            .annotate(total=Sum("clicks"))
            .order_by("-total", F("article_id").asc(nulls_first=True))[: limit + 1]
        )

    def csv_rows(self) -> Iterator[list]:
        """One row per link, article and day, in the order of ``CSV_COLUMNS``; clicks
        from no article first (the engines disagree on where NULL sorts)."""
        rows = (
            self.clicks()
            .order_by("day", "link__slug", F("article_id").asc(nulls_first=True))
            .values_list("day", "link__slug", "link__name", "link__partner__name", "article_id", "article__title",
                         "clicks")
        )
        for day, slug, name, partner, article_id, title, clicks in rows.iterator(chunk_size=2000):
            if article_id is None:
                title = ""
            elif title is None:
                title = "(deleted article)"
            yield [day.isoformat(), slug, name, partner, "" if article_id is None else article_id, title, clicks]

    def csv_lines(self) -> Iterator[str]:
        """The CSV file, line by line, for a streaming response."""
        return csv_lines(CSV_COLUMNS, self.csv_rows())

    def csv_filename(self) -> str:
        return f"clicks-{self.start.isoformat()}-to-{self.end.isoformat()}.csv"
