"""Settings for the benchmark servers: production settings on plain-HTTP loopback.

The portal's own settings with DEBUG off, plus what a benchmark needs and
nothing else: a URLconf with a trivial view (the floor of the survey
throughput benchmark) and the naive export (a contender of the export
benchmark), a middleware that reports the number of SQL queries of each
response in a header, lifted rate limits, and e-mails dropped on the floor.
"""

import os

# A fixed, bench-only key: the bench servers listen on 127.0.0.1 only and their
# database is recreated on every run. The harness and every gunicorn worker must
# share it, since the harness signs the session cookies the servers accept.
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "0")

from portal.settings import *  # noqa: E402, F403
from portal.settings import BASE_DIR, MIDDLEWARE  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

# Plain HTTP on loopback: nothing terminates TLS here.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# The dummy backend drops every message: no mail leaves the machine, and unlike
# the locmem backend the workers do not accumulate thousands of messages in
# memory during the survey benchmark (the console backend would measure the
# terminal instead of the portal).
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# collectstatic output for the manifest storage, outside the source tree.
STATIC_ROOT = BASE_DIR / "var" / "bench-static"

# The query counter is outermost so it counts every query of the request.
MIDDLEWARE = ["bench.middleware.query_count_middleware", *MIDDLEWARE]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The survey's per-IP limit (5 an hour by default) would answer nearly every
# benchmark POST with 429. The counters are still kept (one cache add and incr
# per POST, in Redis when the harness found one), so their cost is measured.
RATELIMIT_SURVEY_PER_IP = 10**9
# The same for the "update my profile" page (20 an hour), which the timing
# benchmark posts to from one address (bench/timing.py).
RATELIMIT_LINK_REQUESTS_PER_IP = 10**9
