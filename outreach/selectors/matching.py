"""Who fits an opportunity and how well: the candidates and their score.

The score is a sum of points that the page shows next to each member
(docs/matching.md): shared subfields, SDGs, international projects,
keywords and engagement types, willingness to travel for in-person work,
and hours per month offered. It is computed by the database in one query;
ties are broken by name, then id, so the order never changes between two
identical requests. outreach.selectors.ranking reads the matches the page
shows; outreach.services.ranking stores a full ranking for it.

Ranking many members, each wanted subfield, SDG, project or engagement type
is one set of member ids that the database reads once through the
relation's index and probes for every candidate (no counting subquery per
candidate); scoring a few members (`per_row`), each is looked up in the
relation's (member, item) index instead, which costs nothing per set. A
keyword is tested by the per-database search module (PostgreSQL's
full-text index, containment in the folded text elsewhere).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from outreach.models import Invitation, Opportunity, OpportunityMode
from registry.db import backend_module
from registry.models import Member
from registry.selectors.freshness import members_fresh
from registry.selectors.members import members_visible_to
from registry.text import fold, split_keywords

# Points per shared item; docs/matching.md explains them.
POINTS_PRIMARY_SUBFIELD = 4
POINTS_SUBFIELD = 3
POINTS_SDG = 2
POINTS_PROJECT = 2
POINTS_KEYWORD = 2
POINTS_ENGAGEMENT = 1
POINTS_TRAVEL = 2
# One point per HOURS_STEP hours per month offered, at most HOURS_MAX_POINTS.
HOURS_STEP = 10
HOURS_MAX_POINTS = 3

# Relation name on Member -> the target's column in its through table.
_RELATIONS = {
    "subfields": "subfield",
    "sdgs": "sdg",
    "international_projects": "internationalproject",
    "engagement_types": "engagementtype",
}


@dataclass(frozen=True)
class Wanted:
    """What an opportunity asks for, as ids and folded keywords, read once."""

    subfields: dict[int, str]
    sdgs: dict[int, str]
    international_projects: dict[int, str]
    engagement_types: dict[int, str]
    keywords: tuple[str, ...]
    countries: tuple[str, ...]
    mode: str

    @property
    def has_topic(self) -> bool:
        return bool(self.subfields or self.sdgs or self.international_projects or self.keywords)


def opportunity_wanted(opportunity: Opportunity) -> Wanted:
    """The opportunity's wishes (four small queries)."""

    def names(relation: str) -> dict[int, str]:
        return {item.pk: str(item) for item in getattr(opportunity, relation).all()}

    keywords = tuple(
        dict.fromkeys(fold(k) for k in split_keywords(opportunity.keywords) if fold(k))
    )
    return Wanted(
        subfields=names("subfields"),
        sdgs=names("sdgs"),
        international_projects=names("international_projects"),
        engagement_types=names("engagement_types"),
        keywords=keywords,
        countries=tuple(sorted(c.code for c in opportunity.countries)),
        mode=opportunity.mode,
    )


def wishes_key(wanted: Wanted) -> str:
    """A digest of what decides the ranking: the wishes and the points.

    A stored ranking (outreach.services.ranking) serves only the wishes it
    was made for, under the same points.
    """
    points = (
        POINTS_PRIMARY_SUBFIELD,
        POINTS_SUBFIELD,
        POINTS_SDG,
        POINTS_PROJECT,
        POINTS_KEYWORD,
        POINTS_ENGAGEMENT,
        POINTS_TRAVEL,
        HOURS_STEP,
        HOURS_MAX_POINTS,
    )
    wishes = [
        points,
        *(sorted(getattr(wanted, relation)) for relation in _RELATIONS),
        wanted.keywords,
        wanted.countries,
        wanted.mode,
    ]
    return hashlib.sha256(json.dumps(wishes).encode()).hexdigest()


