"""Reads of expertise clusters for staff lists."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from registry.models import ExpertiseCluster, Member


def clusters_with_member_count_column() -> QuerySet[ExpertiseCluster]:
    """Clusters annotated with `member_count`, all counted in the one query that lists them.

    Each count is a correlated subquery that the membership table's index on
    the cluster answers. Unlike a JOIN with GROUP BY, it leaves the queryset's
    own COUNT(*) (the admin's paginator) a plain count of clusters, which
    matters with millions of membership rows.
    """
    memberships = (
        Member.clusters.through.objects.filter(expertisecluster_id=OuterRef("pk"))
        .order_by()
        .values("expertisecluster_id")
        .annotate(total=Count("*"))
        .values("total")
    )
    return ExpertiseCluster.objects.annotate(
        member_count=Coalesce(Subquery(memberships, output_field=IntegerField()), 0)
    )
