from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from registry.models import Member
from tests.factories import html_body, link_to

pytestmark = pytest.mark.django_db


def _run(capture, *args) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_freshness_prompts", *args, stdout=out)
    return out.getvalue()


def test_sends_the_prompt_with_both_links_and_prints_counts(
    make_member, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://dorin.example.org/"
    member = make_member(full_name="Amina Khan", email="amina@example.org")
    Member.objects.filter(pk=member.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=400)
    )

    out = _run(django_capture_on_commit_callbacks)

    assert out == "prompted: 1\nreminded: 0\nmarked_stale: 0\n"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["amina@example.org"]
    assert message.subject == "Is your DORIN profile still current?"
    assert "https://dorin.example.org/profile/still-current/" in message.body
    assert "https://dorin.example.org/profile/edit/" in message.body
    assert "Dear Amina Khan," in message.body
    assert "Yes, my profile is still current" in html_body(message)
    assert link_to(message, "registry:still_current")

    assert _run(django_capture_on_commit_callbacks) == "prompted: 0\nreminded: 0\nmarked_stale: 0\n"
    assert len(mailoutbox) == 1


def test_needs_the_portal_address(settings):
    settings.PORTAL_URL = ""
    with pytest.raises(CommandError, match="PORTAL_URL"):
        call_command("send_freshness_prompts", stdout=StringIO())


def test_a_member_who_answered_before_the_task_ran_gets_no_e_mail(make_member, mailoutbox):
    from registry.services.freshness import member_freshness_prompt_email

    member = make_member()
    assert not member_freshness_prompt_email(
        member_id=member.pk, reminder=False, absolute_url=lambda path: path
    )
    assert mailoutbox == []
