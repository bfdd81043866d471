"""Writes of Missions abroad and of the Mission each staff account belongs to.

The admin and `manage.py mission` both come here. A change of a Mission's
countries or of an account's Mission takes effect on the account's next
request: the scope is read per request (registry.selectors.missions).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from registry.models import Mission, MissionMembership


def country_codes_clean(*, codes: Iterable[str]) -> list[str]:
    """Upper-cased, sorted, unique ISO 3166-1 alpha-2 codes; ValidationError names
    any code that is not one."""
    known = {code for code, _name in all_countries}
    cleaned = {code.strip().upper() for code in codes if code.strip()}
    unknown = sorted(cleaned - known)
    if unknown:
        raise ValidationError(
            _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return sorted(cleaned)


@transaction.atomic
def mission_save(
    *,
    name: str,
    countries: Iterable[str] | None = None,
    city: str | None = None,
    is_active: bool | None = None,
    mission: Mission | None = None,
) -> tuple[Mission, bool]:
    """Create the Mission named `name`, or update it (or `mission`, when given).

    Arguments left None keep their current value (a new Mission: no country,
    no city, active). Returns the Mission and whether it was created.
    """
    codes = None if countries is None else country_codes_clean(codes=countries)
    if mission is None:
        mission = Mission.objects.select_for_update().filter(name=name).first()
    created = mission is None
    if created:
        mission = Mission(name=name)
    before = (mission.name, mission.city, mission.country_codes, mission.is_active)
    mission.name = name
    if codes is not None:
        mission.countries = codes
    if city is not None:
        mission.city = city
    if is_active is not None:
        mission.is_active = is_active
    # Running the same command again writes nothing (and no history row).
    if not created and before == (
        mission.name,
        mission.city,
        mission.country_codes,
        mission.is_active,
    ):
        return mission, False
    mission.full_clean()
    mission.save()
    return mission, created


@transaction.atomic
def mission_assign_staff(*, mission: Mission | None, users: Iterable) -> int:
    """Make each account staff of `mission` (None: headquarters), leaving any other
    Mission. Returns how many accounts changed Mission."""
    changed = 0
    for user in users:
        current = MissionMembership.objects.select_for_update().filter(user=user).first()
        if mission is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if current is None:
            MissionMembership.objects.create(user=user, mission=mission)
            changed += 1
        elif current.mission_id != mission.pk:
            current.mission = mission
            current.save()
            changed += 1
    return changed
