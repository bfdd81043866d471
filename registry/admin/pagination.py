"""A paginator for the member list that does not count a million rows per page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from registry.db import table_row_estimate

# Below this many rows an exact count is cheap, and exact is better.
ESTIMATE_FROM_ROWS = 50_000


class EstimatedCountPaginator(Paginator):
    """Uses PostgreSQL's row estimate for an unfiltered list, an exact count otherwise.

    An unfiltered COUNT(*) reads the whole table on PostgreSQL, on every page
    view. For the unfiltered list the planner's estimate is used instead and
    `count_is_estimate` tells the template to label it approximate. A
    filtered or searched list, or any list on SQLite, is counted exactly.
    """

    count_is_estimate = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.where:
            estimate = table_row_estimate(model=queryset.model, using=queryset.db)
            if estimate is not None and estimate >= ESTIMATE_FROM_ROWS:
                self.count_is_estimate = True
                return estimate
        return super().count
