"""Expertise-cluster membership: computed from subfields and keywords, stored.

A member is in an active cluster when their primary subfield or one of their
other subfields is among the cluster's subfields, or when one of the cluster's
keywords appears in the member's keywords as whole words, regardless of case.
Withdrawn members are in no cluster. Membership is stored in Member.clusters so
that staff filter and count by cluster with one query.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from registry.db import backend_module, bulk_insert
from registry.models import ExpertiseCluster, Member
from registry.selectors.taxonomy import taxonomy_copy

MemberCluster = Member.clusters.through
MemberSubfield = Member.subfields.through
_CHUNK = 20000


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern | None:
    """A case-insensitive pattern matching any of the keywords as whole words."""
    parts = sorted({k.strip() for k in keywords if k.strip()}, key=len, reverse=True)
    if not parts:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ClusterRule:
    id: int
    subfield_ids: frozenset[int]
    pattern: re.Pattern | None

    def matches(self, *, subfield_ids: set[int], keywords: str) -> bool:
        if self.subfield_ids & subfield_ids:
            return True
        return bool(self.pattern and keywords and self.pattern.search(keywords))


def active_cluster_rules() -> list[ClusterRule]:
    """The rules of every active cluster, in two queries."""
    clusters = ExpertiseCluster.objects.filter(is_active=True).prefetch_related("subfields")
    return [
        ClusterRule(
            id=c.id,
            subfield_ids=frozenset(s.id for s in c.subfields.all()),
            pattern=keyword_pattern(c.keyword_list()),
        )
        for c in clusters
    ]


def active_cluster_rules_kept() -> list[ClusterRule]:
    """active_cluster_rules(), kept by this process for the taxonomy version.

    Saving a cluster or changing its subfields starts a new version
    (registry.form_cache), so a change made in the admin holds for the next
    registration.
    """
    rules = taxonomy_copy(("cluster-rules",), active_cluster_rules)
    return active_cluster_rules() if rules is None else rules


def cluster_ids_for(*, subfield_ids: set[int], keywords: str, rules: list[ClusterRule]) -> set[int]:
    return {r.id for r in rules if r.matches(subfield_ids=subfield_ids, keywords=keywords)}


# No savepoint inside a caller's transaction: a failure here spoils it anyway.
@transaction.atomic(savepoint=False)
def member_sync_clusters(
    *,
    member: Member,
    rules: list[ClusterRule] | None = None,
    subfield_ids: set[int] | None = None,
    created: bool = False,
) -> set[int]:
    """Recompute and store one member's clusters; returns their ids.

    `subfield_ids` are the member's other subfields when the caller has them
    (read otherwise); `created` says the member was just stored, in no
    cluster yet, so its rows are inserted without reading the current ones.
    """
    if member.status == Member.Status.WITHDRAWN:
        wanted: set[int] = set()
    else:
        if rules is None:
            rules = active_cluster_rules_kept()
        if subfield_ids is None:
            subfield_ids = set(member.subfields.values_list("id", flat=True))
        subfield_ids = {*subfield_ids, member.primary_subfield_id}
        wanted = cluster_ids_for(subfield_ids=subfield_ids, keywords=member.keywords, rules=rules)
    if created:
        MemberCluster.objects.bulk_create(
            [MemberCluster(member_id=member.pk, expertisecluster_id=pk) for pk in sorted(wanted)]
        )
    else:
        member.clusters.set(wanted)
    return wanted


def _cluster_member_ids(cluster: ExpertiseCluster) -> set[int]:
    if not cluster.is_active:
        return set()
    members = Member.objects.exclude(status=Member.Status.WITHDRAWN)
    subfield_ids = list(cluster.subfields.values_list("id", flat=True))
    ids: set[int] = set()
    if subfield_ids:
        by_subfield = members.filter(
            Q(primary_subfield_id__in=subfield_ids)
            | Q(
                id__in=MemberSubfield.objects.filter(subfield_id__in=subfield_ids).values(
                    "member_id"
                )
            )
        )
        ids.update(by_subfield.values_list("id", flat=True).iterator(chunk_size=_CHUNK))
    keywords = cluster.keyword_list()
    pattern = keyword_pattern(keywords)
    if pattern:
        candidates = members.exclude(keywords="")
        # The database narrows the rows with a substring test; Python then
        # applies the whole-word rule. Where the test would miss a keyword
        # written in another case (SQLite folds only ASCII), every row is
        # checked instead.
        search = backend_module("registry.search")
        if all(search.icontains_folds_case(k) for k in keywords):
            prefilter = Q()
            for keyword in keywords:
                prefilter |= Q(keywords__icontains=keyword.split()[0])
            candidates = candidates.filter(prefilter)
        for member_id, text in candidates.values_list("id", "keywords").iterator(chunk_size=_CHUNK):
            if member_id not in ids and pattern.search(text):
                ids.add(member_id)
    return ids


@transaction.atomic
def cluster_recompute(*, cluster: ExpertiseCluster) -> int:
    """Recompute one cluster's membership in bulk; returns its member count.

    Only the difference is written: rows for members who left are deleted in
    chunks, rows for members who joined are bulk-inserted.
    """
    wanted = _cluster_member_ids(cluster)
    current = set(
        MemberCluster.objects.filter(expertisecluster_id=cluster.id)
        .values_list("member_id", flat=True)
        .iterator(chunk_size=_CHUNK)
    )
    leaving = sorted(current - wanted)
    for start in range(0, len(leaving), _CHUNK):
        MemberCluster.objects.filter(
            expertisecluster_id=cluster.id, member_id__in=leaving[start : start + _CHUNK]
        ).delete()
    joining = sorted(wanted - current)
    bulk_insert(
        model=MemberCluster,
        fields=["member", "expertisecluster"],
        rows=((member_id, cluster.id) for member_id in joining),
    )
    return len(wanted)


def clusters_rebuild(*, clusters: Iterable[ExpertiseCluster] | None = None) -> dict[str, int]:
    """Recompute every cluster (or the given ones); returns member counts by slug.

    Each cluster is recomputed in its own transaction, so a long rebuild does
    not hold one huge transaction open.
    """
    if clusters is None:
        clusters = ExpertiseCluster.objects.all()
    return {cluster.slug: cluster_recompute(cluster=cluster) for cluster in clusters}
