"""Outreach benchmarks, run by bench.run's "outreach" section on a seeded database.

python -m bench.outreach    prints one JSON document:

* ranking: p50/p95 of opportunity_matches() for a typical opportunity (3
  subfields, 5 keywords, 2 SDGs) as a headquarters analyst, with the number
  of SQL queries of each run (constant whatever the members), once the
  opportunity's stored ranking is made, as the worker makes it after the
  opportunity is saved (outreach.services.ranking; its time: rank_task_s);
* enqueue: invitations_create() for 10,000 members, commit and the one
  queued task included (what the "invite" request waits for);
* worker: a `manage.py db_worker` process sending those 10,000 e-mails with
  the locmem backend, timed from its start until the last is sent.
"""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.outreach_settings"

ROOT = Path(__file__).resolve().parent.parent
# The harness passes its --ranking-runs and --worker-max-s: on a slow machine
# the worker is stopped after that long and its rate is what it sent by then.
RANKING_RUNS = int(os.environ.get("BENCH_OUTREACH_RANKING_RUNS", "20"))
WORKER_MAX_S = float(os.environ.get("BENCH_OUTREACH_WORKER_MAX_S", "1800"))
INVITATIONS = 10_000
SUBFIELDS = ["1.3", "2.2", "1.2"]
KEYWORDS = "machine learning, climate, physics, energy, data"
SDGS = [7, 13]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _opportunity(user, title):
    from django.utils import timezone

    from outreach.models import Opportunity
    from outreach.services.opportunities import opportunity_save
    from registry.models import Sdg, Subfield

    today = timezone.localdate()
    data = {
        "title": title,
        "host_institution": "National Centre for Physics",
        "keywords": KEYWORDS,
        "mode": Opportunity.Mode.EITHER,
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=60),
        "reply_by": today + timedelta(days=20),
        "status": Opportunity.Status.OPEN,
        "subfields": list(Subfield.objects.filter(code__in=SUBFIELDS)),
        "sdgs": list(Sdg.objects.filter(number__in=SDGS)),
    }
    return opportunity_save(user=user, data=data)


def bench_ranking(user) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outreach.selectors.ranking import opportunity_matches
    from outreach.services.ranking import opportunity_ranking_store

    opportunity = _opportunity(user, "Bench ranking")
    started = time.perf_counter()
    # The task that saving queued, run here as the worker would run it: every
    # member ranked, the best kept (the queued task then finds it done).
    stored = opportunity_ranking_store(opportunity=opportunity)
    rank_task_s = time.perf_counter() - started
    timings, queries = [], []
    opportunity_matches(user=user, opportunity=opportunity)  # warm-up
    for _ in range(RANKING_RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            matches = opportunity_matches(user=user, opportunity=opportunity)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return {
        "runs": RANKING_RUNS,
        "p50_ms": round(_percentile(timings, 0.5), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "queries": sorted(set(queries)),
        "rows": len(matches),
        "top_score": matches[0].score if matches else None,
        "rank_task_s": round(rank_task_s, 2),
        "kept": len(stored.member_ids),
    }


def bench_enqueue(user) -> tuple[dict, int]:
    from django.db import transaction

    from outreach.models import Invitation
    from outreach.selectors.matching import members_eligible
    from outreach.services.invitations import invitations_create
    from outreach.services.ranking import opportunity_ranking_store

    opportunity = _opportunity(user, "Bench invitations")
    # Its ranking too, so that the worker below times the e-mails only.
    opportunity_ranking_store(opportunity=opportunity)
    ids = list(
        members_eligible(user=user, opportunity=opportunity)
        .order_by("id")
        .values_list("id", flat=True)[:INVITATIONS]
    )
    started = time.perf_counter()
    with transaction.atomic():
        count = invitations_create(
            user=user, opportunity=opportunity, member_ids=ids, base_url="http://127.0.0.1/"
        )
    elapsed = time.perf_counter() - started
    assert Invitation.objects.filter(opportunity=opportunity).count() == count
    return {"invitations": count, "seconds": round(elapsed, 3)}, opportunity.pk


def bench_worker(opportunity_id: int, expected: int) -> dict:
    from outreach.models import Invitation

    sent = Invitation.objects.filter(opportunity_id=opportunity_id, sent_at__isnull=False)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.outreach_settings"}
    started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        worker.wait(timeout=WORKER_MAX_S)
        stopped = False
    except subprocess.TimeoutExpired:
        worker.terminate()
        worker.wait(timeout=60)
        stopped = True
    elapsed = time.perf_counter() - started
    count = sent.count()
    first_last = sent.order_by("sent_at").values_list("sent_at", flat=True)
    span = (first_last.last() - first_last.first()).total_seconds() if count > 1 else None
    return {
        "sent": count,
        "expected": expected,
        "wall_s": round(elapsed, 2),
        "per_second_wall": round(count / elapsed, 1),
        "per_second_sending": round(count / span, 1) if span else None,
        "stopped_after_s": WORKER_MAX_S if stopped else None,
    }


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    user, created = User.objects.get_or_create(
        username="bench-outreach", defaults={"is_staff": True}
    )
    if created:
        user.groups.add(Group.objects.get(name="Analyst"))
    user = User.objects.get(pk=user.pk)
    result = {"ranking": bench_ranking(user)}
    result["enqueue"], opportunity_id = bench_enqueue(user)
    result["worker"] = bench_worker(opportunity_id, result["enqueue"]["invitations"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
