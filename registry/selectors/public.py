"""Figures shown on public pages. They never expose a person."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from registry.models import CONFIRMED_STATUSES, Member

# Below this, a public count could point at individuals, so it is not shown.
PUBLIC_COUNT_THRESHOLD = 5
FIGURES_CACHE_KEY = "registry:public-figures:v1"
FIGURES_CACHE_SECONDS = 600


@dataclass(frozen=True)
class PublicFigure:
    value: int

    @property
    def is_small(self) -> bool:
        return self.value < PUBLIC_COUNT_THRESHOLD


@dataclass(frozen=True)
class PublicFigures:
    members: PublicFigure
    countries: PublicFigure
    fields: PublicFigure


def public_figures() -> PublicFigures:
    """Confirmed members, their countries of residence and broad fields.

    Counted at most every ten minutes (the cache is shared by every app
    server), so the home page never counts a large table on each visit.
    """
    cached = cache.get(FIGURES_CACHE_KEY)
    if cached is not None:
        return cached
    confirmed = Member.objects.filter(status__in=CONFIRMED_STATUSES)
    totals = confirmed.aggregate(
        members=Count("id"),
        countries=Count("country", distinct=True),
        fields=Count("primary_subfield__field", distinct=True),
    )
    figures = PublicFigures(**{name: PublicFigure(value) for name, value in totals.items()})
    cache.set(FIGURES_CACHE_KEY, figures, FIGURES_CACHE_SECONDS)
    return figures
