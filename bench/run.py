"""The benchmark harness behind `make bench` and `make bench-quick`.

    python -m bench.run --sizes 100000 1000000 [--database-url URL] [options]

For each size: recreate the bench database, migrate, seed_demo (timed), VACUUM
ANALYZE, then measure the export, the staff search, the admin changelist (the
search and the changelist also as an analyst of a Mission abroad), the staff
home and the public directory, the dashboard, the registration timing (a
known address against a new one), the outreach ranking, enqueueing and
sending, and the survey throughput against gunicorn servers on 127.0.0.1,
and write the results (JSON) and the report (Markdown). Before each section
the trivial view's throughput is measured (wrk, a few seconds), so that every
absolute time can be read against the machine's speed at that moment. Every
loop is bounded in count and time; every server this harness starts is
stopped when it ends.

Needs: PostgreSQL reachable at --database-url (the database is dropped and
recreated), psql, curl and wrk on PATH (make bench installs wrk and curl from
Debian's packages when they are absent).
"""

import argparse
import contextlib
import csv
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from bench import dashboard, outreach_report, queries, report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
TMP = BENCH / "results" / "tmp"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dorin_bench"
HOST = "127.0.0.1"
# One warm-up run, then this many timed runs, for the floor and the portal
# (make bench's 30-minute budget, bench/notes.md).
EXPORT_TIMED_RUNS = 2
# Hard limits: no single download, subprocess or load run may take longer.
EXPORT_TIMEOUT_S = 1500
REQUEST_TIMEOUT_S = 60
SURVEY_MAX_REQUESTS_PER_THREAD = 100_000
# p95 targets at 10^6 members: the staff home's is issue 15's; no issue sets
# one for the public directory, so it gets the staff pages' usual 300 ms.
STAFF_HOME_P95_MS = 150
DIRECTORY_P95_MS = 300
# Seconds of wrk against the trivial view before each section: the machine's
# speed at that moment, reported beside the section's absolute times.
TRIVIAL_SECONDS = 2


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def bounded_rounds(rounds: int, budget_s: float, what: str, min_timed: int = 2):
    """Round indexes 0 (the warm-up) to `rounds` (timed), stopping early once
    `budget_s` seconds have passed and at least `min_timed` timed rounds ran:
    on a slow or busy machine a section takes fewer samples, not longer."""
    started = time.monotonic()
    for index in range(rounds + 1):
        if index > min_timed and time.monotonic() - started > budget_s:
            log(f"{what}: time budget of {budget_s:.0f} s spent after {index - 1} timed rounds")
            return
        yield index


# The number of matches a staff search page shows ("<strong>1,234</strong>
# members match", possibly "about ..."), read for the report's classification
# check; None when the page has no such line (no match, or the wording changed).
MATCHES = re.compile(rb"<strong>([^<]{1,40})</strong>\s*members?\b")


def page_matches(body: bytes) -> str | None:
    found = MATCHES.search(body)
    return found.group(1).decode(errors="replace").strip() if found else None


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM, RssAnon... of a process, in kB (empty if it is gone)."""
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[key] = int(rest.split()[0])
    return values


def reset_peak_rss(pid: int) -> bool:
    """Reset the kernel's peak-RSS counter (VmHWM) of a process we own."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class RssSampler:
    """Samples a process's memory every 10 ms in a thread; keeps the maxima."""

    def __init__(self, pid_getter):
        self.pid_getter = pid_getter
        self.max_rss_kb = 0
        self.max_anon_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        pid = None
        while not self._stop.is_set():
            pid = pid or self.pid_getter()
            if pid:
                status = proc_status(pid)
                self.max_rss_kb = max(self.max_rss_kb, status.get("VmRSS", 0))
                self.max_anon_kb = max(self.max_anon_kb, status.get("RssAnon", 0))
            self._stop.wait(0.01 if pid else 0.002)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn master with the bench settings, on 127.0.0.1."""

    def __init__(self, name: str, *, workers: int, timeout: int, env: dict):
        self.name = name
        self.workers = workers
        self.timeout = timeout
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.idle_rss_kb: dict[int, int] = {}

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "Server":
        command = [
            str(BIN / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
            "--error-logfile",
            str(TMP / f"gunicorn-{self.name}.log"),
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited; see {TMP}")
            if len(self.worker_pids()) == self.workers:
                with contextlib.suppress(OSError):
                    status, _, _ = http_get(self.base, "/bench/trivial/")
                    if status == 200:
                        break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn {self.name} did not come up within 60 s")
        # Every worker loads the application and answers once before it is
        # measured (connections are not kept alive, so requests spread).
        for _ in range(self.workers * 4):
            http_get(self.base, "/bench/trivial/")
        self.idle_rss_kb = {pid: proc_status(pid).get("VmRSS", 0) for pid in self.worker_pids()}
        log(f"gunicorn {self.name}: {self.workers} worker(s) on {self.base}")
        return self

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in path.read_text().split()]
        return []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def http_get(base: str, path: str, *, cookie: str | None = None) -> tuple[int, dict, bytes]:
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=REQUEST_TIMEOUT_S)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def timed_get(base: str, path: str, *, cookie: str | None = None) -> dict:
    started = time.perf_counter()
    status, headers, body = http_get(base, path, cookie=cookie)
    elapsed = time.perf_counter() - started
    return {
        "ms": elapsed * 1000,
        "status": status,
        "bytes": len(body),
        "queries": int(headers.get("x-bench-queries", -1)),
        "sql_ms": float(headers.get("x-bench-sql-ms", -1)),
        "body": body,
    }


def run_measured(command: list[str], *, stdout, env: dict, timeout: int) -> dict:
    """Run a command to completion: wall time, and its peak RSS from wait4()."""
    with (TMP / "child-stderr.txt").open("w+") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(f"{command[0]} took longer than {timeout} s")
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read()
    if process.returncode:
        raise RuntimeError(f"{' '.join(command[:3])} failed: {errors[-2000:]}")
    return {"seconds": elapsed, "maxrss_kb": usage.ru_maxrss}


def csv_rows(path: Path, *, header: bool):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        if header:
            next(reader, None)
        yield from reader


def compare_csv(reference: Path, other: Path, *, other_header: bool) -> dict:
    """Rows of `other` equal to the portal's (same order), and how many parse."""
    rows = equal = 0
    first_difference = None
    reference_rows = csv_rows(reference, header=True)
    for row in csv_rows(other, header=other_header):
        rows += 1
        expected = next(reference_rows, None)
        if row == expected:
            equal += 1
        elif first_difference is None:
            first_difference = {"row": rows, "expected": expected, "got": row}
    return {"rows": rows, "rows_equal_to_portal": equal, "first_difference": first_difference}


