"""CPU time and queries of a valid survey POST, in-process, with a profile.

    python -m bench.survey_post_profile [--database-url URL] [--posts N] [--members N]

Builds a test database of its own next to the given one (test_<name> on
PostgreSQL, in memory on SQLite), seeds demo members (their addresses are the
"known" ones), then sends valid, complete survey bodies (bench.survey's, a new
address each time unless the address is a known one) to the real view
through Django's test client, with the bench settings (DEBUG off, e-mails
dropped, the per-IP limit lifted).

Three things are measured, each alternating known and new addresses so that
drift in the machine's load falls on both alike:

* answer: the POST as production answers it (database task backend): the
  form validated, the rate limits counted, the registration task enqueued.
  This is what a visitor waits for, and what must not depend on whether the
  address is known.
* task: that registration task run in-process (registry.tasks.registration_submit,
  as the worker calls it): member, relations, history, clusters, pending
  submission, the confirmation e-mail rendered after the commit.
* both: the POST with the task run inside the request (the immediate backend,
  as development and the tests run it).

Times are CPU time of this process (time.process_time), not wall time: the
machine is shared, and what the portal spends is what matters here. The
database server's own CPU is not in it (PostgreSQL runs in other processes;
SQLite runs in this one). Wall time is reported beside it for reference.
Queries are counted with an execute wrapper (as bench.middleware does), so
DEBUG stays off. Then a cProfile of the same runs (timed by CPU time too), top
20 by cumulative and by own time.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
import urllib.parse
from contextlib import contextmanager

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# Tasks go to the database queue, as in production; "both" switches to the
# immediate backend per run.
os.environ["TASKS_BACKEND"] = "database"


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--posts", type=int, default=60, help="Timed POSTs per kind (known/new).")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--members", type=int, default=2000, help="Demo members seeded.")
    parser.add_argument("--profile-posts", type=int, default=30)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--json", help="Also write the numbers to this file.")
    return parser.parse_args(argv)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def _counted():
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def _payload_template() -> str:
    from django.db import connection

    from bench import survey

    def psql(sql: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return "\n".join(str(row[0]) for row in cursor.fetchall())

    return survey.payload_template("unused", psql)


class Runner:
    def __init__(self, template: str, known: list[str]):
        from django.test import Client

        self.template = template
        self.known = iter(known)
        self.client = Client(SERVER_NAME="127.0.0.1", REMOTE_ADDR="127.0.0.1")
        self.sequence = 0

    def body(self, kind: str) -> str:
        if kind == "known":
            email = next(self.known)
        else:
            self.sequence += 1
            email = f"bench-post-{time.time_ns()}-{self.sequence}@example.org"
        return self.template.replace("__EMAIL__", urllib.parse.quote(email))

    def post(self, body: str):
        response = self.client.post(
            "/register/", body, content_type="application/x-www-form-urlencoded"
        )
        if response.status_code != 302:
            raise RuntimeError(f"survey POST: HTTP {response.status_code}")
        return response

    def queued(self) -> dict:
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.order_by("-enqueued_at").first()
        return task.args_kwargs["kwargs"]

    def prepare(self, what: str, kind: str):
        """What to time for one answer, task or both, with its body ready."""
        from django.test import override_settings

        from registry.tasks import registration_submit

        body = self.body(kind)
        if what == "task":
            self.post(body)
            kwargs = self.queued()
            return lambda: registration_submit.call(**kwargs)
        if what == "both":
            immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

            def run():
                with override_settings(TASKS=immediate):
                    return self.post(body)

            return run
        return lambda: self.post(body)

    def one(self, what: str, kind: str) -> tuple[float, float, int]:
        """(CPU ms, wall ms, queries) of one answer, task or both."""
        run = self.prepare(what, kind)
        with _counted() as counter:
            cpu, wall = time.process_time(), time.perf_counter()
            run()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return cpu * 1000, wall * 1000, counter.count


def _measure(runner: Runner, what: str, posts: int, warmup: int) -> dict:
    for i in range(warmup):
        runner.one(what, "new" if i % 2 else "known")
    samples: dict[str, list[tuple[float, float, int]]] = {"known": [], "new": []}
    for i in range(posts):
        order = ("known", "new") if i % 2 == 0 else ("new", "known")
        for kind in order:
            samples[kind].append(runner.one(what, kind))
    result = {}
    for kind, rows in samples.items():
        cpu = [r[0] for r in rows]
        result[kind] = {
            "posts": len(rows),
            "cpu_ms_median": round(statistics.median(cpu), 2),
            "cpu_ms_p10": round(statistics.quantiles(cpu, n=10)[0], 2),
            "cpu_ms_p90": round(statistics.quantiles(cpu, n=10)[-1], 2),
            "wall_ms_median": round(statistics.median(r[1] for r in rows), 2),
            "queries": sorted({r[2] for r in rows}),
        }
    known, new = result["known"]["cpu_ms_median"], result["new"]["cpu_ms_median"]
    result["known_vs_new"] = round(abs(known - new) / min(known, new), 3)
    return result


def _profile(runner: Runner, what: str, posts: int, top: int) -> dict:
    # CPU time, as for the timings: wall time would charge this process for
    # what the machine's other processes run meanwhile.
    profiler = cProfile.Profile(time.process_time)
    for i in range(posts):
        run = runner.prepare(what, "new" if i % 2 else "known")
        profiler.enable()
        run()
        profiler.disable()
    return {
        "cumulative": _table(profiler, "cumulative", top, posts),
        "tottime": _table(profiler, "tottime", top, posts),
    }


def _table(profiler: cProfile.Profile, key: str, top: int, posts: int) -> str:
    """A Markdown table of the top functions, in ms of CPU per POST.

    By cumulative time, the chain of calls every request goes through (test
    client, middleware, the view, the task) is left out: functions that
    take more than half of the whole say nothing about where it goes. The
    profiler's own cost (its clock is a system call) inflates every figure:
    read them as shares, and the timings above as the cost.
    """
    stats = pstats.Stats(profiler).stats
    total = sum(tottime for _cc, _nc, tottime, _ct, _callers in stats.values())
    index = 3 if key == "cumulative" else 2
    rows = sorted(stats.items(), key=lambda item: -item[1][index])
    if key == "cumulative":
        rows = [row for row in rows if row[1][3] <= 0.5 * total]
    lines = [
        "| function | calls per POST | own ms per POST | cumulative ms per POST |",
        "|---|---|---|---|",
    ]
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in rows[:top]:
        where = f"{os.path.basename(filename)}:{line}" if line else filename
        lines.append(
            f"| `{where}({name})` | {calls / posts:.1f} | {tottime / posts * 1000:.3f} "
            f"| {cumtime / posts * 1000:.3f} |"
        )
    return "\n".join(lines)


def _known_addresses(count: int) -> list[str]:
    from registry.models import Member

    emails = list(
        Member.objects.filter(status=Member.Status.VERIFIED)
        .exclude(email="")
        .order_by("id")
        .values_list("email", flat=True)[:count]
    )
    if len(emails) < count:
        raise SystemExit(f"needs {count} verified demo members, found {len(emails)}: --members")
    return emails


def _machine() -> dict:
    from django.db import connection

    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "database": f"{connection.vendor} {connection.Database.__name__}",
    }


def _trivial(posts: int) -> dict:
    """The trivial view through the same client: the machine's yardstick."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    for _ in range(50):
        client.get("/bench/trivial/")
    cpu = []
    for _ in range(posts * 5):
        started = time.process_time()
        client.get("/bench/trivial/")
        cpu.append((time.process_time() - started) * 1000)
    return {"requests": len(cpu), "cpu_ms_median": round(statistics.median(cpu), 3)}


