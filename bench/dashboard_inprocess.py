"""The staff dashboard timed in-process: wall and CPU time, SQL, EXPLAIN ANALYZE.

python -m bench.dashboard_inprocess [--rounds N] [--on-demand] [--explain] [--json FILE]

Renders bench.dashboard.MIX with Django's test client (no web server, so
the process CPU time is the page's own) against DATABASE_URL, after one
warm-up round. --on-demand counts every page as SQLite does (no summary),
for the comparison on the same data. --explain adds EXPLAIN ANALYZE of each
page's slowest SQL. Needs the staff accounts of `python -m bench.tasks sessions`
(made here if missing).
"""

import argparse
import json
import os
import statistics
import time
import urllib.parse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import tasks
    from bench.dashboard import MIX, percentile

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--on-demand", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.on_demand:
        from registry.selectors.dashboard import ondemand, postgres

        postgres.dashboard_counts = ondemand.counts_on_demand
    if not User.objects.filter(username=tasks.MISSION_ANALYST_USERNAME).exists():
        tasks.sessions()
    clients = {}
    for role, username in tasks.USERNAMES.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username), backend=tasks._login_backend())
        clients[role] = client
    pages = [
        (cls, role, params, "/staff/dashboard/?" + urllib.parse.urlencode(params))
        for cls, role, params in MIX
    ]
    samples = {(role, url): [] for _c, role, _p, url in pages}
    slowest = {}
    for round_index in range(args.rounds + 1):
        for _cls, role, _params, url in pages:
            with CaptureQueriesContext(connection) as queries:
                cpu, wall = time.process_time(), time.perf_counter()
                response = clients[role].get(url)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            assert response.status_code == 200 and b"world-map" in response.content, url
            if round_index:
                sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
                samples[role, url].append(
                    {
                        "ms": wall * 1000,
                        "cpu_ms": cpu * 1000,
                        "sql_ms": sql_ms,
                        "queries": len(queries),
                    }
                )
                slow = max(queries.captured_queries, key=lambda q: float(q["time"]))
                slowest[role, url] = slow["sql"]
    result = {"load": os.getloadavg(), "on_demand": args.on_demand, "pages": []}
    for cls, role, params, url in pages:
        page = samples[role, url]
        ms = [s["ms"] for s in page]
        row = {
            "class": cls,
            "role": role,
            "params": params,
            "p50_ms": statistics.median(ms),
            "p95_ms": percentile(ms, 0.95),
            "cpu_ms": statistics.median(s["cpu_ms"] for s in page),
            "sql_ms": statistics.median(s["sql_ms"] for s in page),
            "queries": sorted({s["queries"] for s in page}),
        }
        if args.explain:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[role, url])
                row["explain"] = "\n".join(line for (line,) in cursor.fetchall())
        result["pages"].append(row)
        print(
            f"{cls:18} {role:15} {urllib.parse.urlencode(params) or '-':38} "
            f"p50 {row['p50_ms']:8.1f} p95 {row['p95_ms']:8.1f} cpu {row['cpu_ms']:7.1f} "
            f"sql {row['sql_ms']:8.1f} queries {row['queries']}"
        )
    for cls in dict.fromkeys(c for c, *_ in MIX):
        ms = [s["ms"] for c, role, _p, url in pages if c == cls for s in samples[role, url]]
        print(f"class {cls}: p95 {percentile(ms, 0.95):.1f} ms over {len(ms)} samples")
    print("load average", result["load"])
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=1)


if __name__ == "__main__":
    main()
