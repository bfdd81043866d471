"""The retention purge never touches a confirmed member, however old."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.models import Member
from registry.services.retention import registry_purge

pytestmark = pytest.mark.django_db

KEPT = (Member.Status.SUBMITTED, Member.Status.VERIFIED, Member.Status.DUPLICATE)


@pytest.mark.parametrize("status", KEPT)
def test_purge_never_touches_confirmed_members(make_member, status, settings):
    settings.RETENTION_UNCONFIRMED_DAYS = 1
    settings.RETENTION_REJECTED_DAYS = 1
    member = make_member(status=status, email_confirmed_at=timezone.now())
    long_ago = timezone.now() - timedelta(days=5000)
    Member.objects.filter(pk=member.pk).update(
        created_at=long_ago, updated_at=long_ago, reviewed_at=long_ago
    )
    before = Member.objects.values().get(pk=member.pk)

    registry_purge()
    registry_purge(dry_run=True)

    assert Member.objects.values().get(pk=member.pk) == before
    assert member.history.exists()
