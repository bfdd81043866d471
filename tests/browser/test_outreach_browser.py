"""Acceptance: an analyst mobilises members for an opportunity, one accepts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import Invitation
from registry.models import Member, Subfield
from tests import factories

pytestmark = pytest.mark.browser


def test_analyst_invites_the_top_three_and_records_the_outcome(page, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    physics = Subfield.objects.get(code="1.3")
    for n, hours in enumerate([40, 30, 20, 0]):
        factories.make_member(
            full_name=f"Physicist {n}",
            status=Member.Status.VERIFIED,
            consent_contact=True,
            primary_subfield=physics,
            keywords="accelerator physics",
            hours_per_month=hours or None,
        )
    factories.staff_user("analyst")

    page.goto("/admin/login/?next=/staff/opportunities/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.click("text=New opportunity")
    today = timezone.localdate()
    page.fill("#id_title", "Guest lectures in accelerator physics")
    page.fill("#id_host_institution", "National Centre for Physics")
    page.select_option("#id_subfields", value=str(physics.pk))
    page.fill("#id_keywords", "accelerator physics")
    page.fill("#id_starts_on", str(today + timedelta(days=30)))
    page.fill("#id_ends_on", str(today + timedelta(days=40)))
    page.fill("#id_reply_by", str(today + timedelta(days=10)))
    page.select_option("#id_status", value="open")
    page.click("main button[type=submit]")

    rows = page.locator("table.matches tbody tr")
    assert rows.count() == 4
    assert "Physicist 0" in rows.nth(0).inner_text()
    for n in range(3):
        rows.nth(n).locator("input[type=checkbox]").check()
    page.click("#shortlist-ticked")
    page.click("#invite-shortlist")
    assert "3 invitations queued." in page.inner_text("main")
    assert "3 sent" in page.inner_text(".opportunity-counts")

    mails = "".join(path.read_text() for path in tmp_path.glob("*.log"))
    assert mails.count("Subject: Invitation: Guest lectures in accelerator physics") == 3
    first = next(block for block in mails.split("Subject: ") if "Physicist 0" in block)
    link = re.search(r"http://\S+/invitations/\S+/(?=\s)", first).group(0)

    member_page = page.context.browser.new_context().new_page()
    member_page.goto(link)
    member_page.fill("#id_availability", "March")
    member_page.click("button[value=accept]")
    assert "Thank you for your answer" in member_page.inner_text("main")
    member_page.context.close()

    page.reload()
    assert "1 accepted" in page.inner_text(".opportunity-counts")
    accepted = page.locator("tr[data-state=accepted]")
    accepted.locator("select").select_option("took_place")
    accepted.locator("input[name$=outcome_notes]").fill("Three lectures given")
    accepted.locator("button[type=submit]").click()
    assert "The outcome was recorded." in page.inner_text("main")
    invitation = Invitation.objects.get(status=Invitation.Status.ACCEPTED)
    assert invitation.outcome == "took_place"
    assert invitation.member.full_name == "Physicist 0"
    assert page.console_errors == []
