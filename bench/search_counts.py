"""How the staff search counts its matches: the options measured (issue 19).

    DATABASE_URL=postgres://... python -m bench.search_counts [--runs 3] [--out FILE]

Runs in-process against an already seeded PostgreSQL database (seed_demo,
then VACUUM ANALYZE; the accounts of `python -m bench.tasks sessions`), and
writes bench/results/search-counts.md:

1. Each counting option on the queries that decide it (the common class and
   the slowest selective ones): the exact one-pass count with first members
   (what the search did before), the exact count alone (what an index design
   would have to make cheap), the capped count at several limits, the
   planner's estimate, and TABLESAMPLE at several sample sizes, each with
   its EXPLAIN ANALYZE execution time, wall time and, for estimates, error.
2. The whole page, as the benchmark's query mix (bench/queries.py), for the
   analyst and the Mission analyst: wall time, SQL time and queries per page,
   p50 and p95 per class.

The 1-minute load average is printed with every line: the machine is shared.
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

OPTION_QUERIES = [
    {},
    {"q": "machine learning"},
    {"q": "university"},
    {"q": "engineer -student"},
    {"q": "Mirza"},
    {"q": '"medical physics"'},
    {"country": "US"},
    {"sector": "academia"},
    {"cluster": "ai-data-science"},
]
CAPS = (2_000, 5_000, 10_000)
SAMPLE_ROWS = (10_000, 20_000, 50_000)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def explained_ms(sql: str, params) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Execution Time"]


def measured(call, runs: int) -> tuple[float, float, object]:
    """Median wall ms of `call` and median EXPLAIN ANALYZE ms of its slowest SELECT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.search.filters import search_time_limit

    walls, plans, result = [], [], None
    for _ in range(runs):
        with search_time_limit(), CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            walls.append((time.perf_counter() - started) * 1000)
            selects = [q for q in captured.captured_queries if "SELECT" in q["sql"][:20]]
            slowest = max(selects, key=lambda q: float(q["time"]))
            # The captured SQL has its parameters inlined already; a leading
            # set_config() runs first, then the statement is explained.
            prefix, _, statement = slowest["sql"].rpartition("; SELECT ")
            if prefix:
                with connection.cursor() as cursor:
                    cursor.execute(prefix)
                plans.append(explained_ms("SELECT " + statement, None))
            else:
                plans.append(explained_ms(slowest["sql"], None))
    return statistics.median(walls), statistics.median(plans), result


def user_filters(user, params: dict):
    from django.http import QueryDict

    from registry.selectors.missions import staff_scope
    from registry.staff.forms import StaffSearchForm, search_form_data

    form = StaffSearchForm(
        search_form_data(QueryDict(urllib.parse.urlencode(params))), scope=staff_scope(user)
    )
    if not form.is_valid():
        raise SystemExit(f"{params}: {form.errors.as_json()}")
    return form.filters()


def planner_rows(queryset) -> int:
    from django.db import connection

    sql, params = queryset.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def options(user, runs: int) -> list[str]:
    from django.conf import settings

    from registry.db import table_row_estimate
    from registry.models import Member
    from registry.search import postgres
    from registry.search.filters import members_search
    from registry.search.grouping import subfield_counts

    table_rows = float(table_row_estimate(model=Member) or 0)
    lines = [
        "| query | option | wall ms | EXPLAIN ANALYZE ms | result | load |",
        "|---|---|---|---|---|---|",
    ]
    for params in OPTION_QUERIES:
        name = ", ".join(f"{k}={v}" for k, v in params.items()) or "(empty search)"
        queryset = members_search(user=user, filters=user_filters(user, params), fuzzy_names=False)

        def row(option: str, wall: float, plan: float, result: str, name=name) -> None:
            lines.append(f"| `{name}` | {option} | {wall:.1f} | {plan:.1f} | {result} | {load()} |")
            print(lines[-1], flush=True)

        wall, plan, exact = measured(lambda q=queryset: subfield_counts(q), runs)
        truth = sum(exact.values())
        row("exact count per subfield (no first members)", wall, plan, f"{truth:,} matches")
        wall, plan, _ = measured(
            lambda q=queryset: postgres._capped_heads(q, per_subfield=5, limit=10**9), runs
        )
        row("exact one pass, counts + first members (before)", wall, plan, f"{truth:,}")
        started = time.perf_counter()
        estimate = planner_rows(queryset)
        error = (estimate - truth) / truth * 100 if truth else 0.0
        row(
            "planner estimate (EXPLAIN, total only)",
            (time.perf_counter() - started) * 1000,
            0.0,
            f"{estimate:,} ({error:+.0f}%)",
        )
        for cap in CAPS:
            wall, plan, _ = measured(
                lambda q=queryset, c=cap: postgres._capped_heads(q, per_subfield=5, limit=c), runs
            )
            row(f"capped at {cap:,} + first members", wall, plan, f"min({truth:,}, {cap + 1:,})")
        for rows in SAMPLE_ROWS:
            settings.SEARCH_SAMPLE_ROWS = rows
            wall, plan, (share, sampled) = measured(
                lambda q=queryset: postgres._sampled_heads(
                    q, per_subfield=5, table_rows=table_rows
                ),
                runs,
            )
            total = sum(hits for hits, _ in sampled.values()) / share if share else 0
            worst = max(
                (abs(sampled.get(s, (0, []))[0] / share - n) / n for s, n in exact.items()),
                default=0.0,
            )
            missing = sum(1 for s in exact if s not in sampled)
            row(
                f"TABLESAMPLE of {rows:,} rows",
                wall,
                plan,
                f"{total:,.0f} ({(total - truth) / truth * 100 if truth else 0:+.1f}%); "
                f"worst subfield {worst * 100:.0f}% off; {missing} of {len(exact)} missed",
            )
        settings.SEARCH_SAMPLE_ROWS = 20_000
    return lines


