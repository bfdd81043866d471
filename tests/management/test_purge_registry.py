from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from registry.models import Member

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_registry", *args, stdout=out)
    return out.getvalue()


def test_prints_the_counts_only(make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - timedelta(days=31))

    assert _run() == (
        "erased unconfirmed: 1\nerased rejected: 0\nerased expired_submissions: 0\n"
        "erased contact_messages: 0\n"
    )
    assert Member.objects.get(pk=member.pk).status == Member.Status.WITHDRAWN


def test_dry_run_says_what_it_would_erase(make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - timedelta(days=31))

    assert "would erase unconfirmed: 1\n" in _run("--dry-run")
    assert Member.objects.get(pk=member.pk).status == Member.Status.UNCONFIRMED


def test_periods_come_from_the_settings(make_member, settings):
    settings.RETENTION_UNCONFIRMED_DAYS = 3
    member = make_member(status=Member.Status.UNCONFIRMED)
    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - timedelta(days=4))

    assert "erased unconfirmed: 1\n" in _run()
