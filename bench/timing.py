"""Does the answer's timing tell a known address from a new one?

The survey and the "update my profile" page must answer in the same time
whether or not the address is registered (issue 13): the work that differs
(storing a registration, sending e-mails) runs as a task after the response.
This posts the same valid body with a registered, confirmed address and with
a new one, alternating (known, new, new, known, ...) so that drift in the
machine's load falls on both alike, over fresh connections as separate
visitors would, and compares the medians. Target: within 10% of each other.

Every known address is used once (as is every new one), so the per-address
rate limit, which drops the e-mail beyond three an hour whatever the
address, treats both alike.
"""

import http.client
import statistics
import time
import urllib.parse

REQUESTS = 30
WARMUP = 5
TARGET = 0.10


def _post_ms(base: str, path: str, body: str, cookie: str) -> float:
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    if response.status != 302:
        raise RuntimeError(f"timing: POST {path} answered {response.status}, not 302")
    return elapsed


def _compare(post, known: list[str], new: list[str]) -> dict:
    for i in range(WARMUP):
        post(known[-1 - i])
        post(f"warmup-{time.time_ns()}-{i}@example.org")
    samples: dict[str, list[float]] = {"known": [], "new": []}
    for i in range(len(new)):
        pair = [("known", known[i]), ("new", new[i])]
        for label, email in pair if i % 2 == 0 else reversed(pair):
            samples[label].append(post(email))
    known_ms, new_ms = (statistics.median(samples[label]) for label in ("known", "new"))
    difference = abs(new_ms - known_ms) / min(known_ms, new_ms)
    return {
        "requests": len(new),
        "known_median_ms": round(known_ms, 2),
        "new_median_ms": round(new_ms, 2),
        "difference": round(difference, 4),
        "within_target": difference <= TARGET,
        "known_ms": [round(x, 2) for x in samples["known"]],
        "new_ms": [round(x, 2) for x in samples["new"]],
    }


def measure(base: str, *, survey_template: str, token: str, cookie: str, psql) -> dict:
    """Medians of the survey POST and the link request, known against new addresses.

    `survey_template` is bench.survey's body with __EMAIL__ in place of the
    address; `token` and `cookie` are a CSRF pair for both forms.
    """
    needed = REQUESTS + WARMUP
    known = psql(
        "SELECT email FROM registry_member WHERE status = 'verified' AND email <> '' "
        f"ORDER BY id LIMIT {2 * needed}"
    ).split()
    if len(known) < 2 * needed:
        raise RuntimeError(f"timing: needs {2 * needed} verified members, found {len(known)}")
    stamp = time.time_ns()

    def new(kind: str) -> list[str]:
        return [f"bench-timing-{kind}-{stamp}-{i}@example.org" for i in range(REQUESTS)]

    def survey(email: str) -> float:
        body = survey_template.replace("__EMAIL__", urllib.parse.quote(email))
        return _post_ms(base, "/register/", body, cookie)

    def link_request(email: str) -> float:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "email": email, "homepage": ""}
        )
        return _post_ms(base, "/profile/", body, cookie)

    return {
        "survey POST": _compare(survey, known[:needed], new("survey")),
        "link request POST": _compare(link_request, known[needed:], new("link")),
    }
