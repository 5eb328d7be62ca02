"""A server-rendered SVG chart for the subscriber admin: no JavaScript, no chart library."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import Subscriber

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 220, 44, 28, 16


def weekly_figures(weeks: int = 12) -> list[dict]:
    """Per week (oldest first): signups that week, and active subscribers at its end.

    One query: a conditional count per week.
    """
    today = timezone.localdate()
    start_of_this_week = today - datetime.timedelta(days=today.weekday())
    starts = [start_of_this_week - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    tz = timezone.get_current_timezone()
    aggregates = {}
    for index, start in enumerate(starts):
        begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        end = begin + datetime.timedelta(weeks=1)
        aggregates[f"signups_{index}"] = Count("pk", filter=Q(created__gte=begin, created__lt=end))
        aggregates[f"active_{index}"] = Count(
            "pk",
            filter=Q(confirmed_at__lt=end)
            & (Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end))
            & ~Q(status__in=[Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED]),
        )
    counts = Subscriber.objects.aggregate(**aggregates)
    return [
        {"week": start, "signups": counts[f"signups_{i}"], "active": counts[f"active_{i}"]}
        for i, start in enumerate(starts)
    ]


def weekly_chart(weeks: int = 12) -> dict:
    """Coordinates for templates/admin/newsletter/subscriber/change_list.html."""
    figures = weekly_figures(weeks)
    # Two scales: signups per week are far fewer than active subscribers.
    top = max([f["active"] for f in figures] + [1])
    top_signups = max([f["signups"] for f in figures] + [1])
    plot_width = WIDTH - PAD_LEFT - 8
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_width / len(figures)

    def y(value: int, scale: int) -> float:
        return round(PAD_TOP + plot_height * (1 - value / scale), 1)

    bars, points, labels = [], [], []
    for index, figure in enumerate(figures):
        x = PAD_LEFT + index * step
        bar_top = y(figure["signups"], top_signups)
        bars.append({"x": round(x + step * 0.2, 1), "y": bar_top, "width": round(step * 0.6, 1),
                     "height": round(HEIGHT - PAD_BOTTOM - bar_top, 1), **figure})
        points.append(f"{round(x + step / 2, 1)},{y(figure['active'], top)}")
        labels.append({"x": round(x + step / 2, 1), "text": figure["week"].strftime("%b %-d")})
    return {
        "width": WIDTH, "height": HEIGHT, "baseline": HEIGHT - PAD_BOTTOM, "left": PAD_LEFT,
        "top": top, "top_signups": top_signups, "top_y": PAD_TOP, "bars": bars, "line": " ".join(points), "labels": labels,
        "latest": figures[-1],
    }
