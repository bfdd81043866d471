"""The unbound survey's fields, rendered once and shared by every visitor.

An empty survey is the same page for everyone but for the CSRF token, yet
rendering its fields through crispy-forms costs a template include per option
of every list. The fields are therefore rendered once per language and kept
in the cache, and a GET only renders the page around them and the token.

The cache key names everything the fields' HTML depends on: the language, the
current year (the qualification year's upper bound), the URL prefix (the
privacy notice link), the release of the portal's code and templates
(settings.RELEASE), the packages, translations and static files that shape
the HTML, and the taxonomy version. Saving or deleting a row of the taxonomy
the survey offers (broad fields, subfields, SDGs, engagement types,
international projects) starts a new taxonomy version; so does the
version's expiry, which bounds how long a change made without signals (a
bulk update) stays unseen.
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    Field,
    InternationalProject,
    Sdg,
    Subfield,
)

TAXONOMY_MODELS = (Field, Subfield, Sdg, EngagementType, InternationalProject)
TAXONOMY_VERSION_KEY = "survey-form:taxonomy-version"
# Seconds. A new version every five minutes costs one rendering per language
# and limits how long a change made without signals goes unnoticed.
TAXONOMY_VERSION_TIMEOUT = 300
FRAGMENT_TIMEOUT = TAXONOMY_VERSION_TIMEOUT * 2

# What besides the portal's own code (settings.RELEASE) shapes the HTML; a
# deployment that changes any of it must not serve fields rendered before it,
# even from a shared cache.
_PACKAGES = ("django-crispy-forms", "crispy-bootstrap5", "django-countries")


def _dependencies_version() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for name in _PACKAGES:
        digest.update(package_version(name).encode())
    for locale_path in settings.LOCALE_PATHS:
        for catalogue in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.mo")):
            digest.update(catalogue.read_bytes())
    # Hashed static file names, which the page links to, change with a deploy.
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


DEPENDENCIES_VERSION = _dependencies_version()

# This process's copy of the fragments it served, so that a page costs one
# small cache read (the taxonomy version) rather than fetching the fields.
_fragments: dict[str, SafeString] = {}
_FRAGMENTS_KEPT = 32


# This process's last reading of the taxonomy version and when it was read:
# for a second it answers without asking the cache, so a busy worker does
# not make a cache round trip per page. Another process's taxonomy change
# shows here at most that second later; this process's own at once.
LOCAL_VERSION_SECONDS = 1.0
_local_version: tuple[float, str] | None = None


def taxonomy_version() -> str:
    """The current taxonomy version, starting a new one when there is none."""
    global _local_version
    now = time.monotonic()
    if _local_version is not None and now - _local_version[0] < LOCAL_VERSION_SECONDS:
        return _local_version[1]
    current = cache.get(TAXONOMY_VERSION_KEY)
    if current is None:
        cache.add(TAXONOMY_VERSION_KEY, uuid.uuid4().hex, TAXONOMY_VERSION_TIMEOUT)
        current = cache.get(TAXONOMY_VERSION_KEY)
    _local_version = (now, current)
    return current


def forget_local_copies() -> None:
    """Drop this process's copies (version and pages), as if it had just started.

    For tests, whose database and cache start afresh while the process stays.
    """
    global _local_version
    _local_version = None
    _fragments.clear()


def taxonomy_changed() -> None:
    """Start a new taxonomy version, now and again when the transaction commits.

    The second start covers a page rendered between the change and its
    commit, which still read the old rows.
    """

    def start() -> None:
        global _local_version
        cache.set(TAXONOMY_VERSION_KEY, uuid.uuid4().hex, TAXONOMY_VERSION_TIMEOUT)
        _local_version = None

    start()
    transaction.on_commit(start)


def _fragment_key(name: str) -> str:
    parts = (
        name,
        taxonomy_version(),
        settings.RELEASE,
        DEPENDENCIES_VERSION,
        translation.get_language() or "",
        str(timezone.localdate().year),
        get_script_prefix(),
    )
    return "survey-form:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def shared_html(name: str, *, render: Callable[[], str]) -> SafeString:
    """HTML that every visitor gets, from this process, the cache or `render()`.

    `render` must produce, in the current language, HTML that holds nothing
    about the request: it is shared with every visitor until the taxonomy,
    the release, the language or the year changes.
    """
    key = _fragment_key(name)
    html = _fragments.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, str(html), FRAGMENT_TIMEOUT)
        # Rendered by the portal's own templates, which escape what they show.
        html = mark_safe(html)
        if len(_fragments) >= _FRAGMENTS_KEPT:
            _fragments.clear()
        _fragments[key] = html
    return html


def survey_fields_html(*, render: Callable[[], str]) -> SafeString:
    """The unbound survey's fields as HTML, from the cache or from `render()`.

    The CSRF token is rendered outside them.
    """
    return shared_html("survey-fields", render=render)


def _on_taxonomy_change(**kwargs) -> None:
    taxonomy_changed()


def connect_signals() -> None:
    """Start a new taxonomy version whenever a taxonomy row is saved or deleted.

    Clusters count too: registrations use their rules as kept for the
    version (registry.services.clusters).
    """
    for model in (*TAXONOMY_MODELS, ExpertiseCluster):
        uid = f"survey-form-{model._meta.label_lower}"
        post_save.connect(_on_taxonomy_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_taxonomy_change, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _on_taxonomy_change,
        sender=ExpertiseCluster.subfields.through,
        dispatch_uid="survey-form-cluster-subfields",
    )
