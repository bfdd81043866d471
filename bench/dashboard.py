"""The dashboard benchmark: /staff/dashboard/ unfiltered and with two filters.

Targets at 10^6 members (issue 15): p95 <= 300 ms unfiltered, <= 1 s with two
filters, the same number of SQL queries on every page. Timed over HTTP
against the benchmark's web server, like the search (bench.run.bench_search);
the first round warms up and is not counted.
"""

import statistics
import urllib.parse

TARGETS_MS = {
    "unfiltered": 300,
    "two filters": 1000,
    "mission unfiltered": 300,
    "mission two filters": 1000,
}

MIX: list[tuple[str, str, dict[str, str]]] = [
    ("unfiltered", "analyst", {}),
    ("two filters", "analyst", {"field": "1", "country": "US"}),
    ("two filters", "analyst", {"sector": "academia", "stage": "r4"}),
    ("two filters", "analyst", {"cluster": "ai-data-science", "qualification": "phd"}),
    ("two filters", "analyst", {"sdg": "3", "engagement": "lectures"}),
    ("mission unfiltered", "mission_analyst", {}),
    ("mission two filters", "mission_analyst", {"field": "1", "country": "DE"}),
    ("mission two filters", "mission_analyst", {"sector": "academia", "stage": "r4"}),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_dashboard(
    *, base: str, sessions: dict, rounds: int, timed_get, log, round_indexes=None, explain=None
) -> dict:
    """Time every page of the mix `rounds` times after one warm-up round.

    `round_indexes(rounds)` yields the round numbers (0 is the warm-up; the
    harness's version stops early once its time budget is spent);
    `explain(role, url)`, when given, explains the slowest page of a class
    that misses its target.
    """
    urls = [
        (cls, role, params, "/staff/dashboard/?" + urllib.parse.urlencode(params))
        for cls, role, params in MIX
    ]
    # Keyed by role and URL: the same URL is measured as two roles.
    samples: dict[tuple[str, str], list[dict]] = {(role, url): [] for _c, role, _p, url in urls}
    log(f"dashboard: {len(urls)} pages x {rounds + 1} rounds (first is the warm-up)")
    indexes = round_indexes(rounds) if round_indexes else range(rounds + 1)
    for round_index in indexes:
        for _cls, role, _params, url in urls:
            sample = timed_get(base, url, cookie=f"sessionid={sessions[role]}")
            body = sample.pop("body")
            if sample["status"] != 200 or b"world-map" not in body:
                raise RuntimeError(f"{url}: HTTP {sample['status']} without the map")
            if round_index:
                samples[role, url].append(sample)
    per_page = [
        {
            "class": cls,
            "role": role,
            "params": params,
            "url": url,
            "median_ms": statistics.median(s["ms"] for s in samples[role, url]),
            "median_sql_ms": statistics.median(s["sql_ms"] for s in samples[role, url]),
            "max_ms": max(s["ms"] for s in samples[role, url]),
            "queries": sorted({s["queries"] for s in samples[role, url]}),
            "bytes": samples[role, url][-1]["bytes"],
        }
        for cls, role, params, url in urls
    ]
    classes = {}
    for cls, target in TARGETS_MS.items():
        chosen = [samples[role, url] for c, role, _p, url in urls if c == cls]
        ms = [s["ms"] for page in chosen for s in page]
        counts = {s["queries"] for page in chosen for s in page}
        classes[cls] = {
            "samples": len(ms),
            "p50_ms": percentile(ms, 0.5),
            "p95_ms": percentile(ms, 0.95),
            "max_ms": max(ms),
            "target_ms": target,
            "queries": sorted(counts),
        }
        if explain and classes[cls]["p95_ms"] > target:
            slowest = max(
                (page for page in per_page if page["class"] == cls),
                key=lambda page: page["median_ms"],
            )
            classes[cls]["explain"] = explain(slowest["role"], slowest["url"])
    return {"classes": classes, "per_page": per_page}


def evaluate(add, size, dashboard: dict) -> None:
    """Add the dashboard's targets to the report's table of targets."""
    for cls, row in dashboard["classes"].items():
        add(
            f"dashboard {cls} p95 <= {row['target_ms']} ms at 10^6",
            size,
            f"{row['p95_ms']:.0f} ms",
            f"<= {row['target_ms']} ms",
            row["p95_ms"] <= row["target_ms"],
        )
    counts = {q for row in dashboard["classes"].values() for q in row["queries"]}
    add(
        "dashboard SQL queries per page constant",
        size,
        ", ".join(map(str, sorted(counts))),
        "one count",
        len(counts) == 1,
    )


def section(size: str, dashboard: dict, rps: float | None = None) -> list[str]:
    lines = [
        f"### Dashboard at {int(size):,} members",
        "",
        "| class | samples | p50 ms | p95 ms | p95 x trivial | max ms | target (10^6) "
        "| SQL queries per page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for cls, row in dashboard["classes"].items():
        met = "met" if row["p95_ms"] <= row["target_ms"] else "**missed**"
        trivial = f"{row['p95_ms'] * rps / 1000:,.0f}" if rps else "n/a"
        lines.append(
            f"| {cls} | {row['samples']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
            f"| {trivial} | {row['max_ms']:.1f} | p95 <= {row['target_ms']} ms: {met} "
            f"| {', '.join(map(str, row['queries']))} |"
        )
    lines += ["", "| class | role | parameters | median ms | median SQL ms | page bytes |"]
    lines += ["|---|---|---|---|---|---|"]
    for page in dashboard["per_page"]:
        params = ", ".join(f"{k}={v}" for k, v in page["params"].items()) or "(no filter)"
        lines.append(
            f"| {page['class']} | {page['role']} | `{params}` | {page['median_ms']:.1f} "
            f"| {page['median_sql_ms']:.1f} | {page['bytes']:,} |"
        )
    return [*lines, ""]
