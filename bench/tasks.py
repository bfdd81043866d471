"""Django-side steps of the harness, each printing one JSON document.

python -m bench.tasks sessions          staff accounts and their session cookies
python -m bench.tasks floor-sql         the COPY floor's SELECT and the count query
python -m bench.tasks explain USER URL  slowest SQL of one page, with EXPLAIN ANALYZE
python -m bench.tasks profile-export N  cProfile of the portal's row generator
python -m bench.tasks survey-profile    the survey's GET and POST in-process
python -m bench.tasks ranking-profile   cProfile and slowest SQL of an opportunity's ranking
python -m bench.tasks outreach-profile  cProfile of enqueueing and sending invitations (rolled back)

Run with DJANGO_SETTINGS_MODULE=bench.settings and the bench DATABASE_URL.
"""

import cProfile
import io
import json
import os
import pstats
import sys
import time
from itertools import islice

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

ADMIN_USERNAME = "bench-admin"
ANALYST_USERNAME = "bench-analyst"
# An analyst of the demo's Berlin Mission (DE, AT, CH: about a tenth of the
# demo members), for the Mission runs of the search and the admin list.
MISSION_ANALYST_USERNAME = "bench-mission-analyst"
USERNAMES = {
    "admin": ADMIN_USERNAME,
    "analyst": ANALYST_USERNAME,
    "mission_analyst": MISSION_ANALYST_USERNAME,
}


def _login_backend() -> str:
    # A lock-out backend (django-axes) comes first and loads no user: the
    # session must name the backend that does, Django's ModelBackend.
    from django.conf import settings
    from django.contrib.auth.backends import ModelBackend
    from django.utils.module_loading import import_string

    return next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if issubclass(import_string(path), ModelBackend)
    )


def sessions() -> dict:
    """A superuser, an analyst (staff, view and export permissions) and an analyst of
    the demo's Berlin Mission, with the share of members that Mission covers.

    Clears the cache first. The analyst joins the Analyst group when the roles
    exist, and gets the two permissions directly otherwise. Sessions are made with the test client's
    force_login, so no login form (and no lock-out library) is involved.
    """
    from django.contrib.auth.models import Group, Permission, User
    from django.core.cache import cache
    from django.test import Client

    # The database was just made again: what the cache holds belongs to the
    # one before (a run within the hour left the rate-limit counters of the
    # demo's addresses, which are the same from run to run, and the timing
    # section's link requests were refused). The bench's cache is its own
    # Redis database (or local memory).
    cache.clear()

    admin, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    analyst, _ = User.objects.get_or_create(username=ANALYST_USERNAME, defaults={"is_staff": True})
    group = Group.objects.filter(name="Analyst").first()
    if group is not None and group.permissions.filter(codename="export_member").exists():
        analyst.groups.add(group)
        via = "group Analyst"
    else:
        analyst.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="registry", codename__in=["view_member", "export_member"]
            )
        )
        via = "direct permissions view_member, export_member"
    mission_analyst = _mission_analyst(analyst)
    cookies = {}
    for role, user in (
        ("admin", admin),
        ("analyst", analyst),
        ("mission_analyst", mission_analyst),
    ):
        client = Client()
        client.force_login(user, backend=_login_backend())
        cookies[role] = client.cookies["sessionid"].value
    return {"sessions": cookies, "analyst_permissions": via, "mission": _mission_coverage()}


def _mission_analyst(analyst):
    """An account with the analyst's groups and permissions, of the Berlin Mission."""
    from django.contrib.auth.models import User

    from registry.demo.seed import DEMO_MISSIONS, demo_missions_seed
    from registry.services.missions import mission_assign_staff

    user, _ = User.objects.get_or_create(
        username=MISSION_ANALYST_USERNAME, defaults={"is_staff": True}
    )
    user.groups.set(analyst.groups.all())
    user.user_permissions.set(analyst.user_permissions.all())
    berlin = next(m for m in demo_missions_seed() if m.name == DEMO_MISSIONS[0][0])
    mission_assign_staff(mission=berlin, users=[user])
    return user


