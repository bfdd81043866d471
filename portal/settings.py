"""Settings for the DORIN portal.

One file, every knob read from the environment (12-factor) with a safe default.
The defaults give a development portal that runs on a machine with only Python:
SQLite in the project folder, local-memory cache and e-mails printed on the
console. Production switches are on whenever DEBUG is off.
"""

import os
import tomllib
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", False)

# A production secret is never committed: without DEBUG the portal refuses to
# start unless SECRET_KEY is given.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for local development set DJANGO_DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin with the portal's admin site (portal/admin_site.py).
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Serve static files with whitenoise in development too, so development
    # behaves like production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Form widgets' templates come from TEMPLATES (FORM_RENDERER below).
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "registry",
    "outreach",
]

# The header middleware comes first, so that responses made by a later
# middleware (a refused Host header, a CSRF failure) carry the headers too.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads the form body (the CSRF check, the views).
    "portal.middleware.UnreadableFormMiddleware",
    "portal.middleware.PrivatePagesNotCachedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.AdminInEnglishMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which staff user made each change in the members' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a locked-out login into the lock-out page; axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Widget templates are looked up in TEMPLATES too, so the portal's own
# (templates/registry/widgets/) sit beside its other templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL (postgres://user:pass@host:5432/name) or a SQLite file
# in the project. CONN_MAX_AGE keeps connections open between requests.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE transactions take
    # the write lock at BEGIN, so concurrent writers wait (up to the timeout)
    # instead of failing with "database is locked" half-way through.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL decides on it from the estimated cost, and
    # for the portal's counts (staff home, dashboard, search) compiling took
    # longer than running the query (bench/notes.md). PG_JIT=1 turns it back on.
    if not env_bool("PG_JIT", False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server, so rate
# limits hold across them), local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dorin"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def git_revision(base: Path) -> str:
    """The commit checked out in `base`, read from .git (no git command); "" if none."""
    git = base / ".git"
    if git.is_file():  # A worktree: the file names its git directory.
        git = base / git.read_text().removeprefix("gitdir:").strip()
    try:
        head = (git / "HEAD").read_text().strip()
    except OSError:
        return ""
    if not head.startswith("ref: "):
        return head  # A detached HEAD names the commit itself.
    ref = head.removeprefix("ref: ")
    common = git / (git / "commondir").read_text().strip() if (git / "commondir").is_file() else git
    for refs in (git, common):
        if (refs / ref).is_file():
            return (refs / ref).read_text().strip()
    packed = common / "packed-refs"
    lines = packed.read_text().splitlines() if packed.is_file() else []
    return next((line.split()[0] for line in lines if line.endswith(" " + ref)), "")


# What code is running; pages shared between visitors from the cache are kept
# apart by it (registry/form_cache.py), so each deploy of new code must change
# it: DORIN_RELEASE when the deploy sets one, else the git commit, else the
# project's version.
RELEASE = (
    os.environ.get("DORIN_RELEASE", "").strip()
    or git_revision(BASE_DIR)
    or tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
)

# Background tasks (Django's task framework, the django-tasks backport). The
# public forms answer at once and leave storing the registration and sending
# e-mails to a task, so that every answer takes the same time, whether or not
# the address is registered. "database" stores tasks in the database and
# `manage.py db_worker` runs them; "immediate" runs them inside the request,
# which development (e-mails on the console at once) and the tests use.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip() or (
    "immediate" if DEBUG else "database"
)
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be one of: " + ", ".join(_TASK_BACKENDS))
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Outreach (invitations to opportunities): e-mails sent per task, attempts
# before an invitation stays failed, and the first wait before a retry in
# seconds (doubled after each failure). PORTAL_BASE_URL makes the links of
# e-mails sent by commands (the reminder from cron), which have no request.
OUTREACH_SEND_CHUNK = env_int("OUTREACH_SEND_CHUNK", 100)
OUTREACH_MAX_ATTEMPTS = env_int("OUTREACH_MAX_ATTEMPTS", 5)
OUTREACH_RETRY_BASE_SECONDS = env_int("OUTREACH_RETRY_BASE_SECONDS", 60)
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000/").strip()

# Rate limits on the public forms, per hour, counted in the cache above
# (registry/ratelimit.py): survey submissions per IP address, e-mails with a
# link per e-mail address, and link requests per IP address.
# 50 surveys per address and hour lets a registration drive on one conference,
# embassy or university network through (many people behind one address).
RATELIMIT_SURVEY_PER_IP = env_int("RATELIMIT_SURVEY_PER_IP", 50)
RATELIMIT_LINK_EMAILS_PER_ADDRESS = env_int("RATELIMIT_LINK_EMAILS_PER_ADDRESS", 3)
RATELIMIT_LINK_REQUESTS_PER_IP = env_int("RATELIMIT_LINK_REQUESTS_PER_IP", 20)
# How long the links in e-mails work, in hours (registry/tokens.py): the link
# that confirms a registration, and the links to update or withdraw a profile
# (usable as often as needed until then).
LINK_CONFIRM_MAX_AGE_HOURS = env_int("LINK_CONFIRM_MAX_AGE_HOURS", 7 * 24)
LINK_MANAGE_MAX_AGE_HOURS = env_int("LINK_MANAGE_MAX_AGE_HOURS", 24)
# Messages through the contact page and the directory's contact form per IP
# address per hour, and directory messages one member receives per day.
RATELIMIT_CONTACT_PER_IP = env_int("RATELIMIT_CONTACT_PER_IP", 10)
RATELIMIT_DIRECTORY_PER_MEMBER = env_int("RATELIMIT_DIRECTORY_PER_MEMBER", 5)
# How many reverse proxies in front of the portal append the client's address
# to X-Forwarded-For; 0 (no proxy) uses the connection's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# On PostgreSQL a staff search is cancelled after this many milliseconds and
# the page says so, so a pathological query cannot hold a worker.
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 5000)
# The staff search counts matches exactly up to this many; a broader search
# shows counts estimated from a sample of about SEARCH_SAMPLE_ROWS members,
# marked "about" (docs/search.md). The export always lists every match.
SEARCH_EXACT_COUNT_LIMIT = env_int("SEARCH_EXACT_COUNT_LIMIT", 20000)
SEARCH_SAMPLE_ROWS = env_int("SEARCH_SAMPLE_ROWS", 20000)

