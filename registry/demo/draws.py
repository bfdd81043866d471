"""Small tools of the demo generator: weighted draws, ORCID iDs, related ids."""

import random
from bisect import bisect

from registry.selectors.dashboard import relation_mask
from registry.validators import orcid_check_digit


def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, n + 1)]


def cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def demo_orcid(rng: random.Random) -> str:
    base = f"{rng.randrange(10**15):015d}"
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


class Weighted:
    """Draws from a population with relative weights, like random.choices
    with cum_weights, but without building a list per draw."""

    __slots__ = ("population", "cum", "total", "hi")

    def __init__(self, population, weights):
        self.population = list(population)
        self.cum = cumulative(weights)
        self.total = self.cum[-1]
        self.hi = len(self.population) - 1

    def draw(self, random_float):
        return self.population[bisect(self.cum, random_float * self.total, 0, self.hi)]


class Relation:
    """A set of related ids, in both forms the loaders take: id tuples for
    executemany, and COPY text made by joining the pieces with the member id
    ("".join is one call for all of a member's rows); and, as COPY text, the
    mask that PostgreSQL keeps on the member (registry.selectors.dashboard)."""

    __slots__ = ("ids", "mask", "pieces")

    def __init__(self, ids):
        self.ids = tuple(ids)
        self.pieces = ["", *(f"\t{i}\n" for i in self.ids)] if self.ids else None
        self.mask = str(relation_mask(self.ids))


NO_RELATION = Relation(())
