"""The click report's chart: clicks per day as SVG bars, drawn on the server.

No JavaScript and no chart library; the template (admin/partners/linkclick/chart.html)
only places what this module measured.
"""

import math

WIDTH, HEIGHT = 720, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 8, 12, 48
MAX_BAR_WIDTH = 40
MAX_DAY_LABELS = 8


def nice_step(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least ``value``."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def daily_clicks_chart(per_day: list[dict]) -> dict:
    """Coordinates for the bars, the axes and their labels of ``per_day`` (from
    ``ClickReport.per_day()``: every day of the period, oldest first)."""
    most = max(day["clicks"] for day in per_day)
    step = nice_step(most / 4)
    top = max(step * math.ceil(most / step), step)
    plot_width = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    baseline = HEIGHT - PAD_BOTTOM
    slot = plot_width / len(per_day)
    bar_width = min(slot * 0.8, MAX_BAR_WIDTH)

    def y(value: int) -> float:
        return round(baseline - plot_height * value / top, 1)

    bars = []
    for index, day in enumerate(per_day):
        if day["clicks"]:
            bars.append({
                "x": round(PAD_LEFT + index * slot + (slot - bar_width) / 2, 1), "y": y(day["clicks"]),
                "width": round(bar_width, 1), "height": round(baseline - y(day["clicks"]), 1), **day,
            })
    every = math.ceil(len(per_day) / MAX_DAY_LABELS)
    day_labels = [
        {"x": round(PAD_LEFT + index * slot + slot / 2, 1), "day": day["day"]}
        for index, day in enumerate(per_day) if index % every == 0
    ]
    ticks = [{"y": y(value), "value": value} for value in range(0, top + 1, step)]
    busiest = max(per_day, key=lambda day: day["clicks"])
    return {
        "width": WIDTH, "height": HEIGHT, "left": PAD_LEFT, "right": WIDTH - PAD_RIGHT, "top_y": PAD_TOP,
        "baseline": baseline, "middle_x": round(PAD_LEFT + plot_width / 2, 1),
        "middle_y": round(PAD_TOP + plot_height / 2, 1),
        "bars": bars, "ticks": ticks, "day_labels": day_labels,
        "first": per_day[0]["day"], "last": per_day[-1]["day"],
        "busiest": busiest if busiest["clicks"] else None,
    }