def members_rankable(members: QuerySet, *, opportunity: Opportunity, wanted: Wanted) -> QuerySet:
    """Of `members`, those the opportunity may ever invite, whatever their latest answers.

    Verified, agreed to be contacted, in the opportunity's countries (if it
    names any) and not invited to it yet: what changes only with the
    member's profile or review (and so its `updated_at`), or never comes
    back (an invitation). members_eligible() adds the rest.
    """
    members = members.filter(status=Member.Status.VERIFIED, consent_contact=True)
    if wanted.countries:
        members = members.filter(country__in=wanted.countries)
    invited = Invitation.objects.filter(opportunity_id=opportunity.pk, member_id=OuterRef("pk"))
    return members.filter(~Exists(invited))


def members_eligible(
    *,
    user,
    opportunity: Opportunity,
    wanted: Wanted | None = None,
    include_stale: bool = False,
) -> QuerySet:
    """Members `user` may invite to the opportunity.

    Verified, agreed to be contacted, not opted out of invitations, within
    the user's Mission scope (and the opportunity's countries, if it names
    any), and not already invited to it. Members marked stale (no answer to
    the yearly "still current?" check) are left out unless `include_stale`:
    staff who pick them on purpose (the "stale" filter) may still invite them.
    """
    wanted = wanted or opportunity_wanted(opportunity)
    members = members_rankable(members_visible_to(user), opportunity=opportunity, wanted=wanted)
    members = members.filter(invitations_opted_out_at__isnull=True)
    return members if include_stale else members_fresh(members)


def _through(relation: str):
    return Member._meta.get_field(relation).remote_field.through


def _shared(relation: str, ids) -> QuerySet:
    target = _RELATIONS[relation]
    return _through(relation).objects.filter(**{f"{target}_id__in": list(ids)})


def _holds(relation: str, ids, *, per_row: bool) -> Q | Exists:
    # Whether the member holds any of the items `ids` (a member holds an
    # item once): a set of member ids read once, or one lookup per member.
    if per_row:
        return Exists(_shared(relation, ids).filter(member_id=OuterRef("pk")))
    return Q(pk__in=_shared(relation, ids).values("member_id"))


def _keyword(keyword: str) -> Q:
    return Q(backend_module("registry.search").keyword_match(keyword))


