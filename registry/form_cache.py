"""The unbound survey's fields, rendered once and shared by every visitor.

An empty survey is the same page for everyone but for the CSRF token, yet
rendering its fields through crispy-forms costs over a thousand template
includes (every option of every list). The fields are therefore rendered once
per language and kept in the cache, and a GET only renders the page around
them and the token.

The cache key names everything the fields' HTML depends on: the language, the
current year (the qualification year's upper bound), the URL prefix (the
privacy notice link), the code and templates that produce the HTML, and the
taxonomy version. Saving or deleting a row of the taxonomy the survey offers
(broad fields, subfields, SDGs, engagement types, international projects)
starts a new taxonomy version; so does the version's expiry, which bounds how long a
change made without signals (a bulk update) stays unseen.
"""

import hashlib
import uuid
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from registry.models import EngagementType, Field, InternationalProject, Sdg, Subfield

TAXONOMY_MODELS = (Field, Subfield, Sdg, EngagementType, InternationalProject)
TAXONOMY_VERSION_KEY = "survey-form:taxonomy-version"
# Seconds. A new version every five minutes costs one rendering per language
# (about a tenth of a second) and limits how long a change made without
# signals goes unnoticed.
TAXONOMY_VERSION_TIMEOUT = 300
FRAGMENT_TIMEOUT = TAXONOMY_VERSION_TIMEOUT * 2

_BASE_DIR = Path(settings.BASE_DIR)
# What produces the fields' HTML: a deployment that changes any of it must not
# serve fields rendered by the code it replaced, even from a shared cache.
_SOURCES = (
    "registry/form_cache.py",
    "registry/forms.py",
    "registry/models.py",
    "registry/privacy.py",
    "registry/services/registration.py",
    "registry/templatetags/survey.py",
    "templates/registry/includes/error_summary.html",
    "templates/registry/includes/survey_fields.html",
    "templates/registry/fields/grouped_checkboxes.html",
)
_PACKAGES = ("django-crispy-forms", "crispy-bootstrap5", "django-countries")


def _code_version() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for name in _PACKAGES:
        digest.update(package_version(name).encode())
    for path in _SOURCES:
        digest.update((_BASE_DIR / path).read_bytes())
    for catalogue in sorted(_BASE_DIR.glob("locale/*/LC_MESSAGES/*.mo")):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()

# This process's copy of the fragments it served, so that a page costs one
# small cache read (the taxonomy version) rather than fetching 60 KB.
_fragments: dict[str, SafeString] = {}
_FRAGMENTS_KEPT = 32


def taxonomy_version() -> str:
    """The current taxonomy version, starting a new one when there is none."""
    current = cache.get(TAXONOMY_VERSION_KEY)
    if current is None:
        cache.add(TAXONOMY_VERSION_KEY, uuid.uuid4().hex, TAXONOMY_VERSION_TIMEOUT)
        current = cache.get(TAXONOMY_VERSION_KEY)
    return current


def taxonomy_changed() -> None:
    """Start a new taxonomy version, now and again when the transaction commits.

    The second start covers a page rendered between the change and its
    commit, which still read the old rows.
    """

    def start() -> None:
        cache.set(TAXONOMY_VERSION_KEY, uuid.uuid4().hex, TAXONOMY_VERSION_TIMEOUT)

    start()
    transaction.on_commit(start)


def _fragment_key() -> str:
    parts = (
        taxonomy_version(),
        CODE_VERSION,
        translation.get_language() or "",
        str(timezone.localdate().year),
        get_script_prefix(),
    )
    return "survey-form:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def survey_fields_html(*, render: Callable[[], str]) -> SafeString:
    """The unbound survey's fields as HTML, from the cache or from `render()`.

    `render` must produce the fields of an unbound survey in the current
    language; its result is shared with every visitor, so it must hold
    nothing about the request (the CSRF token is rendered outside it).
    """
    key = _fragment_key()
    html = _fragments.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, str(html), FRAGMENT_TIMEOUT)
        # Rendered by the survey's own templates, which escape what they show.
        html = mark_safe(html)
        if len(_fragments) >= _FRAGMENTS_KEPT:
            _fragments.clear()
        _fragments[key] = html
    return html


def _on_taxonomy_change(**kwargs) -> None:
    taxonomy_changed()


def connect_signals() -> None:
    """Start a new taxonomy version whenever a taxonomy row is saved or deleted."""
    for model in TAXONOMY_MODELS:
        uid = f"survey-form-{model._meta.label_lower}"
        post_save.connect(_on_taxonomy_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_taxonomy_change, sender=model, dispatch_uid=uid)
