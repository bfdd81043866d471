"""Reads of expertise clusters for staff lists."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from registry.models import ExpertiseCluster, Member
from registry.selectors.missions import staff_scope


def clusters_with_member_count_column(*, user) -> QuerySet[ExpertiseCluster]:
    """Clusters annotated with `member_count`, all counted in the one query that lists them.

    Only the members in `user`'s scope are counted (members_visible_to's rule;
    anyone who may view clusters may view members).

    Each count is a correlated subquery that the membership table's index on
    the cluster answers. Unlike a JOIN with GROUP BY, it leaves the queryset's
    own COUNT(*) (the admin's paginator) a plain count of clusters, which
    matters with millions of membership rows.
    """
    # At headquarters the membership table's index alone answers; a Mission's
    # count also reads each member's country.
    memberships = staff_scope(user).narrow(
        Member.clusters.through.objects.filter(expertisecluster_id=OuterRef("pk")),
        prefix="member__",
    )
    memberships = (
        memberships.order_by()
        .values("expertisecluster_id")
        .annotate(total=Count("*"))
        .values("total")
    )
    return ExpertiseCluster.objects.annotate(
        member_count=Coalesce(Subquery(memberships, output_field=IntegerField()), 0)
    )
