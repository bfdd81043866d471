"""The survey POST of the throughput benchmark: CSRF token, body, one checked run.

The body is a complete, valid registration (every section of the survey
filled in, three other subfields, engagement types, SDGs, a project, consent)
with __EMAIL__ where wrk puts a new address for every request.
"""

import http.client
import re
import time
import urllib.parse

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _connection(base: str) -> http.client.HTTPConnection:
    parsed = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)


def csrf(base: str) -> tuple[str, str]:
    """A CSRF form token and the Cookie header that goes with it.

    Django accepts the same cookie and token for any number of POSTs, as a
    browser that keeps the page open would send them.
    """
    connection = _connection(base)
    try:
        connection.request("GET", "/register/")
        response = connection.getresponse()
        body = response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()
    match = _TOKEN.search(body)
    csrftoken = next((c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken=")), None)
    if response.status != 200 or not match or not csrftoken:
        raise RuntimeError(f"/register/: HTTP {response.status}, no CSRF token or cookie")
    return match.group(1).decode(), csrftoken


def payload_template(token: str, psql) -> str:
    """The url-encoded body of a valid registration, __EMAIL__ to be replaced."""

    def ids(sql: str) -> list[str]:
        return psql(sql).split()

    primary = ids("SELECT id FROM registry_subfield WHERE code = '3.2'")
    others = ids("SELECT id FROM registry_subfield WHERE code IN ('1.3', '3.1', '2.6')")
    engagement = ids("SELECT id FROM registry_engagementtype ORDER BY position LIMIT 3")
    sdgs = ids("SELECT id FROM registry_sdg WHERE number IN (3, 9)")
    projects = ids("SELECT id FROM registry_internationalproject ORDER BY position LIMIT 1")
    fields: list[tuple[str, str]] = [
        ("csrfmiddlewaretoken", token),
        ("full_name", "Ayesha Qureshi"),
        ("email", "__EMAIL__"),
        ("phone", "+44 20 7946 0000"),
        ("gender", "female"),
        ("country", "GB"),
        ("city", "London"),
        ("connection", "dual"),
        ("home_region", "Punjab"),
        ("highest_qualification", "phd"),
        ("qualification_subject", "Medical physics"),
        ("qualification_institution", "Imperial College London"),
        ("qualification_country", "GB"),
        ("qualification_year", "2012"),
        ("job_title", "Consultant clinical scientist"),
        ("organisation", "NHS England"),
        ("sector", "government"),
        ("career_stage", "practitioner"),
        ("years_experience", "12"),
        ("primary_subfield", primary[0]),
        *(("subfields", value) for value in others),
        ("keywords", "medical physics, PET imaging, radiotherapy"),
        ("summary", "Medical physicist working on PET imaging and radiotherapy planning."),
        ("orcid", ""),
        ("scholar_url", ""),
        ("linkedin_url", ""),
        ("website_url", "https://example.org/profile"),
        *(("engagement_types", value) for value in engagement),
        *(("sdgs", value) for value in sdgs),
        *(("international_projects", value) for value in projects),
        ("home_collaborations", "Guest lectures at a teaching hospital in Lahore."),
        ("hours_per_month", "8"),
        ("willing_to_visit", "on"),
        ("consent_processing", "on"),
        ("consent_contact", "on"),
        ("homepage", ""),
    ]
    body = urllib.parse.urlencode(fields)
    return body.replace(urllib.parse.quote("__EMAIL__"), "__EMAIL__")


def check_one_post(base: str, template: str, cookie: str, psql, *, run_tasks) -> dict:
    """POST once and check the outcome: a redirect, and once the queued task
    has run (run_tasks), one new unconfirmed member."""
    email = f"bench-check-{time.time_ns()}@example.org"
    connection = _connection(base)
    try:
        connection.request(
            "POST",
            "/register/",
            body=template.replace("__EMAIL__", urllib.parse.quote(email)),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    run_tasks()
    stored = psql(f"SELECT status FROM registry_member WHERE email = '{email}'")
    if response.status != 302 or stored != "unconfirmed":
        errors = re.findall(rb'class="invalid-feedback[^"]*"[^>]*>\s*(?:<strong>)?([^<]+)', body)
        raise RuntimeError(
            f"survey POST: HTTP {response.status}, stored {stored!r}, "
            f"form errors {[e.decode().strip() for e in errors][:10]}"
        )
    return {
        "status": response.status,
        "location": response.headers.get("Location"),
        "stored": stored,
    }
