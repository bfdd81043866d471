"""Convert the vendored world-atlas TopoJSON to the dashboard's SVG paths.

Run once when the geometry changes (the output is kept in the repository):

    python tools/world_map.py > registry/staff/world_paths.json

Input: tools/world-atlas/countries-110m.json, from the npm package
world-atlas 2.0.2 (`npm pack world-atlas@2`, ISC licence, see
tools/world-atlas/LICENSE; Natural Earth data, public domain). TopoJSON keeps
shared borders once, as arcs of quantized, delta-encoded points; a polygon
ring lists arc indexes, ~i meaning arc i reversed. The rings are projected
with the Natural Earth I projection and written as SVG path data in a
WIDTH x HEIGHT box. Antarctica is left out (nobody lives there).
"""

import json
import math
import sys
from pathlib import Path

SOURCE = Path(__file__).with_name("world-atlas") / "countries-110m.json"
WIDTH = 960
LEFT_OUT = {"010"}  # Antarctica


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their end point.
        points.extend(arc[1:] if points else arc)
    return unwrapped(points)


def unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring without jumps across the antimeridian, on the side of most of it.

    A ring such as Russia's or Fiji's crosses longitude 180; its points are
    shifted by 360 degrees where they jump, so the shape is drawn whole
    (partly beyond the map's edge, which the SVG box clips) rather than as a
    band across the world.
    """
    result: list[tuple[float, float]] = []
    shift = 0.0
    for lon, lat in points:
        if result:
            previous = result[-1][0] - shift
            if lon - previous > 180:
                shift -= 360
            elif previous - lon > 180:
                shift += 360
        result.append((lon + shift, lat))
    mean = sum(lon for lon, _ in result) / len(result)
    if mean > 180:
        result = [(lon - 360, lat) for lon, lat in result]
    elif mean < -180:
        result = [(lon + 360, lat) for lon, lat in result]
    return result


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def main() -> None:
    topology = json.loads(SOURCE.read_text())
    arcs = decode_arcs(topology)
    # The projected extent of the whole world (without Antarctica's latitudes).
    corners = [natural_earth(lon, lat) for lon in (-180, 0, 180) for lat in (-60, 0, 84)]
    min_x = min(x for x, _ in corners)
    max_x = max(x for x, _ in corners)
    max_y = max(y for _, y in corners)
    min_y = min(y for _, y in corners)
    scale = WIDTH / (max_x - min_x)
    height = round((max_y - min_y) * scale)

    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = natural_earth(lon, lat)
        return round((x - min_x) * scale, 1), round((max_y - y) * scale, 1)

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso = geometry.get("id", "")
        if iso in LEFT_OUT:
            continue
        parts = []
        for polygon in polygons(geometry):
            for ring in polygon:
                points = []
                for point in (project(*p) for p in ring_points(ring, arcs)):
                    if not points or points[-1] != point:
                        points.append(point)
                if len(points) < 3:
                    continue
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        if parts:
            countries.append(
                {"numeric": iso, "name": geometry["properties"]["name"], "d": "".join(parts)}
            )
    json.dump(
        {
            "width": WIDTH,
            "height": height,
            "source": "world-atlas 2.0.2 countries-110m (ISC)",
            "countries": countries,
        },
        sys.stdout,
        separators=(",", ":"),
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