def main(argv=None) -> dict:
    args = _parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # A test database of its own, beside the one the test suite makes.
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite":
        settings_dict["TEST"]["NAME"] = f"test_{settings_dict['NAME']}_survey_post"
    names = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("seed_demo", members=args.members, no_missions=True, verbosity=0)
        template = _payload_template()
        per_run = args.posts + args.warmup
        known = _known_addresses(3 * per_run + args.profile_posts * 3)
        runner = Runner(template, known)
        result = {"machine": _machine(), "args": vars(args), "trivial": _trivial(args.posts)}
        for what in ("answer", "task", "both"):
            result[what] = _measure(runner, what, args.posts, args.warmup)
            row = result[what]
            print(
                f"{what:7} known {row['known']['cpu_ms_median']:6.2f} ms CPU "
                f"({row['known']['queries']} queries), new {row['new']['cpu_ms_median']:6.2f} ms "
                f"CPU ({row['new']['queries']} queries), differ by {row['known_vs_new']:.1%}",
                flush=True,
            )
        result["profile"] = {
            what: _profile(runner, what, args.profile_posts, args.top)
            for what in ("answer", "task", "both")
        }
        result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        teardown_databases(names, verbosity=0)
    for what, tables in result["profile"].items():
        for key, table in tables.items():
            print(f"\n### {what}: top {args.top} by {key} ({args.profile_posts} POSTs)\n\n{table}")
    print(
        f"\ntrivial view: {result['trivial']['cpu_ms_median']} ms CPU; "
        f"load {result['machine']['loadavg']} -> {result['machine']['loadavg_end']}"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