# CSV downloads (registry/export/slots.py): each holds a request thread and a
# database transaction while it streams, so at most this many run at once for
# one staff account and on the whole site (every app server sharing the cache).
EXPORTS_PER_USER = env_int("EXPORTS_PER_USER", 2)
EXPORTS_PER_SERVER = env_int("EXPORTS_PER_SERVER", 4)
# On PostgreSQL the server ends an export whose client stopped reading for this
# many seconds (idle_in_transaction_session_timeout), and cancels one query of
# an export that runs longer than EXPORT_STATEMENT_TIMEOUT_S (statement_timeout).
EXPORT_IDLE_TIMEOUT_S = env_int("EXPORT_IDLE_TIMEOUT_S", 60)
EXPORT_STATEMENT_TIMEOUT_S = env_int("EXPORT_STATEMENT_TIMEOUT_S", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a login lands when it names no page, or one that is refused.
LOGIN_REDIRECT_URL = "registry:staff_home"

# Login lock-out (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one IP address, that pair is refused, even with the right
# password, for AXES_COOLOFF_MINUTES. Attempts live in the database, so the
# lock holds across several app servers. The first backend only checks the
# lock; the second one authenticates.
AUTHENTICATION_BACKENDS = [
    "portal.auth_backends.LoginLockoutBackend",
    # ModelBackend, loading the account's Mission with it.
    "portal.auth_backends.StaffModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
# Per username *and* address: a guesser is stopped, while the same person
# can still log in from another place and nobody can lock every account out
# from one machine.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The same client address as the rate limits (see TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "registry.ratelimit.client_ip"
# The username as typed, cut to the longest an account can have.
AXES_USERNAME_CALLABLE = "portal.auth_backends.login_username"

# Audit history (django-simple-history) is read-only in the admin: a "revert"
# would bypass the services that keep derived data and review fields right.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Internationalisation: English and Urdu (right to left). A first visit gets
# the language of the browser's Accept-Language (LocaleMiddleware); the switch
# on every page (set_language, /i18n/setlang/) keeps the choice in a cookie.
# URLs carry no language prefix, so links in e-mails work in either language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-third-party"]
# Django ships no Urdu formats: portal/formats/ur/ has them (dates, grouping).
FORMAT_MODULE_PATH = ["portal.formats"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A year, as long as a member may leave between two visits.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production; plain files in development and
    # tests, which do not run collectstatic.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: printed on the console in development; SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DORIN <dorin@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where members write with questions about their data (the focal point's desk);
# shown on the privacy notice.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip() or parseaddr(DEFAULT_FROM_EMAIL)[1]
# Where the contact page's queries go (the Science Diplomacy focal point).
FOCAL_POINT_EMAIL = os.environ.get("FOCAL_POINT_EMAIL", "").strip() or CONTACT_EMAIL
# Whether search engines may index the public directory (otherwise "noindex").
DIRECTORY_INDEXABLE = env_bool("DIRECTORY_INDEXABLE", False)

# Retention (registry/services/retention.py, `manage.py purge_registry`):
# registrations never confirmed are erased this many days after they were
# made, rejected ones this many days after the decision.
RETENTION_UNCONFIRMED_DAYS = env_int("RETENTION_UNCONFIRMED_DAYS", 30)
RETENTION_REJECTED_DAYS = env_int("RETENTION_REJECTED_DAYS", 365)
# Freshness (registry/services/freshness.py, `manage.py send_freshness_prompts`):
# a member is asked "still current?" this many days after last confirming or
# updating the profile.
FRESHNESS_DAYS = env_int("FRESHNESS_DAYS", 365)
# The portal's public address, for links in e-mails sent by commands (there is
# no request to take the host from), e.g. https://dorin.example.org/
PORTAL_URL = os.environ.get("PORTAL_URL", "").strip() or ("http://127.0.0.1:8000/" if DEBUG else "")

# The privacy notice (templates/registry/privacy.html): who the controller is,
# whom to write to about data protection, and where to complain.
PRIVACY_CONTROLLER_NAME = (
    os.environ.get("PRIVACY_CONTROLLER_NAME", "").strip() or "Ministry of Foreign Affairs"
)
PRIVACY_CONTROLLER_ADDRESS = os.environ.get("PRIVACY_CONTROLLER_ADDRESS", "").strip()
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "").strip() or CONTACT_EMAIL
PRIVACY_SUPERVISORY_AUTHORITY = os.environ.get("PRIVACY_SUPERVISORY_AUTHORITY", "").strip()
PRIVACY_SUPERVISORY_AUTHORITY_URL = os.environ.get("PRIVACY_SUPERVISORY_AUTHORITY_URL", "").strip()

# Crispy forms with Bootstrap 5.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production switches are on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a reverse proxy that terminates TLS, trust its X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script or style anywhere: the policy is strict and applies to every
# page, the admin included.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# Upload and form size limits: the survey is text only.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}