def _mission_coverage() -> dict:
    from registry.demo.seed import DEMO_MISSIONS
    from registry.models import Member

    name, _city, countries = DEMO_MISSIONS[0]
    total = Member.objects.count()
    covered = Member.objects.filter(country__in=countries).count()
    return {
        "name": name,
        "countries": countries,
        "members": covered,
        "share": covered / total if total else 0.0,
    }


def floor_sql() -> dict:
    from bench.floor import exported_count_sql, floor_columns, floor_select_sql

    return {
        "select": floor_select_sql(),
        "select_grouped": floor_select_sql(grouped=True),
        "count": exported_count_sql(),
        "columns": [column[0] for column in floor_columns()],
    }


def explain(user: str, url: str) -> dict:
    """Render one page in-process; EXPLAIN ANALYZE its slowest SELECT."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    username = USERNAMES[user]
    client.force_login(User.objects.get(username=username), backend=_login_backend())
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    elapsed = time.perf_counter() - started
    queries = [
        {"sql": q["sql"], "ms": float(q["time"]) * 1000}
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    result = {
        "url": url,
        "status": response.status_code,
        "ms": elapsed * 1000,
        "queries": len(captured.captured_queries),
        "sql_ms": sum(float(q["time"]) * 1000 for q in captured.captured_queries),
        "slowest": [],
    }
    # The report shows the slowest statement's plan; EXPLAIN ANALYZE runs it
    # again, which at 10^6 costs seconds, so only that one.
    for query in sorted(queries, key=lambda q: -q["ms"])[:1]:
        # The search's sample runs as "SELECT set_config(...); SELECT ...",
        # one string: the settings hold for the statement that follows.
        setup, statement = "", query["sql"]
        if statement.startswith("SELECT set_config("):
            setup, statement = statement.split("; ", 1)
            setup += "; "
        with connection.cursor() as cursor:
            cursor.execute(f"{setup}EXPLAIN (ANALYZE, BUFFERS) {statement}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        result["slowest"].append({**query, "plan": plan})
    return result


def profile_export(rows: int) -> dict:
    """Where the time of the portal's export goes, for its first `rows` rows."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from registry.export import export_rows
    from registry.search.filters import members_search
    from registry.staff.forms import StaffSearchForm, search_form_data

    user = User.objects.get(username=ANALYST_USERNAME)
    form = StaffSearchForm(search_form_data({}))
    assert form.is_valid(), form.errors
    queryset = members_search(user=user, filters=form.filters())
    profiler = cProfile.Profile()
    with transaction.atomic():
        started = time.perf_counter()
        profiler.enable()
        count = sum(1 for _ in islice(export_rows(queryset), rows + 1)) - 1
        profiler.disable()
        elapsed = time.perf_counter() - started
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return {"rows": count, "seconds": elapsed, "profile": out.getvalue()}


