"""Creating and updating members, and keeping their derived data current."""

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from registry.models import Member, Subfield
from registry.selectors.taxonomy import taxonomy_rows
from registry.services.clusters import member_sync_clusters
from registry.services.duplicates import (
    duplicate_keys,
    member_possible_duplicate_check,
    member_possible_duplicates_mark,
    member_possible_duplicates_release,
)
from registry.services.history import member_history_ensure_baseline, member_history_record
from registry.services.name_words import name_words_add, name_words_release
from registry.text import fold, normalize_email, normalize_text
from registry.validators import normalize_orcid

# Many-to-many relations a caller may pass, as instances or ids.
RELATION_FIELDS = ("subfields", "engagement_types", "sdgs", "international_projects")
# Fields whose change can move the member into or out of a cluster or change
# what search finds.
EXPERTISE_FIELDS = {"primary_subfield", "primary_subfield_id", "subfields", "keywords", "status"}


def member_search_document(*, member: Member, subfield_names: Iterable[str]) -> str:
    """The folded text that free-text search looks in."""
    return search_document_from(
        member.full_name,
        member.keywords,
        member.summary,
        member.job_title,
        member.organisation,
        *subfield_names,
    )


def search_document_from(*parts: str) -> str:
    """Fold and join the searchable parts (name, keywords, summary, title,
    organisation, subfield names), skipping empty ones."""
    return " ".join(folded for part in parts if part and (folded := fold(part)))


def _clean_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for name, value in data.items():
        field = Member._meta.get_field(name.removesuffix("_id"))
        if name == "email":
            value = normalize_email(value)
        elif name == "orcid":
            value = normalize_orcid(value)
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            value = normalize_text(value)
        values[name] = value
    return values


def _validate(values: Mapping[str, Any]) -> None:
    # The fields' own validators (control characters, lengths, ORCID check
    # digit, e-mail and URL syntax) hold for every caller, not only the forms.
    errors = {}
    for name, value in values.items():
        field = Member._meta.get_field(name.removesuffix("_id"))
        if field.is_relation:
            continue
        try:
            field.run_validators(value)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def _subfield_names(member: Member, subfields: Iterable | None) -> list[str]:
    if subfields is not None:
        subfields = list(subfields)
        primary = member.primary_subfield if Member.primary_subfield.is_cached(member) else None
        if primary is not None and all(isinstance(s, Subfield) for s in subfields):
            # The caller passed the rows themselves (the survey form fetched
            # them to validate the answer): no need to read them again.
            rows = {s.pk: s for s in (primary, *subfields)}
            return [s.name for s in sorted(rows.values(), key=lambda s: s.position)]
    ids = {member.primary_subfield_id}
    if subfields is not None:
        ids.update(int(_pk(s)) for s in subfields)
        # Ids (from a queued survey): their names from this process's copy.
        rows = taxonomy_rows(Subfield.objects.all())
        if rows is not None and ids <= rows.keys():
            return [rows[pk].name for pk in sorted(ids, key=lambda pk: rows[pk].position)]
    else:
        ids.update(member.subfields.values_list("id", flat=True))
    return list(
        Subfield.objects.filter(id__in=ids).order_by("position").values_list("name", flat=True)
    )


def _refresh_keys(member: Member, subfields: Iterable | None) -> None:
    member.name_key = fold(member.full_name)[:200]
    member.organisation_key = fold(member.organisation)[:200]
    member.search_document = member_search_document(
        member=member, subfield_names=_subfield_names(member, subfields)
    )


def _split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    scalars = {k: v for k, v in data.items() if k not in RELATION_FIELDS}
    relations = {k: list(v) for k, v in data.items() if k in RELATION_FIELDS}
    scalars = _clean_values(scalars)
    _validate(scalars)
    return scalars, relations


def _save_with_relations(
    member: Member, relations: Mapping[str, list], *, user, reason: str
) -> dict[str, list | None]:
    # Saving the member and setting each relation would each store a history
    # row; one row for the whole change is stored at the end instead.
    new = member._state.adding
    member.skip_history_when_saving = True
    member.save()
    written: dict[str, list | None] = {}
    for name, values in relations.items():
        if new:
            written[name] = _relation_insert(member, name, values)
        else:
            getattr(member, name).set(values)
    if new:
        # The history copies the rows just written rather than reading them back.
        written = {name: written.get(name, []) for name in RELATION_FIELDS}
    relation_rows = {name: rows for name, rows in written.items() if rows is not None}
    member_history_record(member=member, user=user, reason=reason, relation_rows=relation_rows)
    return written


