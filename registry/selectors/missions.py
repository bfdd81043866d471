"""Missions abroad: which members a staff account's Mission lets it see.

A staff account with no Mission is headquarters and sees every member. An
account of a Mission sees the members residing in the countries the Mission
covers; of an inactive Mission, or one covering no country, nobody. The scope
is read from the database on every request (never kept in the session), so a
change takes effect on the account's next request.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from registry.models import Mission, MissionMembership


@dataclass(frozen=True)
class StaffScope:
    """The members a staff account may see, as the countries of residence it covers.

    `mission_id` None is headquarters (every country). For a Mission,
    `countries` holds its sorted ISO codes, empty when it sees nobody.
    """

    mission_id: int | None = None
    countries: tuple[str, ...] = ()

    @property
    def is_headquarters(self) -> bool:
        return self.mission_id is None

    @property
    def key(self) -> str:
        """A short text naming the scope, for cache keys of anything shown to staff."""
        if self.is_headquarters:
            return "hq"
        return f"mission-{self.mission_id}-{'.'.join(self.countries) or 'none'}"

    def covers(self, country_code: str) -> bool:
        return self.is_headquarters or country_code in self.countries

    def condition(self, prefix: str = "") -> Q:
        """The filter that keeps what the scope covers; `prefix` leads to a member."""
        if self.is_headquarters:
            return Q()
        if not self.countries:
            return Q(pk__in=[])
        return Q(**{f"{prefix}country__in": self.countries})

    def narrow(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        """The queryset (of members, or of rows reaching a member by `prefix`) in scope."""
        if self.is_headquarters:
            return queryset
        if not self.countries:
            return queryset.none()
        return queryset.filter(self.condition(prefix))


HEADQUARTERS = StaffScope()

# The scope is read once per request: request.user is a fresh object on every
# request, so keeping it on that object never outlives the request.
_ON_USER = "_registry_staff_scope"


def staff_scope(user) -> StaffScope:
    """The scope of `user`'s Mission, or headquarters when the account has none.

    An anonymous user or a user that is not saved has no Mission (and no
    staff permission either: members_visible_to checks those first).
    """
    cached = getattr(user, _ON_USER, None)
    if cached is not None:
        return cached
    if not getattr(user, "pk", None):
        return HEADQUARTERS
    if _membership_loaded(user):
        # Loaded with the account (portal.auth_backends.StaffModelBackend).
        membership = getattr(user, "mission_membership", None)
    else:
        membership = (
            MissionMembership.objects.filter(user_id=user.pk).select_related("mission").first()
        )
    if membership is None:
        scope = HEADQUARTERS
    else:
        mission = membership.mission
        codes = mission.country_codes if mission.is_active else ()
        scope = StaffScope(mission_id=mission.pk, countries=codes)
    setattr(user, _ON_USER, scope)
    return scope


def _membership_loaded(user) -> bool:
    # Whether select_related() already read the account's membership (or its absence).
    return get_user_model().mission_membership.related.is_cached(user)


def missions_with_staff() -> list[tuple[Mission, list[str]]]:
    """Every Mission with the usernames of its staff, by name."""
    missions = Mission.objects.prefetch_related("memberships__user").order_by("name")
    return [
        (mission, sorted(m.user.get_username() for m in mission.memberships.all()))
        for mission in missions
    ]