class Harness:
    def __init__(self, args):
        self.args = args
        self.database_url = args.database_url
        parsed = urllib.parse.urlsplit(self.database_url)
        self.database_name = parsed.path.lstrip("/")
        self.maintenance_url = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database_url,
            "PYTHONPATH": str(ROOT),
            "PGAPPNAME": "dorin-bench",
        }
        self.env.pop("REDIS_URL", None)
        self.redis_url = self._redis_url()
        if self.redis_url:
            self.env["REDIS_URL"] = self.redis_url
            self.env["CACHE_KEY_PREFIX"] = "dorin-bench"
        self.servers: list[Server] = []
        self.results: dict = {}
        self.started = time.monotonic()

    # Helpers -----------------------------------------------------------------

    def _redis_url(self) -> str | None:
        # Production keeps the cache (sessions of nothing, rate-limit counters)
        # in Redis; use it when one answers on loopback, as CI's does.
        if self.args.no_redis:
            return None
        try:
            with socket.create_connection((HOST, 6379), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return f"redis://{HOST}:6379/15"
        except OSError:
            pass
        return None

    def psql(self, sql: str, *, url: str | None = None) -> str:
        completed = subprocess.run(
            [
                "psql",
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                url or self.database_url,
            ],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(f"psql failed: {completed.stderr.strip()}")
        return completed.stdout.strip()

    def manage(self, *args: str, timeout: int = 3600) -> tuple[float, str]:
        started = time.perf_counter()
        completed = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
        return time.perf_counter() - started, completed.stdout

    def task(self, *args: str, timeout: int = 600) -> dict:
        completed = subprocess.run(
            [PYTHON, "-m", "bench.tasks", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(f"bench.tasks {args[0]} failed:\n{completed.stderr[-3000:]}")
        return json.loads(completed.stdout.strip().splitlines()[-1])

    def server(self, name: str, *, workers: int, timeout: int = 30) -> Server:
        server = Server(name, workers=workers, timeout=timeout, env=self.env)
        self.servers.append(server)
        return server.start()

    def stop_servers(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []

    def save(self) -> None:
        self.results["elapsed_s"] = round(time.monotonic() - self.started, 1)
        out = Path(self.args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.results, indent=1, ensure_ascii=False, default=str) + "\n")

    # Machine and software ----------------------------------------------------

    def describe(self) -> dict:
        cpu = "unknown"
        with contextlib.suppress(OSError):
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        mem_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])

        def version(command: list[str]) -> str:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                completed = subprocess.run(command, capture_output=True, text=True, timeout=10)
                text = (completed.stdout or completed.stderr).strip()
                match = re.search(r"(?:v=|\b)(\d+\.\d+(?:\.\d+)?)", text)
                return match.group(1) if match else "?"
            return "absent"

        import django
        import gunicorn
        import psycopg2

        pg_settings = self.psql(
            "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) "
            "FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', "
            "'max_parallel_workers_per_gather', 'effective_cache_size', 'random_page_cost')",
            url=self.maintenance_url,
        )
        return {
            "machine": {
                "nproc": os.cpu_count(),
                "memory_gib": round(mem_kb / 1024 / 1024, 1),
                "cpu_model": cpu,
                "kernel": platform.release(),
            },
            "software": {
                "python": platform.python_version(),
                "django": django.get_version(),
                "gunicorn": gunicorn.__version__,
                "psycopg2": psycopg2.__version__.split()[0],
                "postgresql": self.psql("SHOW server_version", url=self.maintenance_url),
                "postgresql_settings": pg_settings,
                "redis": version(["redis-server", "--version"]) if self.redis_url else "not used",
                "wrk": version(["wrk", "-v"]),
                "curl": version(["curl", "--version"]),
                "django_import_export": version(
                    [PYTHON, "-c", "import import_export; print(import_export.__version__)"]
                ),
            },
        }

    # Database ----------------------------------------------------------------

    def recreate_database(self) -> float:
        started = time.perf_counter()
        name = self.database_name
        if not re.fullmatch(r"[A-Za-z0-9_]+", name) or not name.startswith("dorin_bench"):
            raise SystemExit(f"refusing to drop {name!r}: the bench database must be dorin_bench*")
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', url=self.maintenance_url)
        self.psql(f'CREATE DATABASE "{name}"', url=self.maintenance_url)
        self.manage("migrate", "--noinput", "-v", "0")
        return time.perf_counter() - started

    def seed(self, size: int) -> dict:
        log(f"seed_demo --members {size}")
        elapsed, stdout = self.manage(
            "seed_demo", "--members", str(size), "--seed", str(self.args.seed)
        )
        match = re.search(r"in ([0-9.]+) s", stdout)
        started = time.perf_counter()
        self.psql("VACUUM ANALYZE")
        vacuum = time.perf_counter() - started
        sizes = self.psql(
            "SELECT pg_size_pretty(pg_total_relation_size('registry_member')) || ' / ' || "
            "pg_size_pretty(pg_database_size(current_database()))"
        )
        counts = self.psql(
            "SELECT count(*) || ' members, ' || count(*) FILTER (WHERE status IN "
            "('submitted', 'verified')) || ' confirmed' FROM registry_member"
        )
        log(f"seeded in {elapsed:.1f} s (command's own timer: {match and match.group(1)} s)")
        return {
            "members": size,
            "command_s": float(match.group(1)) if match else None,
            "process_s": elapsed,
            "vacuum_analyze_s": vacuum,
            "member_table_and_database_size": sizes,
            "counts": counts,
        }

    # Export ------------------------------------------------------------------

    def export_plan(self, size: int, expected_rows: int) -> dict[str, dict]:
        """Warm-up runs, timed runs and row cap (None: every row) per contender.

        django-import-export runs in a new process each time (nothing of its own
        to warm; the database's cache is warmed by the first round) and, above
        --iie-full-max members, over the first --iie-cap-rows exported members
        only: a full run there takes longer than the whole time budget. The
        naive view gets no warm-up either, runs over the first
        --naive-cap-rows exported members above --naive-full-max, and not at
        all above --naive-max members.
        """
        timed = self.args.export_runs
        plan = {
            "copy": {"warmups": 1, "timed": timed, "cap_rows": None},
            "portal": {"warmups": 1, "timed": timed, "cap_rows": None},
        }
        if not self.args.skip_iie:
            plan["iie"] = {
                "warmups": 0,
                "timed": self.args.iie_runs,
                "cap_rows": None
                if size <= self.args.iie_full_max
                else min(self.args.iie_cap_rows, expected_rows),
            }
        if size <= self.args.naive_max:
            plan["naive"] = {
                "warmups": 0,
                "timed": self.args.naive_runs,
                "cap_rows": None
                if size <= self.args.naive_full_max
                else min(self.args.naive_cap_rows, expected_rows),
            }
        return plan

    def bench_export(self, size: int, sessions: dict) -> dict:
        floor = self.task("floor-sql")
        expected_rows = int(self.psql(floor["count"]))
        copy_file = TMP / "floor.sql"
        # JIT compilation costs PostgreSQL seconds on this query and saves less
        # (see BENCHMARKS.md): the floor is PostgreSQL at its best, without it.
        copy_file.write_text(f"SET jit = off;\nCOPY ({floor['select']}) TO STDOUT WITH CSV\n")
        plan = self.export_plan(size, expected_rows)
        for entry in plan.values():
            if entry["cap_rows"]:
                entry["max_id"] = int(
                    self.psql(
                        f"SELECT id FROM ({floor['count'].replace('count(*)', 'm.id')} "
                        f"ORDER BY m.id OFFSET {entry['cap_rows'] - 1} LIMIT 1) AS capped"
                    )
                )
        log(f"export: {expected_rows} rows; plan {plan}")
        portal = self.server("export", workers=1, timeout=EXPORT_TIMEOUT_S)
        naive = (
            self.server("naive", workers=1, timeout=EXPORT_TIMEOUT_S) if "naive" in plan else None
        )
        cookie = f"sessionid={sessions['analyst']}"
        runs: dict[str, list[dict]] = {name: [] for name in plan}
        gate_files: dict[str, Path] = {}
        gate: dict = {}
        rounds = max(p["warmups"] + p["timed"] for p in plan.values())
        for round_index in range(rounds):
            for name, entry in plan.items():
                if round_index >= entry["warmups"] + entry["timed"]:
                    continue
                to_file = round_index == 0
                out = TMP / f"export-{name}.csv" if to_file else Path(os.devnull)
                if to_file:
                    gate_files[name] = out
                if name == "copy":
                    run = self.export_copy(copy_file, out)
                elif name == "portal":
                    run = self.export_http(
                        portal, "/staff/search/export.csv?include_no_contact=1", cookie, out
                    )
                elif name == "naive":
                    path = "/bench/naive-export.csv"
                    if entry.get("max_id"):
                        path += f"?max_id={entry['max_id']}"
                    run = self.export_http(naive, path, cookie, out)
                else:
                    run = self.export_iie(out, entry.get("max_id"))
                run["warmup"] = round_index < entry["warmups"]
                run["to_file"] = to_file
                runs[name].append(run)
                log(
                    f"export {name} run {round_index}: {run['seconds']:.2f} s, "
                    f"memory +{run['rss_growth_kb'] / 1024:.0f} MB"
                )
                self.save()
            if round_index == 0:
                gate = self.export_gate(gate_files, expected_rows, plan)
                log(f"export gate: {json.dumps(gate)[:600]}")
        portal.stop()
        if naive:
            naive.stop()
        summary = {}
        for name, name_runs in runs.items():
            timed = [r for r in name_runs if not r["warmup"]]
            cap = plan[name]["cap_rows"]
            rows = cap or expected_rows
            summary[name] = {
                "runs": len(timed),
                "warmups": plan[name]["warmups"],
                "rows": rows,
                "cap_rows": cap,
                "median_s": statistics.median(r["seconds"] for r in timed),
                "min_s": min(r["seconds"] for r in timed),
                "max_s": max(r["seconds"] for r in timed),
                "median_ttfb_s": statistics.median(r.get("ttfb_s", 0) for r in timed),
                "bytes": next((r["bytes"] for r in name_runs if r.get("bytes")), None),
                "median_rss_growth_mb": statistics.median(r["rss_growth_kb"] for r in timed) / 1024,
                "max_rss_growth_mb": max(r["rss_growth_kb"] for r in timed) / 1024,
                "median_peak_rss_mb": statistics.median(r["rss_peak_kb"] for r in timed) / 1024,
            }
            summary[name]["us_per_row"] = summary[name]["median_s"] / rows * 1e6
            if cap:
                # Linear extrapolation to every exported row: a lower bound, since
                # the Paginator's OFFSET pages cost more the further they go and
                # the dataset only grows.
                factor = expected_rows / cap
                summary[name]["extrapolated_s"] = summary[name]["median_s"] * factor
                summary[name]["extrapolated_rss_growth_mb"] = (
                    summary[name]["median_rss_growth_mb"] * factor
                )
        base = summary["copy"]["median_s"]
        for name in summary:
            full = summary[name].get("extrapolated_s", summary[name]["median_s"])
            summary[name]["x_copy"] = full / base
        return {
            "expected_rows": expected_rows,
            "plan": plan,
            "gate": gate,
            "summary": summary,
            "runs": runs,
            "floor_sql_file": "bench/floor.py (floor_select_sql)",
        }

    def export_copy(self, copy_file: Path, out: Path) -> dict:
        # The serving process here is the PostgreSQL backend: sample its private
        # memory (RssAnon; its RSS also counts the shared buffers it touches).
        app = f"dorin-bench-floor-{time.monotonic_ns()}"
        env = {**self.env, "PGAPPNAME": app}
        backend: dict = {}

        def find_backend():
            if "pid" not in backend:
                pid = subprocess.run(
                    [
                        "psql",
                        "-X",
                        "-A",
                        "-t",
                        "-d",
                        self.database_url,
                        "-c",
                        f"SELECT pid FROM pg_stat_activity WHERE application_name = '{app}'",
                    ],
                    capture_output=True,
                    text=True,
                    env=self.env,
                ).stdout.strip()
                if pid.isdigit():
                    backend["pid"] = int(pid)
            return backend.get("pid")

        with out.open("wb") as handle, RssSampler(find_backend) as sampler:
            run = run_measured(
                ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.database_url, "-f"]
                + [str(copy_file)],
                stdout=handle,
                env=env,
                timeout=EXPORT_TIMEOUT_S,
            )
        return {
            "seconds": run["seconds"],
            "bytes": out.stat().st_size if out != Path(os.devnull) else None,
            "client_maxrss_kb": run["maxrss_kb"],
            "rss_peak_kb": sampler.max_anon_kb,
            "rss_growth_kb": sampler.max_anon_kb,
            "memory_measure": "PostgreSQL backend RssAnon peak (sampled every 10 ms)",
        }

    def export_http(self, server: Server, path: str, cookie: str, out: Path) -> dict:
        worker = server.worker_pids()[0]
        idle = server.idle_rss_kb[worker]
        before = proc_status(worker).get("VmRSS", 0)
        exact = reset_peak_rss(worker)
        with RssSampler(lambda: worker) as sampler:
            completed = subprocess.run(
                [
                    "curl",
                    "-sS",
                    "--max-time",
                    str(EXPORT_TIMEOUT_S),
                    "-H",
                    f"Cookie: {cookie}",
                    "-o",
                    str(out),
                    "-w",
                    "%{http_code} %{time_starttransfer} %{time_total} %{size_download}",
                    server.base + path,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        code, ttfb, total, size = completed.stdout.split()
        if completed.returncode or code != "200":
            raise RuntimeError(
                f"{path}: curl {completed.returncode} HTTP {code} {completed.stderr}"
            )
        if worker not in server.worker_pids():
            raise RuntimeError(f"{path}: the gunicorn worker died during the download")
        status = proc_status(worker)
        peak = max(status.get("VmHWM", 0) if exact else 0, sampler.max_rss_kb)
        return {
            "seconds": float(total),
            "ttfb_s": float(ttfb),
            "bytes": int(size),
            "rss_idle_kb": idle,
            "rss_before_kb": before,
            "rss_peak_kb": peak,
            "rss_growth_kb": peak - idle,
            "memory_measure": "gunicorn worker VmHWM (reset before the run) minus its idle VmRSS",
        }

    def export_iie(self, out: Path, max_id: int | None) -> dict:
        report_file = TMP / "iie-result.json"
        command = [PYTHON, "-m", "bench.iie_export", str(out)]
        if max_id is not None:
            command.append(str(max_id))
        with report_file.open("w") as handle:
            completed = run_measured(command, stdout=handle, env=self.env, timeout=EXPORT_TIMEOUT_S)
        result = json.loads(report_file.read_text().strip().splitlines()[-1])
        result["process_s"] = completed["seconds"]
        result["rss_growth_kb"] = result["rss_peak_kb"] - result["rss_before_kb"]
        result["memory_measure"] = "process VmHWM minus VmRSS after django.setup()"
        return result

    def export_gate(self, files: dict[str, Path], expected_rows: int, plan: dict) -> dict:
        """Row counts, BOM, CSV parsing, and every contender's rows against the portal's."""
        gate: dict = {"expected_rows": expected_rows}
        reference = files["portal"]
        portal_rows = sum(1 for _ in csv_rows(reference, header=True))
        with reference.open("rb") as handle:
            gate["portal_bom"] = handle.read(3) == b"\xef\xbb\xbf"
        gate["portal"] = {"rows": portal_rows, "rows_ok": portal_rows == expected_rows}
        for name, path in files.items():
            if name == "portal":
                continue
            wanted = plan[name]["cap_rows"] or expected_rows
            compared = compare_csv(reference, path, other_header=name != "copy")
            compared["expected_rows"] = wanted
            compared["rows_ok"] = compared["rows"] == wanted
            compared["identical"] = compared["rows_equal_to_portal"] == wanted
            gate[name] = compared
        for path in files.values():
            path.unlink(missing_ok=True)
        return gate

    # Search ------------------------------------------------------------------

    def bench_search(
        self,
        web: Server,
        sessions: dict,
        *,
        members: int,
        role: str = "analyst",
        mix=queries.SEARCH_MIX,
    ) -> dict:
        """`members`: how many members `role` sees, for the classification check."""
        cookie = f"sessionid={sessions[role]}"
        mix = [
            (cls, params, "/staff/search/?" + urllib.parse.urlencode(params)) for cls, params in mix
        ]
        samples: dict[str, list[dict]] = {url: [] for _, _, url in mix}
        matches: dict[str, str | None] = {}
        rounds = self.args.search_runs
        log(f"search as {role}: {len(mix)} queries x {rounds + 1} rounds (first is the warm-up)")
        for round_index in bounded_rounds(rounds, self.args.search_budget_s, f"search {role}"):
            for _, _, url in mix:
                sample = timed_get(web.base, url, cookie=cookie)
                body = sample.pop("body")
                if sample["status"] != 200:
                    raise RuntimeError(f"{url}: HTTP {sample['status']}")
                sample["timed_out"] = b"timed out" in body.lower() or b"took too long" in body
                if round_index:
                    samples[url].append(sample)
                else:
                    matches[url] = page_matches(body)
        per_query = []
        for cls, params, url in mix:
            ms = [s["ms"] for s in samples[url]]
            per_query.append(
                {
                    "class": cls,
                    "group": queries.group_of(cls),
                    "params": params,
                    "url": url,
                    "matches": matches.get(url),
                    "median_ms": statistics.median(ms),
                    "median_sql_ms": statistics.median(s["sql_ms"] for s in samples[url]),
                    "max_ms": max(ms),
                    "queries": sorted({s["queries"] for s in samples[url]}),
                    "bytes": samples[url][-1]["bytes"],
                    "timed_out": any(s["timed_out"] for s in samples[url]),
                }
            )
        classes = {}
        for cls in [*queries.SELECTIVE_CLASSES, *queries.COMMON_CLASSES]:
            ms = [s["ms"] for c, _, url in mix if c == cls for s in samples[url]]
            if not ms:
                continue
            counts = [s["queries"] for c, _, url in mix if c == cls for s in samples[url]]
            sql = [s["sql_ms"] for c, _, url in mix if c == cls for s in samples[url]]
            classes[cls] = {
                "group": queries.group_of(cls),
                "queries_in_mix": sum(1 for c, _, _ in mix if c == cls),
                "samples": len(ms),
                "p50_ms": percentile(ms, 0.5),
                "p50_sql_ms": percentile(sql, 0.5),
                "p95_ms": percentile(ms, 0.95),
                "max_ms": max(ms),
                "sql_queries_min": min(counts),
                "sql_queries_max": max(counts),
            }
        groups = {"selective": queries.SELECTIVE_CLASSES, "common": queries.COMMON_CLASSES}
        for group, in_group in groups.items():
            ms = [s["ms"] for c, _, url in mix if c in in_group for s in samples[url]]
            classes[f"all {group}"] = {
                "queries_in_mix": sum(1 for c, _, _ in mix if c in in_group),
                "samples": len(ms),
                "p50_ms": percentile(ms, 0.5),
                "p95_ms": percentile(ms, 0.95),
                "max_ms": max(ms),
            }
        # The slowest query of each group, and of each class over its group's
        # target, rendered in-process with its SQL captured and the slowest
        # statement explained.
        explains = {}
        for cls in [*queries.SELECTIVE_CLASSES, *queries.COMMON_CLASSES]:
            group = queries.group_of(cls)
            in_class = [q for q in per_query if q["class"] == cls]
            slowest = max(in_class, key=lambda q: q["median_ms"], default=None)
            group_slowest = max(
                (q for q in per_query if q["group"] == group), key=lambda q: q["median_ms"]
            )
            over = cls in classes and classes[cls]["p95_ms"] > queries.TARGETS_MS[group]
            if slowest and (over or slowest is group_slowest):
                explains[cls] = self.task("explain", role, slowest["url"])
        return {
            "classes": classes,
            "per_query": per_query,
            "explain": explains,
            "members_visible": members,
        }

    # Admin -------------------------------------------------------------------

    def measure_pages(
        self, web: Server, sessions: dict, pages: dict, *, runs: int, what: str, explain: str
    ) -> dict:
        """p50/p95 of pages fetched in turn, one warm-up round then `runs` rounds.

        `pages`: name -> (role or None for an anonymous visitor, URL, target
        p95 in ms or None). `explain`: "always", or "miss" to explain the
        slowest statement of a page only when it misses its target.
        """
        samples: dict[str, list[dict]] = {name: [] for name in pages}
        log(f"{what}: {len(pages)} pages x {runs + 1} rounds (first is the warm-up)")
        for round_index in bounded_rounds(runs, self.args.page_budget_s, what):
            for name, (role, url, _target) in pages.items():
                cookie = f"sessionid={sessions[role]}" if role else None
                sample = timed_get(web.base, url, cookie=cookie)
                sample.pop("body")
                if sample["status"] != 200:
                    raise RuntimeError(f"{url}: HTTP {sample['status']}")
                if round_index:
                    samples[name].append(sample)
        result = {}
        for name, (role, url, target) in pages.items():
            ms = [s["ms"] for s in samples[name]]
            row = {
                "url": url,
                "role": role or "anonymous",
                "samples": len(ms),
                "p50_ms": percentile(ms, 0.5),
                "p50_sql_ms": percentile([s["sql_ms"] for s in samples[name]], 0.5),
                "p95_ms": percentile(ms, 0.95),
                "max_ms": max(ms),
                "queries": sorted({s["queries"] for s in samples[name]}),
            }
            if target is not None:
                row["target_ms"] = target
            if explain == "always" or (target is not None and row["p95_ms"] > target):
                # The explain task signs in; a public page is the same for staff.
                row["explain"] = self.task("explain", role or "admin", url)
            result[name] = row
        return result

    def bench_admin(self, web: Server, sessions: dict, role: str = "admin") -> dict:
        filters = self.args.admin_filters if role == "admin" else self.args.mission_admin_filters
        pages = {
            "unfiltered": (role, "/admin/registry/member/", 300),
            "two filters": (role, "/admin/registry/member/?" + filters, 300),
            "search": (role, "/admin/registry/member/?q=Qureshi", None),
        }
        return self.measure_pages(
            web,
            sessions,
            pages,
            runs=self.args.admin_runs,
            what=f"admin as {role}",
            explain="always",
        )

    def bench_staff_pages(self, web: Server, sessions: dict) -> dict:
        """The staff home and the public directory (issues 15 and 17)."""
        field = self.psql("SELECT id FROM registry_field ORDER BY position, code LIMIT 1")
        pages = {
            "staff home": ("analyst", "/staff/", STAFF_HOME_P95_MS),
            "staff home (Mission analyst)": ("mission_analyst", "/staff/", STAFF_HOME_P95_MS),
            "directory": (None, "/directory/", DIRECTORY_P95_MS),
            "directory, page 5": (None, "/directory/?page=5", DIRECTORY_P95_MS),
            "directory, country": (None, "/directory/?country=GB", DIRECTORY_P95_MS),
            "directory, broad field": (None, f"/directory/?field={field}", DIRECTORY_P95_MS),
            "directory, field and country": (
                None,
                f"/directory/?field={field}&country=US",
                DIRECTORY_P95_MS,
            ),
        }
        return self.measure_pages(
            web, sessions, pages, runs=self.args.page_runs, what="staff pages", explain="miss"
        )

    # Survey ------------------------------------------------------------------

    def bench_outreach(self) -> dict:
        """Ranking, enqueueing and the worker's sending rate (bench/outreach.py)."""
        log("outreach: ranking, enqueue 10,000 invitations, db_worker sending them")
        env = {
            **self.env,
            "BENCH_OUTREACH_RANKING_RUNS": str(self.args.ranking_runs),
            "BENCH_OUTREACH_WORKER_MAX_S": str(self.args.worker_max_s),
        }
        completed = subprocess.run(
            [PYTHON, "-m", "bench.outreach"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(f"bench.outreach failed:\n{completed.stderr[-3000:]}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        # A worker stopped at --worker-max-s leaves chunks queued: drop them,
        # or the next worker run (the survey's check) would send them first.
        result["dropped_tasks"] = int(
            self.psql(
                "WITH dropped AS (DELETE FROM django_tasks_database_dbtaskresult "
                "WHERE task_path LIKE 'outreach.%' AND status IN ('READY', 'RUNNING') "
                "RETURNING 1) SELECT count(*) FROM dropped"
            )
        )
        if result["ranking"]["p95_ms"] > outreach_report.RANKING_P95_MS:
            # Missed: where the ranking's time goes (profile, slowest statement).
            result["ranking_profile"] = self.task("ranking-profile")
        if (
            result["enqueue"]["seconds"] > outreach_report.ENQUEUE_S
            or result["worker"]["per_second_wall"] < outreach_report.WORKER_PER_S
        ):
            # Missed: profiles of enqueueing and sending, in-process, rolled back.
            result["send_profile"] = self.task("outreach-profile")
        return result

    def run_tasks(self) -> None:
        """Run the tasks the bench server queued, as the production worker would."""
        self.manage("db_worker", "--batch", "--no-startup-delay")

    def bench_timing(self, web: Server) -> dict:
        from bench import survey, timing

        token, cookie = survey.csrf(web.base)
        template = survey.payload_template(token, self.psql)
        result = timing.measure(
            web.base, survey_template=template, token=token, cookie=cookie, psql=self.psql
        )
        for name, row in result.items():
            log(
                f"timing {name}: known {row['known_median_ms']} ms, "
                f"new {row['new_median_ms']} ms (median of {row['requests']})"
            )
        return result

    def bench_survey(self, web: Server) -> dict:
        from bench import survey

        token, cookie = survey.csrf(web.base)
        body_file = TMP / "survey-body.txt"
        body_file.write_text(survey.payload_template(token, self.psql))
        check = survey.check_one_post(
            web.base, body_file.read_text(), cookie, self.psql, run_tasks=self.run_tasks
        )
        log(f"survey: one checked POST {check}")
        targets = {
            "trivial": ("get", web.base + "/bench/trivial/", 200),
            "survey GET": ("get", web.base + "/register/", 200),
            "survey POST": ("post", web.base + "/register/", 302),
        }
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for round_index in range(1 + self.args.survey_runs):
            seconds = 3 if round_index == 0 else self.args.survey_seconds
            for name, (mode, url, expected) in targets.items():
                run_id = f"{os.getpid()}x{round_index}"
                result = self.wrk(mode, url, expected, seconds, run_id, body_file, cookie)
                if mode == "post":
                    # The POST queues the registration (a task the worker
                    # runs later): count the queued tasks for this run.
                    result["registrations_queued"] = int(
                        self.psql(
                            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                            "WHERE args_kwargs->'kwargs'->'answers'->>'email' "
                            f"LIKE 'bench-{run_id}-%'"
                        )
                    )
                result["warmup"] = round_index == 0
                runs[name].append(result)
                log(f"survey {name} run {round_index}: {result['rps']:.0f} req/s")
                self.save()
        summary = {}
        for name, name_runs in runs.items():
            timed = [r for r in name_runs if not r["warmup"]]
            summary[name] = {
                "runs": len(timed),
                "median_rps": statistics.median(r["rps"] for r in timed),
                "median_p50_ms": statistics.median(r["p50_us"] for r in timed) / 1000,
                "median_p95_ms": statistics.median(r["p95_us"] for r in timed) / 1000,
                "errors": sum(r["errors"] for r in timed),
                "requests": sum(r["requests"] for r in timed),
            }
            if name == "survey POST":
                summary[name]["registrations_queued"] = sum(
                    r["registrations_queued"] for r in timed
                )
                summary[name]["successful_posts"] = sum(r["ok"] for r in timed)
        floor = summary["trivial"]["median_rps"]
        for name in summary:
            summary[name]["x_trivial"] = summary[name]["median_rps"] / floor
        # Where a survey request's time goes, in-process: render time and
        # queries of the GET, queries of a valid POST.
        profile = self.task("survey-profile")
        return {
            "profile": profile,
            "connections": self.args.wrk_connections,
            "threads": 2,
            "seconds_per_run": self.args.survey_seconds,
            "workers": web.workers,
            "check": check,
            "summary": summary,
            "runs": runs,
        }

    def wrk(self, mode, url, expected, seconds, run_id, body_file, cookie) -> dict:
        command = [
            "wrk",
            "-t",
            "2",
            "-c",
            str(self.args.wrk_connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH / "wrk" / "bench.lua"),
            url,
            "--",
            str(expected),
            str(SURVEY_MAX_REQUESTS_PER_THREAD),
            run_id,
            str(body_file),
            cookie,
        ]
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "BENCH_WRK_MODE": mode},
            timeout=seconds + 60,
            check=False,
        )
        line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
        if completed.returncode or line is None:
            raise RuntimeError(f"wrk failed: {completed.stdout}\n{completed.stderr}")
        result = json.loads(line.removeprefix("BENCH_JSON "))
        result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
        result["errors"] = (
            result["unexpected_status"]
            + result["connect_errors"]
            + result["read_errors"]
            + result["write_errors"]
            + result["timeouts"]
        )
        return result

    def trivial_rps(self, web: Server) -> float:
        """Requests per second of the trivial view right now (wrk, a short run)."""
        result = self.wrk(
            "get",
            web.base + "/bench/trivial/",
            200,
            TRIVIAL_SECONDS,
            f"{os.getpid()}-trivial",
            TMP / "survey-body.txt",
            "",
        )
        if result["errors"]:
            raise RuntimeError(f"trivial view: {result['errors']} errors")
        return round(result["rps"], 1)

    def before(self, entry: dict, key: str, web: Server) -> None:
        """Load average and the trivial view's throughput before a section."""
        load = entry[f"load_before_{key}"] = loadavg()
        rps = entry[f"trivial_before_{key}"] = self.trivial_rps(web)
        log(f"{key}: load average {load}, trivial view {rps} requests/s")

    # The whole run -----------------------------------------------------------

    def run(self) -> None:
        TMP.mkdir(parents=True, exist_ok=True)
        (TMP / "survey-body.txt").touch()
        for tool in ("psql", "curl", "wrk"):
            if not shutil.which(tool):
                raise SystemExit(f"{tool} is not on PATH (make bench installs it)")
        self.results = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
            "database_url": self.database_url,
            "cache": self.redis_url or "local memory (no Redis on 127.0.0.1:6379)",
            "load_at_start": loadavg(),
            **self.describe(),
            "config": {k: v for k, v in vars(self.args).items() if k not in ("out", "report")},
            "sizes": {},
        }
        log(f"machine {self.results['machine']}; load {self.results['load_at_start']}")
        self.manage("collectstatic", "--noinput", "-v", "0")
        for size in self.args.sizes:
            entry: dict = {"load_before": loadavg()}
            self.results["sizes"][str(size)] = entry
            entry["migrate_s"] = self.recreate_database()
            entry["seed"] = self.seed(size)
            self.save()
            sessions = self.task("sessions")
            entry["sessions"] = sessions["analyst_permissions"]
            entry["mission"] = sessions["mission"]
            sections = self.args.sections
            try:
                # The web server runs from the start: the trivial view is
                # measured on it before every section, the export's included.
                web = self.server("web", workers=self.args.workers)
                if "export" in sections:
                    self.before(entry, "export", web)
                    entry["export"] = self.bench_export(size, sessions["sessions"])
                    self.save()
                if "search" in sections:
                    self.before(entry, "search", web)
                    entry["search"] = self.bench_search(web, sessions["sessions"], members=size)
                    self.save()
                if "admin" in sections:
                    self.before(entry, "admin", web)
                    entry["admin"] = self.bench_admin(web, sessions["sessions"])
                    self.save()
                if "mission" in sections:
                    # The same search mix and admin pages as an analyst of a
                    # Mission covering about a tenth of the members.
                    self.before(entry, "mission_search", web)
                    entry["mission_search"] = self.bench_search(
                        web,
                        sessions["sessions"],
                        members=sessions["mission"]["members"],
                        role="mission_analyst",
                        mix=queries.mission_search_mix(sessions["mission"]["countries"]),
                    )
                    self.save()
                    self.before(entry, "mission_admin", web)
                    entry["mission_admin"] = self.bench_admin(
                        web, sessions["sessions"], role="mission_analyst"
                    )
                    self.save()
                if "pages" in sections:
                    self.before(entry, "staff_pages", web)
                    entry["staff_pages"] = self.bench_staff_pages(web, sessions["sessions"])
                    self.save()
                if "dashboard" in sections:
                    self.before(entry, "dashboard", web)
                    entry["dashboard"] = dashboard.bench_dashboard(
                        base=web.base,
                        sessions=sessions["sessions"],
                        rounds=self.args.dashboard_runs,
                        timed_get=timed_get,
                        log=log,
                        round_indexes=lambda rounds: bounded_rounds(
                            rounds, self.args.page_budget_s, "dashboard"
                        ),
                        explain=lambda role, url: self.task("explain", role, url),
                    )
                    self.save()
                if "timing" in sections:
                    self.before(entry, "timing", web)
                    entry["timing"] = self.bench_timing(web)
                    self.save()
                if "outreach" in sections:
                    # Adds opportunities and 10,000 invitations, no members.
                    self.before(entry, "outreach", web)
                    entry["outreach"] = self.bench_outreach()
                    self.save()
                if "survey" in sections:
                    # Last: it adds members.
                    entry["load_before_survey"] = loadavg()
                    entry["survey"] = self.bench_survey(web)
                    self.save()
            finally:
                self.stop_servers()
        self.results["load_at_end"] = loadavg()
        self.save()
        report.write(self.results, Path(self.args.report))
        log(
            f"done in {self.results['elapsed_s'] / 60:.1f} min: {self.args.out}, {self.args.report}"
        )


def parse_args(argv=None):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sections",
        nargs="+",
        default=[
            "export",
            "search",
            "admin",
            "mission",
            "pages",
            "dashboard",
            "timing",
            "outreach",
            "survey",
        ],
        choices=[
            "export",
            "search",
            "admin",
            "mission",
            "pages",
            "dashboard",
            "timing",
            "outreach",
            "survey",
        ],
    )
    parser.add_argument("--out", default=str(BENCH / "results" / "latest.json"))
    parser.add_argument("--report", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--export-runs", type=int, default=EXPORT_TIMED_RUNS)
    parser.add_argument(
        "--iie-full-max",
        type=int,
        default=100_000,
        help="largest size at which django-import-export exports every row",
    )
    parser.add_argument(
        "--iie-cap-rows",
        type=int,
        default=50_000,
        help="above --iie-full-max, django-import-export exports this many rows only",
    )
    # One run: a full django-import-export run at 10^5 takes minutes, three
    # would not fit in the 45-minute budget of make bench on 2 cores.
    parser.add_argument("--iie-runs", type=int, default=1)
    parser.add_argument("--skip-iie", action="store_true")
    parser.add_argument(
        "--naive-max", type=int, default=100_000, help="largest size for the naive export"
    )
    parser.add_argument(
        "--naive-full-max",
        type=int,
        default=0,
        help="largest size at which the naive export reads every row",
    )
    parser.add_argument(
        "--naive-cap-rows",
        type=int,
        default=5_000,
        help="above --naive-full-max, the naive export reads this many rows only",
    )
    # One run: the naive export is there to show the order of magnitude.
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument("--search-runs", type=int, default=3)
    parser.add_argument(
        "--search-budget-s",
        type=float,
        default=150,
        help="stop the search's timed rounds (as one role) after this long, 2 rounds at least",
    )
    parser.add_argument("--dashboard-runs", type=int, default=10)
    parser.add_argument("--admin-runs", type=int, default=20)
    parser.add_argument("--page-runs", type=int, default=20, help="staff home and directory")
    parser.add_argument(
        "--page-budget-s",
        type=float,
        default=120,
        help="the same bound for the admin, staff pages and dashboard sections",
    )
    parser.add_argument("--ranking-runs", type=int, default=20)
    parser.add_argument(
        "--worker-max-s",
        type=float,
        default=60,
        help="stop the outreach worker after this long; its rate is what it sent by then",
    )
    parser.add_argument("--admin-filters", default="status__exact=verified&country=GB")
    parser.add_argument(
        "--mission-admin-filters",
        default="status__exact=verified&country=DE",
        help="the two filters of the admin list as the Mission analyst (a covered country)",
    )
    parser.add_argument("--survey-runs", type=int, default=2)
    parser.add_argument("--survey-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--no-redis", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    harness = Harness(parse_args(argv))
    try:
        harness.run()
    finally:
        harness.stop_servers()


if __name__ == "__main__":
    main()