def survey_profile() -> dict:
    """The survey in-process: time and queries of GET and valid POST, GET's profile."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import survey

    def psql(sql: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return "\n".join(str(row[0]) for row in cursor.fetchall())

    client = Client(SERVER_NAME="127.0.0.1", enforce_csrf_checks=False)
    result = {}
    for path in ("/bench/trivial/", "/register/"):
        for _ in range(3):
            client.get(path)
        started = time.perf_counter()
        for _ in range(20):
            response = client.get(path)
        result[path] = {
            "ms": (time.perf_counter() - started) / 20 * 1000,
            "bytes": len(response.content),
        }
    with CaptureQueriesContext(connection) as captured:
        client.get("/register/")
    result["/register/"]["queries"] = len(captured.captured_queries)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get("/register/")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
        "template|crispy|forms|registry", 14
    )
    result["get_profile"] = out.getvalue()
    body = survey.payload_template("unused", psql)
    timings, counts = [], []
    for n in range(5):
        data = body.replace("__EMAIL__", f"bench-profile-{time.time_ns()}-{n}%40example.org")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/register/", data, content_type="application/x-www-form-urlencoded"
            )
        timings.append((time.perf_counter() - started) * 1000)
        counts.append(len(captured.captured_queries))
        if response.status_code != 302:
            raise RuntimeError(f"survey POST in-process: HTTP {response.status_code}")
    result["POST /register/"] = {"ms": sorted(timings)[2], "queries": max(counts)}
    return result


def _explain_slowest(captured, count: int = 1) -> list[dict]:
    from django.db import connection

    queries = [
        {"sql": q["sql"], "ms": float(q["time"]) * 1000}
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    slowest = []
    for query in sorted(queries, key=lambda q: -q["ms"])[:count]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        slowest.append({**query, "plan": plan})
    return slowest


def ranking_profile() -> dict:
    """The ranking of bench.outreach's opportunity: top-20 profile, slowest SQL explained."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outreach.models import Opportunity
    from outreach.selectors.ranking import opportunity_matches

    user = User.objects.get(username="bench-outreach")
    opportunity = Opportunity.objects.filter(title="Bench ranking").latest("pk")
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        profiler.enable()
        opportunity_matches(user=user, opportunity=opportunity)
        profiler.disable()
        elapsed = time.perf_counter() - started
    return {
        "ms": elapsed * 1000,
        "queries": len(captured.captured_queries),
        "sql_ms": sum(float(q["time"]) * 1000 for q in captured.captured_queries),
        "profile": _top(profiler),
        "slowest": _explain_slowest(captured),
    }


def _top(profiler, count: int = 20) -> str:
    """The `count` functions with the most cumulative time, paths shortened."""
    import sysconfig
    from pathlib import Path

    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(count)
    root = str(Path(__file__).resolve().parent.parent) + "/"
    return out.getvalue().replace(sysconfig.get_paths()["purelib"] + "/", "").replace(root, "")


ENQUEUE_PROFILED = 1000
SEND_PROFILED = 200


def outreach_profile() -> dict:
    """Where enqueueing and sending invitations spend their time, in-process.

    Invites the first ENQUEUE_PROFILED eligible members to bench.outreach's
    ranking opportunity and sends SEND_PROFILED of them, each under cProfile,
    in one transaction that is rolled back: nothing is kept and nothing is
    queued (the dispatch is queued on commit).
    """
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from outreach.models import Invitation, Opportunity
    from outreach.selectors.matching import members_eligible
    from outreach.services.invitations import invitations_create
    from outreach.services.sending import invitation_send

    user = User.objects.get(username="bench-outreach")
    opportunity = Opportunity.objects.filter(title="Bench ranking").latest("pk")
    result = {}
    with transaction.atomic():
        ids = list(
            members_eligible(user=user, opportunity=opportunity)
            .order_by("id")
            .values_list("id", flat=True)[:ENQUEUE_PROFILED]
        )
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            profiler.enable()
            count = invitations_create(
                user=user, opportunity=opportunity, member_ids=ids, base_url="http://127.0.0.1/"
            )
            profiler.disable()
        result["enqueue"] = {
            "invitations": count,
            "ms": (time.perf_counter() - started) * 1000,
            "queries": len(captured.captured_queries),
            "profile": _top(profiler),
        }
        invitations = list(
            Invitation.objects.filter(opportunity=opportunity)
            .order_by("pk")
            .values_list("pk", flat=True)[:SEND_PROFILED]
        )
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            profiler.enable()
            for invitation_id in invitations:
                invitation_send(invitation_id=invitation_id, base_url="http://127.0.0.1/")
            profiler.disable()
        result["send"] = {
            "invitations": len(invitations),
            "ms": (time.perf_counter() - started) * 1000,
            "queries": len(captured.captured_queries),
            "profile": _top(profiler),
        }
        transaction.set_rollback(True)
    return result


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    if command == "sessions":
        result = sessions()
    elif command == "floor-sql":
        result = floor_sql()
    elif command == "explain":
        result = explain(*args)
    elif command == "survey-profile":
        result = survey_profile()
    elif command == "ranking-profile":
        result = ranking_profile()
    elif command == "outreach-profile":
        result = outreach_profile()
    elif command == "profile-export":
        result = profile_export(int(args[0]))
    else:
        raise SystemExit(f"unknown task {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
