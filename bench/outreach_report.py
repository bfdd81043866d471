"""BENCHMARKS.md's outreach section (bench/outreach.py's numbers against the targets)."""

RANKING_P95_MS = 500
ENQUEUE_S = 2
WORKER_PER_S = 100


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def outreach_section(size: str, outreach: dict) -> list[str]:
    ranking, enqueue, worker = outreach["ranking"], outreach["enqueue"], outreach["worker"]
    queries = ", ".join(str(q) for q in ranking["queries"])
    return [
        f"### Outreach at {int(size):,} members",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
        f"| ranking p50 / p95 ({ranking['runs']} runs) | {ranking['p50_ms']} / "
        f"{ranking['p95_ms']} ms | p95 <= {RANKING_P95_MS} ms | "
        f"{_met(ranking['p95_ms'] <= RANKING_P95_MS)} |",
        f"| ranking SQL queries per run | {queries} | constant | "
        f"{_met(len(ranking['queries']) == 1)} |",
        f"| stored ranking, every member ranked (the task after a save) | "
        f"{ranking.get('rank_task_s', '-')} s | - | |",
        f"| enqueue {enqueue['invitations']:,} invitations | {enqueue['seconds']} s | "
        f"<= {ENQUEUE_S} s | {_met(enqueue['seconds'] <= ENQUEUE_S)} |",
        f"| db_worker sending (locmem e-mail), from process start | "
        f"{worker['per_second_wall']} /s ({worker['sent']:,} in {worker['wall_s']} s) | "
        f">= {WORKER_PER_S} /s | {_met(worker['per_second_wall'] >= WORKER_PER_S)} |",
        "",
    ]