def _keyword_flag(index: int) -> str:
    return f"_keyword_{index}"


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _score(wanted: Wanted, *, per_row: bool):
    parts = []
    if wanted.subfields:
        parts.append(
            _points(Q(primary_subfield_id__in=list(wanted.subfields)), POINTS_PRIMARY_SUBFIELD)
        )
    for relation, points in (
        ("subfields", POINTS_SUBFIELD),
        ("sdgs", POINTS_SDG),
        ("international_projects", POINTS_PROJECT),
        ("engagement_types", POINTS_ENGAGEMENT),
    ):
        for item_id in getattr(wanted, relation):
            parts.append(_points(_holds(relation, [item_id], per_row=per_row), points))
    for keyword in wanted.keywords:
        parts.append(_points(_keyword(keyword), POINTS_KEYWORD))
    if wanted.mode != OpportunityMode.ONLINE:
        travel = POINTS_TRAVEL if wanted.mode == OpportunityMode.IN_PERSON else POINTS_TRAVEL // 2
        parts.append(_points(Q(willing_to_visit=True), travel))
    parts.append(
        Case(
            *(
                When(hours_per_month__gte=HOURS_STEP * n, then=Value(n))
                for n in range(HOURS_MAX_POINTS, 0, -1)
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _topic_condition(wanted: Wanted, *, per_row: bool) -> Q:
    # A candidate shares at least one topic: engagement types, travel and
    # hours only order the candidates, since nearly everyone has some.
    condition = Q(pk__in=[])
    if wanted.subfields:
        condition |= Q(primary_subfield_id__in=list(wanted.subfields))
    for relation in ("subfields", "sdgs", "international_projects"):
        ids = getattr(wanted, relation)
        if ids:
            condition |= Q(_holds(relation, ids, per_row=per_row))
    for keyword in wanted.keywords:
        condition |= _keyword(keyword)
    return condition


def members_ranked(members: QuerySet, wanted: Wanted, *, per_row: bool = False) -> QuerySet:
    """The candidates among `members`, with a `match_score`, best first.

    `per_row`: `members` are few (a stored ranking's, by id), so each is
    looked up in the relations rather than each wanted item's members read.
    """
    if wanted.has_topic:
        members = members.filter(_topic_condition(wanted, per_row=per_row))
    return members.annotate(match_score=_score(wanted, per_row=per_row)).order_by(
        F("match_score").desc(), "name_key", "id"
    )


def keyword_flags(wanted: Wanted) -> dict[str, ExpressionWrapper]:
    """Annotations: which keywords a member matches, by the test the score uses.

    match_reasons() reads them, so it names exactly the keywords that scored.
    """
    return {
        _keyword_flag(index): ExpressionWrapper(_keyword(keyword), output_field=BooleanField())
        for index, keyword in enumerate(wanted.keywords)
    }


@dataclass
class Match:
    member: Member
    score: int
    reasons: list[tuple[str, int]] = field(default_factory=list)


def _matched_names(relation: str, wanted_ids: dict[int, str], member_ids: list[int]):
    target = _RELATIONS[relation]
    found: dict[int, list[str]] = {}
    if not wanted_ids:
        return found
    rows = _shared(relation, wanted_ids).filter(member_id__in=member_ids)
    for member_id, target_id in rows.values_list("member_id", f"{target}_id").order_by(
        "member_id", f"{target}_id"
    ):
        found.setdefault(member_id, []).append(wanted_ids[target_id])
    return found


def match_reasons(members: list[Member], wanted: Wanted) -> list[Match]:
    """Each member's score explained, item by item (four queries whatever the count).

    `members` carry the keyword flags of keyword_flags() and, from
    members_ranked(), their `match_score`.
    """
    ids = [m.pk for m in members]
    shared = {
        relation: _matched_names(relation, getattr(wanted, relation), ids)
        for relation in _RELATIONS
    }
    labels = {
        "subfields": (_("Subfield"), POINTS_SUBFIELD),
        "sdgs": ("", POINTS_SDG),
        "international_projects": (_("Project"), POINTS_PROJECT),
        "engagement_types": (_("Engagement"), POINTS_ENGAGEMENT),
    }
    matches = []
    for member in members:
        reasons: list[tuple[str, int]] = []
        if member.primary_subfield_id in wanted.subfields:
            name = wanted.subfields[member.primary_subfield_id]
            reasons.append((_("Main subfield: %(name)s") % {"name": name}, POINTS_PRIMARY_SUBFIELD))
        for relation, (label, points) in labels.items():
            for name in shared[relation].get(member.pk, []):
                # An SDG names itself ("SDG 4: Quality education").
                reasons.append((name if relation == "sdgs" else f"{label}: {name}", points))
        for index, keyword in enumerate(wanted.keywords):
            if getattr(member, _keyword_flag(index)):
                reasons.append((_("Keyword: %(word)s") % {"word": keyword}, POINTS_KEYWORD))
        if wanted.mode != OpportunityMode.ONLINE and member.willing_to_visit:
            travel = (
                POINTS_TRAVEL if wanted.mode == OpportunityMode.IN_PERSON else POINTS_TRAVEL // 2
            )
            reasons.append((_("Willing to travel"), travel))
        hours = min((member.hours_per_month or 0) // HOURS_STEP, HOURS_MAX_POINTS)
        if hours:
            text = _("%(hours)s hours per month") % {"hours": member.hours_per_month}
            reasons.append((text, hours))
        score = getattr(member, "match_score", sum(points for _label, points in reasons))
        matches.append(Match(member=member, score=score, reasons=reasons))
    return matches