def pages(username: str, mix, runs: int) -> list[str]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.queries import COMMON_CLASSES, SELECTIVE_CLASSES
    from bench.tasks import _login_backend

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username=username), backend=_login_backend())
    samples: dict[str, list[tuple[float, float, int]]] = {}
    lines = [
        "| class | parameters | median ms | median SQL ms | queries | shown | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for cls, params in mix:
        path = "/staff/search/?" + urllib.parse.urlencode(params)
        client.get(path)  # warm-up
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                wall = (time.perf_counter() - started) * 1000
            sql = sum(float(q["time"]) * 1000 for q in captured.captured_queries)
            timings.append((wall, sql, len(captured.captured_queries)))
        samples.setdefault(cls, []).extend(timings)
        results = response.context["results"]
        shown = "timed out" if response.context["timed_out"] else "no results"
        if results is not None and results.total:
            # getattr: the script also measures the code before issue 19 (--label).
            about = "about " if getattr(results, "approximate", False) else ""
            shown = f"{about}{results.total:,}"
        name = ", ".join(f"{k}={v}" for k, v in params.items()) or "(empty search)"
        lines.append(
            f"| {cls} | `{name}` | {statistics.median(t[0] for t in timings):.1f} | "
            f"{statistics.median(t[1] for t in timings):.1f} | "
            f"{'-'.join(str(n) for n in sorted({t[2] for t in timings}))} | {shown} | {load()} |"
        )
        print(lines[-1], flush=True)
    summary = ["| class | p50 ms | p95 ms | max ms |", "|---|---|---|---|"]
    groups = {"all selective": SELECTIVE_CLASSES, "all common": COMMON_CLASSES}
    for cls, members in {**{c: (c,) for c in samples}, **groups}.items():
        walls = [t[0] for c in members for t in samples.get(c, [])]
        summary.append(
            f"| {cls} | {percentile(walls, 0.5):.1f} | {percentile(walls, 0.95):.1f} | "
            f"{max(walls):.1f} |"
        )
    return summary + [""] + lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default="bench/results/search-counts.md")
    parser.add_argument("--skip-options", action="store_true")
    parser.add_argument(
        "--label", default="", help="names the code measured, e.g. 'before' run from an export"
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # The pages' template context (the results shown), as in tests.
    setup_test_environment()
    from django.conf import settings
    from django.contrib.auth.models import User

    from bench.queries import SEARCH_MIX, mission_search_mix
    from bench.tasks import ANALYST_USERNAME, MISSION_ANALYST_USERNAME
    from registry.demo.seed import DEMO_MISSIONS
    from registry.models import Member

    out = [
        "# Staff search counts (issue 19)",
        "",
        f"Generated by `python -m bench.search_counts --runs {args.runs}` {args.label}; "
        f"{Member.objects.count():,} members; exact-count limit "
        f"{getattr(settings, 'SEARCH_EXACT_COUNT_LIMIT', 'none')}, "
        f"sample {getattr(settings, 'SEARCH_SAMPLE_ROWS', 'none')} rows; "
        f"1-minute load average at start {load()} (2 shared cores). Medians of {args.runs} "
        "runs after a warm-up; SQL inside the search transaction (work_mem 32MB, no JIT).",
        "",
    ]
    started = time.perf_counter()
    analyst = User.objects.get(username=ANALYST_USERNAME)
    if not args.skip_options:
        out += ["## Counting options, SQL only (analyst, headquarters)", ""]
        out += options(analyst, args.runs) + [""]
    out += ["## Whole page, analyst (headquarters)", ""]
    out += pages(ANALYST_USERNAME, SEARCH_MIX, args.runs) + [""]
    countries = list(DEMO_MISSIONS[0][2])
    out += [f"## Whole page, Mission analyst ({', '.join(countries)})", ""]
    out += pages(MISSION_ANALYST_USERNAME, mission_search_mix(countries), args.runs) + [""]
    out.append(f"Whole run {time.perf_counter() - started:.0f} s; load average at end {load()}.")
    Path(args.out).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