def _relation_insert(member: Member, name: str, values: list) -> list | None:
    # A new member has no relation rows yet, so the reads that set() makes
    # first (the current rows, the rows already there) would find nothing:
    # one INSERT does. The only m2m_changed receiver, django-simple-history's,
    # ignores these changes anyway (skip_history_when_saving): the history row
    # stored after them lists the relations.
    manager = getattr(member, name)
    source, target = f"{manager.source_field_name}_id", f"{manager.target_field_name}_id"
    ids = dict.fromkeys(int(_pk(value)) for value in values)
    rows = manager.through.objects.bulk_create(
        [manager.through(**{source: member.pk, target: pk}) for pk in ids]
    )
    # The rows with their ids, or None where the database did not return them.
    return rows if all(row.pk is not None for row in rows) else None


def _pk(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def member_changed_fields(*, member: Member, data: Mapping[str, Any]) -> set[str]:
    """The names of the fields in `data` whose value differs from the member's.

    Relations compare by id: `data` may hold instances or ids.
    """
    changed = set()
    for name, value in data.items():
        field = Member._meta.get_field(name)
        if field.many_to_many:
            current = set(getattr(member, name).values_list("pk", flat=True))
            if current != {int(_pk(v)) for v in value}:
                changed.add(name)
        elif field.is_relation:
            if getattr(member, field.attname) != _pk(value):
                changed.add(name)
        elif getattr(member, name) != value:
            changed.add(name)
    return changed


@transaction.atomic
def member_create(
    *,
    data: Mapping[str, Any],
    source: str = Member.Source.ADMIN,
    status: str = Member.Status.SUBMITTED,
    user=None,
    reason: str = "",
) -> Member:
    """Create a member with its relations, search document and clusters.

    `data` holds model field values; many-to-many fields (see RELATION_FIELDS)
    take lists of instances or ids. Text is trimmed and NFC-normalised, the
    e-mail lower-cased, an ORCID URL reduced to the bare iD; then each field's
    validators run, and a value they refuse (a control character in a name,
    a text too long) raises ValidationError before anything is stored. The
    database rejects a second member with the same e-mail in any letter case; inside
    a caller's transaction that failure rolls back to a savepoint of this
    function's own, so the caller may carry on.
    One history row records the new member, with `user` and `reason`.
    """
    scalars, relations = _split(data)
    member = Member(source=source, status=status, link_key=_new_link_key(), **scalars)
    _refresh_keys(member, relations.get("subfields", []))
    member_possible_duplicate_check(member=member)
    _save_with_relations(member, relations, user=user, reason=reason)
    member_possible_duplicates_mark(member=member)
    # A new member: its subfields are the ones given, and it is in no cluster yet.
    subfield_ids = {int(_pk(s)) for s in relations.get("subfields", [])}
    member_sync_clusters(member=member, subfield_ids=subfield_ids, created=True)
    # Last: it locks the name's words until the transaction ends.
    name_words_add(name_key=member.name_key)
    return member


@transaction.atomic
def member_update(
    *, member: Member, data: Mapping[str, Any], user=None, reason: str = ""
) -> Member:
    """Apply changed values and relations; recompute derived data as needed.

    Values are normalised and validated as in member_create. The history
    keeps the previous values (a member loaded in bulk first gets a row with
    its state before this change) and one row for this change.
    """
    member_history_ensure_baseline(member_id=member.pk)
    scalars, relations = _split(data)
    keys_before = duplicate_keys(member)
    name_before = member.name_key
    for name, value in scalars.items():
        setattr(member, name, value)
    _refresh_keys(member, relations.get("subfields"))
    keys_changed = duplicate_keys(member) != keys_before
    if keys_changed:
        member_possible_duplicate_check(member=member, previous=keys_before)
    _save_with_relations(member, relations, user=user, reason=reason)
    if keys_changed:
        member_possible_duplicates_mark(member=member)
        member_possible_duplicates_release(keys=keys_before)
    if EXPERTISE_FIELDS & (scalars.keys() | relations.keys()):
        member_sync_clusters(member=member)
    if member.name_key != name_before:
        name_words_add(name_key=member.name_key)
        name_words_release(name_key=name_before)
    return member


def _new_link_key() -> str:
    return secrets.token_urlsafe(32)


def member_link_key(*, member: Member) -> str:
    """The random key that stands for the member in e-mailed links (registry.tokens).

    A member loaded in bulk, or created before the keys existed, gets one now.
    Storing it changes nothing else: not the last-change time, not the history.
    """
    if not member.link_key:
        key = _new_link_key()
        members = Member.objects.filter(pk=member.pk)
        if members.filter(link_key="").update(link_key=key):
            member.link_key = key
        else:
            # Another request gave the member a key first.
            member.link_key = members.values_list("link_key", flat=True).get()
    return member.link_key
