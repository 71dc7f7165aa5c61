"""Charts as inline SVG, drawn on the server: no script, no CDN, readable
offline and in any archive of the page.  Labels are scraped or user text,
so each one goes through Markup's escaping; the only markup is written here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo

from markupsafe import Markup

from crawler.readers.browse.moments import readable, short

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
EVENT_COLOURS = {
    "new": "#2ca02c",
    "changed": "#1f77b4",
    "removed": "#d62728",
    "restored": "#9467bd",
    "unlisted": "#ff7f0e",
    "relisted": "#8c564b",
    "list_retitled": "#e377c2",
}
WIDTH, LEFT, RIGHT = 720, 40, 10


def weekly_bars(weeks: Sequence[str], counts: dict[tuple[str, str], int], title: str) -> Markup:
    """Stacked bars: one per week (``weeks``, their Mondays, oldest first),
    each labelled with its Monday, one colour per site; ``counts`` maps
    (week, site) to a number."""
    sites = sorted({site for _, site in counts})
    height, bottom = 215, 45
    totals = [sum(counts.get((week, site), 0) for site in sites) for week in weeks]
    top = max(totals, default=0) or 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    scale = (height - bottom - 10) / top
    parts = [_open(height, title), _axis(height - bottom, top)]
    for index, week in enumerate(weeks):
        x, y = LEFT + index * slot + 1, float(height - bottom)
        for colour, site in zip(itertools.cycle(PALETTE), sites):
            value = counts.get((week, site), 0)
            if not value:
                continue
            bar = value * scale
            y -= bar
            parts.append(
                Markup(
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
                    "<title>{}: {} in the week of {}</title></rect>"
                ).format(x, y, max(slot - 2, 1), bar, colour, site, value, readable(date.fromisoformat(week)))
            )
        monday = date.fromisoformat(week)
        parts.append(
            Markup('<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle">{}</text>').format(
                x + slot / 2, height - bottom + 13, f"{monday.day} {monday:%b}"
            )
        )
    parts.append(
        Markup('<text x="{}" y="{}" font-size="10" fill="#555">{}</text>').format(
            LEFT, height - bottom + 26, "weeks from Monday (UTC)"
        )
    )
    legend = Markup("").join(
        Markup('<tspan fill="{}">■ {}</tspan> ').format(colour, site)
        for colour, site in zip(itertools.cycle(PALETTE), sites)
    )
    parts.append(Markup('<text x="{}" y="{}" font-size="11">{}</text>').format(LEFT, height - 2, legend))
    return Markup("").join(parts) + Markup("</svg>")


def timeline(
    start: datetime, end: datetime, marks: Sequence[tuple[datetime, str, str, str]], title: str, where: tzinfo = UTC
) -> Markup:
    """Events on a time axis: ``marks`` are (when, event kind, label, tooltip);
    the ends read in ``where`` (the site's timezone)."""
    height, axis_y = 70, 35
    span = max((end - start).total_seconds(), 1)

    def x(moment: datetime) -> float:
        return LEFT + (moment - start).total_seconds() / span * (WIDTH - LEFT - RIGHT)

    parts = [
        _open(height, title),
        Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>').format(LEFT, axis_y, WIDTH - RIGHT, axis_y),
    ]
    for moment, kind, label, tooltip in marks:
        parts.append(
            Markup(
                '<circle cx="{0:.1f}" cy="{1}" r="6" fill="{2}"><title>{4}</title></circle>'
                '<text x="{0:.1f}" y="{3}" font-size="10" text-anchor="middle">{5}</text>'
            ).format(x(moment), axis_y, EVENT_COLOURS.get(kind, "#333"), axis_y - 10, tooltip, label)
        )
    for moment in (start, end):
        anchor = "start" if moment is start else "end"
        parts.append(
            Markup('<text x="{:.1f}" y="{}" font-size="10" text-anchor="{}">{}</text>').format(
                x(moment), height - 8, anchor, readable(moment, where)
            )
        )
    return Markup("").join(parts) + Markup("</svg>")


def line(points: Sequence[tuple[datetime, int]], title: str, where: tzinfo = UTC) -> Markup:
    """A value over time (hit counts), one point per observation.  The axis
    spans the values seen, not from 0: a count that grew from 1,200 to
    1,260 is a rise to read, not a flat line at the top."""
    height, bottom = 140, 20
    if not points:
        return Markup("")
    start, end = points[0][0], points[-1][0]
    span = max((end - start).total_seconds(), 1)
    low, high = axis_range([value for _, value in points])
    coordinates = [
        (
            LEFT + (moment - start).total_seconds() / span * (WIDTH - LEFT - RIGHT),
            height - bottom - (value - low) / (high - low) * (height - bottom - 10),
        )
        for moment, value in points
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    parts = [
        _open(height, title),
        _axis(height - bottom, high, low),
        Markup('<polyline points="{}" fill="none" stroke="#1f77b4" stroke-width="2"/>').format(path),
    ]
    for (x, y), (moment, value) in zip(coordinates, points):
        parts.append(
            Markup('<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="#1f77b4"><title>{}: {}</title></circle>').format(
                x, y, readable(moment, where), value
            )
        )
    label = short if span > 2 * 86400 else readable  # days, or the hours within them
    for moment, anchor in ((start, "start"), (end, "end")):
        parts.append(
            Markup('<text x="{:.1f}" y="{}" font-size="10" text-anchor="{}">{}</text>').format(
                LEFT if anchor == "start" else WIDTH - RIGHT, height - 4, anchor, label(moment, where)
            )
        )
    return Markup("").join(parts) + Markup("</svg>")


def axis_range(values: Sequence[int]) -> tuple[int, int]:
    """A value axis that fits ``values``: from a round number at or below
    the lowest to one at or above the highest, never an empty span."""
    low, high = min(values), max(values)
    if low == high:
        return max(low - 1, 0), high + 1
    step = 10 ** max(math.floor(math.log10(high - low)) - 1, 0)  # rounded to a tenth of the span's order
    return low // step * step, -(-high // step) * step


def _open(height: int, title: str) -> Markup:
    return Markup(
        '<svg class="pw-chart" role="img" viewBox="0 0 {} {}" width="100%" style="max-width:{}px" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
    ).format(WIDTH, height, WIDTH, title)


def _axis(baseline: int, top: int, bottom: int = 0) -> Markup:
    return Markup(
        '<line x1="{0}" y1="10" x2="{0}" y2="{1}" stroke="#999"/><line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#999"/>'
        '<text x="{3}" y="18" font-size="10" text-anchor="end">{4}</text>'
        '<text x="{3}" y="{1}" font-size="10" text-anchor="end">{5}</text>'
    ).format(LEFT, baseline, WIDTH - RIGHT, LEFT - 4, top, bottom)
