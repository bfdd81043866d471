"""Server-rendered SVG for the dashboard: the world map, colour classes, month bars.

No script and no inline style: shapes carry CSS classes (static/css/dashboard.css
colours them) and geometry attributes only, so the strict CSP holds. The map's
country outlines come from registry/staff/world_paths.json, made once by
tools/world_map.py from the vendored world-atlas TopoJSON (ISC licence).
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.formats import date_format
from django_countries import countries

# Colour classes 1..CLASSES (0 is "no members", a neutral grey): a sequential,
# colour-blind-safe palette (ColorBrewer YlGnBu), defined in dashboard.css.
CLASSES = 6
WORLD_PATHS = Path(__file__).with_name("world_paths.json")


@dataclass(frozen=True)
class ColourClass:
    level: int
    low: int
    high: int


def colour_classes(values) -> list[ColourClass]:
    """Up to CLASSES classes of the positive values, by quantile (no empty class)."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    highs: list[int] = []
    for i in range(1, CLASSES + 1):
        high = positive[min(len(positive) - 1, (len(positive) * i + CLASSES - 1) // CLASSES - 1)]
        if not highs or high > highs[-1]:
            highs.append(high)
    highs[-1] = positive[-1]
    # Spread the levels over the palette when there are fewer classes than colours.
    step = CLASSES / len(highs)
    classes, low = [], positive[0]
    for i, high in enumerate(highs):
        classes.append(ColourClass(level=round((i + 1) * step), low=low, high=high))
        low = high + 1
    return classes


def colour_level(value: int, classes: list[ColourClass]) -> int:
    for c in classes:
        if value <= c.high:
            return c.level if value > 0 else 0
    return 0


@cache
def world_geometry() -> dict:
    """The map's size and each country's outline, with its ISO alpha-2 code ("" if none)."""
    data = json.loads(WORLD_PATHS.read_text())
    for country in data["countries"]:
        numeric = country["numeric"]
        country["code"] = (countries.alpha2(int(numeric)) or "") if numeric else ""
    return data


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    d: str
    count: int
    level: int
    url: str


def world_map(by_country: dict[str, int], classes: list[ColourClass], url_for) -> dict:
    """The map's countries coloured by members; `url_for(code)` links each one."""
    geometry = world_geometry()
    shapes = []
    for country in geometry["countries"]:
        code = country["code"]
        count = by_country.get(code, 0)
        shapes.append(
            MapCountry(
                code=code,
                name=str(countries.name(code)) if code else country["name"],
                d=country["d"],
                count=count,
                level=colour_level(count, classes),
                url=url_for(code) if code and count else "",
            )
        )
    return {"width": geometry["width"], "height": geometry["height"], "countries": shapes}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    tick: str


# The month chart's drawing box and margins, in SVG user units.
CHART_WIDTH, CHART_HEIGHT = 720, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 28, 12


def month_bars(by_month: dict[date, int]) -> dict:
    """Bars of members per month, oldest first, with axis ticks every third month."""
    months = sorted(by_month)
    top = max(by_month.values(), default=0) or 1
    plot_width = CHART_WIDTH - MARGIN_LEFT
    plot_height = CHART_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_width / max(len(months), 1)
    bars = []
    for i, month in enumerate(months):
        count = by_month[month]
        height = plot_height * count / top
        bars.append(
            Bar(
                x=round(MARGIN_LEFT + i * slot + slot * 0.15, 1),
                y=round(MARGIN_TOP + plot_height - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                count=count,
                label=date_format(month, "YEAR_MONTH_FORMAT"),
                tick=date_format(month, "M Y") if i % 3 == 0 else "",
            )
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "top": top,
        "axis_x": MARGIN_LEFT,
        "axis_y": CHART_HEIGHT - MARGIN_BOTTOM,
        "top_y": MARGIN_TOP,
        "tick_y": CHART_HEIGHT - MARGIN_BOTTOM + 16,
        "label_x": MARGIN_LEFT - 6,
        "mid_y": MARGIN_TOP + (CHART_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP) / 2,
        "middle": top // 2 if top > 1 else "",
        "slot_half": round(slot / 2, 1),
    }
