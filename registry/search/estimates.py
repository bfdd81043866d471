"""Counts estimated from a sample, and how the staff search shows them.

Beyond settings.SEARCH_EXACT_COUNT_LIMIT matches the staff search's counts
are estimates (registry.search.grouping); an Estimate keeps what the sample
found so that the page shows only the digits the sample vouches for, or a
bound when it found too few matches to estimate from (docs/search.md).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Below this many sampled matches an estimate is too rough to show as a
# number: the page shows a bound ("fewer than about ...") instead.
MIN_SAMPLED_HITS = 10


@dataclass(frozen=True)
class Estimate:
    """A count estimated from a sample: the scaled-up value, the sampled
    matches behind it and the share of the registry sampled."""

    value: float
    hits: int
    share: float = 1.0

    @property
    def is_bound(self) -> bool:
        """Whether `shown` is an upper bound rather than an estimate."""
        return self.share < 1 and self.hits < MIN_SAMPLED_HITS

    @property
    def shown(self) -> int:
        """The value rounded to the digits the sample vouches for, or a bound.

        With `hits` sampled matches the relative standard error is about
        1/sqrt(hits): digits below that error are noise, so they are zeroed.
        With fewer than MIN_SAMPLED_HITS, the count that many hits plus two
        standard errors would mean, rounded up to one digit.
        """
        if self.is_bound:
            bound = max(
                self.value + 1, (MIN_SAMPLED_HITS + 2 * math.sqrt(MIN_SAMPLED_HITS)) / self.share
            )
            step = 10 ** math.floor(math.log10(bound))
            return math.ceil(bound / step) * step
        if self.value <= 0:
            return 0
        error = self.value / math.sqrt(max(self.hits, 1))
        step = 10 ** max(0, math.floor(math.log10(error)))
        return max(step, round(self.value / step) * step)


def summed_estimate(subfields: Iterable) -> Estimate | None:
    """The estimate of these SubfieldGroups together; None when their counts are exact."""
    estimates = [s.estimate for s in subfields if s.estimate is not None]
    if not estimates:
        return None
    return Estimate(
        sum(e.value for e in estimates), sum(e.hits for e in estimates), estimates[0].share
    )


def shown_total(subfields: Sequence) -> int:
    """The count shown for these SubfieldGroups together: a sum, or a rounded estimate."""
    estimate = summed_estimate(subfields)
    return sum(s.count for s in subfields) if estimate is None else estimate.shown
