"""The dashboard's SVG helpers: colour classes, the world geometry, month bars."""

from datetime import date

from registry.staff.charts import (
    CLASSES,
    colour_classes,
    colour_level,
    month_bars,
    world_geometry,
    world_map,
)


def test_colour_classes_split_by_quantile_without_empty_classes():
    values = list(range(1, 61))
    classes = colour_classes([0, *values])
    assert len(classes) == CLASSES
    assert [c.level for c in classes] == [1, 2, 3, 4, 5, 6]
    assert classes[0].low == 1
    assert classes[-1].high == 60
    assert all(a.high + 1 == b.low for a, b in zip(classes, classes[1:], strict=False))
    assert colour_level(0, classes) == 0
    assert colour_level(1, classes) == 1
    assert colour_level(60, classes) == CLASSES


def test_few_values_spread_over_the_palette():
    classes = colour_classes([5, 5, 9])
    assert [(c.low, c.high) for c in classes] == [(5, 5), (6, 9)]
    assert [c.level for c in classes] == [3, 6]
    assert colour_classes([0, 0]) == []


def test_the_world_geometry_names_countries_by_iso_code():
    geometry = world_geometry()
    codes = {c["code"] for c in geometry["countries"]}
    assert {"DE", "US", "PK", "BR", "AU", "FJ"} <= codes
    assert "AQ" not in codes
    assert all(c["d"].startswith("M") for c in geometry["countries"])


def test_the_world_map_links_only_countries_with_members():
    shapes = world_map({"DE": 3}, colour_classes([3]), lambda code: f"/x?country={code}")
    by_code = {s.code: s for s in shapes["countries"]}
    assert by_code["DE"].url == "/x?country=DE"
    assert by_code["DE"].level == CLASSES
    assert by_code["DE"].name == "Germany"
    assert by_code["FR"].url == ""
    assert by_code["FR"].level == 0


def test_month_bars_scale_to_the_busiest_month():
    chart = month_bars({date(2026, 1, 1): 10, date(2026, 2, 1): 5, date(2026, 3, 1): 0})
    heights = [bar.height for bar in chart["bars"]]
    assert heights[0] == 2 * heights[1]
    assert heights[2] == 0
    assert chart["top"] == 10
    assert chart["bars"][0].tick
    assert not chart["bars"][1].tick
