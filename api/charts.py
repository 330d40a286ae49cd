"""Bar charts as inline SVG geometry: our own few lines instead of a charting library."""

from __future__ import annotations

from collections.abc import Callable

WIDTH = 600
HEIGHT = 120
GAP = 0.15  # of each slot, between bars
MAX_BAR = 40  # a chart of two months should not look like two walls


def bar_chart(
    buckets: list[dict],
    *,
    href: Callable[[dict], str],
    selected: Callable[[dict], bool],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> dict | None:
    """Return the bars of a chart of `buckets` ({value, label, count, from, to}) in a
    width x height box: each with its rectangle, full-height hit area, link and labels.

    None when there is nothing to draw. Bars of zero are kept (a gap in time is news too)
    and get a hairline so the axis reads as continuous.
    """
    if not buckets:
        return None
    peak = max(b["count"] for b in buckets) or 1
    slot = width / len(buckets)
    gap = slot * GAP if slot > 4 else 0
    bars = []
    for i, bucket in enumerate(buckets):
        h = bucket["count"] / peak * (height - 2)
        if bucket["count"] and h < 2:
            h = 2
        w = min(max(slot - gap, 0.5), MAX_BAR)
        bars.append({
            "x": round(i * slot + (slot - w) / 2, 2),
            "w": round(w, 2),
            "slot_x": round(i * slot, 2),
            "slot_w": round(slot, 2),
            "y": round(height - h, 2),
            "h": round(h, 2),
            "count": bucket["count"],
            "value": bucket["value"],
            "label": bucket["label"],
            "from": bucket["from"],
            "to": bucket["to"],
            "href": href(bucket),
            "selected": selected(bucket),
        })
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "peak": peak,
        "first": buckets[0]["label"],
        "last": buckets[-1]["label"],
        "total": sum(b["count"] for b in buckets),
    }
