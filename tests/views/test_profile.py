"""Self-service: asking for a link, updating the profile, withdrawing."""

import re
import time
from unittest import mock

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from registry.models import ExpertiseCluster, Member
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.services.members import member_update
from registry.services.withdrawal import TOMBSTONE_FIELDS
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, html_body, link_to, survey_payload

pytestmark = pytest.mark.django_db

LINK_SENT_URL = reverse("registry:profile_link_sent")


def edit_url(member, kind=UPDATE):
    return reverse("registry:profile_edit", args=[link_token_make(member=member, kind=kind)])


def withdraw_url(member, kind=WITHDRAW):
    return reverse("registry:profile_withdraw", args=[link_token_make(member=member, kind=kind)])


@pytest.fixture
def amina(make_member, subfield, engagement_types, sdgs):
    """A verified member with every personal field and relation filled in."""
    return make_member(
        status=Member.Status.VERIFIED,
        source=Member.Source.SURVEY,
        full_name="Amina Khan",
        email="amina.khan@example.org",
        phone="+44 20 7946 0958",
        gender=Member.Gender.FEMALE,
        city="London",
        home_region="Punjab",
        qualification_subject="Medical physics",
        qualification_institution="University of Oxford",
        qualification_country="GB",
        qualification_year=2012,
        job_title="Consultant physicist",
        organisation="Guy's and St Thomas' Hospital",
        years_experience=12,
        primary_subfield=subfield("3.2"),
        subfields=[subfield("1.3")],
        keywords="medical physics, nuclear medicine",
        summary="Quantitative PET imaging.",
        orcid="0000-0002-1825-0097",
        scholar_url="https://scholar.google.com/citations?user=abc",
        linkedin_url="https://www.linkedin.com/in/amina-khan",
        website_url="https://amina.example.org",
        engagement_types=engagement_types[:2],
        sdgs=sdgs[2:3],
        international_projects=[],
        home_collaborations="Teaching at a national university.",
        hours_per_month=8,
        willing_to_visit=True,
        consent_contact=True,
        consent_directory=True,
        staff_notes="Met her at the embassy reception.",
        review_reason="Checked with her institute.",
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
    )


def edit_payload(member, **overrides):
    """The pre-filled edit form as the browser would send it back."""
    values = {"email": member.email, "homepage": None}
    values.update(overrides)
    return survey_payload(**values)


# Asking for a link.


def test_profile_page_asks_for_the_address(client):
    html = client.get(PROFILE_URL).content.decode()
    assert 'name="email"' in html
    assert "Send me a link" in html


def test_known_address_gets_update_and_withdraw_links(client, submit, amina, mailoutbox):
    response = submit(PROFILE_URL, {"email": " AMINA.KHAN@example.org "})

    assert response.status_code == 302
    assert response["Location"] == LINK_SENT_URL
    (message,) = mailoutbox
    assert message.to == ["amina.khan@example.org"]
    assert "You asked for a link" in message.body
    assert client.get(link_to(message, "registry:profile_edit")).status_code == 200
    assert client.get(link_to(message, "registry:profile_withdraw")).status_code == 200
    assert link_to(message, "registry:profile_edit") in html_body(message)


def test_unknown_address_gets_the_same_page_and_no_e_mail(client, submit, amina, mailoutbox):
    known = submit(PROFILE_URL, {"email": "amina.khan@example.org"})
    unknown = submit(PROFILE_URL, {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.content == unknown.content
    assert len(mailoutbox) == 1
    html = client.get(LINK_SENT_URL).content.decode()
    assert "If this address is registered" in html


def test_unconfirmed_member_asking_for_a_link_gets_the_confirmation_again(
    client, submit, make_member, mailoutbox
):
    member = make_member(status=Member.Status.UNCONFIRMED, email="new@example.org")
    submit(PROFILE_URL, {"email": "new@example.org"})

    (message,) = mailoutbox
    client.post(link_to(message, "registry:confirm"))
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED


def test_invalid_address_is_shown_again_with_an_error(client):
    response = client.post(PROFILE_URL, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an e-mail address such as name@example.org." in response.content.decode()


def test_link_requests_for_one_address_are_limited_whether_or_not_it_is_known(submit, amina):
    for email in ("amina.khan@example.org", "nobody@example.org"):
        statuses = [submit(PROFILE_URL, {"email": email}).status_code for _ in range(4)]
        assert statuses == [302, 302, 302, 429]


def test_link_requests_from_one_ip_are_limited(submit, settings):
    settings.RATELIMIT_LINK_REQUESTS_PER_IP = 2
    statuses = [submit(PROFILE_URL, {"email": f"p{n}@example.org"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_a_limited_link_request_keeps_the_address_and_says_when(submit, settings):
    settings.RATELIMIT_LINK_REQUESTS_PER_IP = 1
    five_to = (int(time.time()) // 3600) * 3600 + 3300
    with mock.patch("registry.ratelimit.time.time", return_value=five_to):
        submit(PROFILE_URL, {"email": "first@example.org"})
        response = submit(PROFILE_URL, {"email": "second@example.org"})

    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    html = response.content.decode()
    assert "please send it again in 5 minutes" in html
    assert 'value="second@example.org"' in html


def test_link_request_honeypot_is_dropped_silently(submit, amina, mailoutbox):
    response = submit(PROFILE_URL, {"email": "amina.khan@example.org", "homepage": "x"})
    assert response["Location"] == LINK_SENT_URL
    assert mailoutbox == []


# Updating.


def test_update_link_opens_the_survey_pre_filled(client, amina):
    response = client.get(edit_url(amina))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Amina Khan"' in html
    assert 'value="London"' in html
    email = re.search(r'<input type="email" name="email"[^>]*>', html).group(0)
    assert 'value="amina.khan@example.org"' in email
    assert "disabled" in email
    assert re.search(rf'<option value="{amina.primary_subfield_id}" selected>', html)
    assert 'name="homepage"' not in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    withdraw = re.search(r'href="(/profile/withdraw/[^"]+)"', html).group(1)
    assert client.get(withdraw).status_code == 200


def test_saving_updates_the_profile_and_sends_a_verified_one_back_to_review(
    client, submit, amina, subfield
):
    response = submit(
        edit_url(amina),
        edit_payload(amina, city="Manchester", primary_subfield=str(subfield("3.1").pk)),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:profile_saved")
    amina.refresh_from_db()
    assert amina.city == "Manchester"
    assert amina.primary_subfield == subfield("3.1")
    assert amina.status == Member.Status.SUBMITTED
    assert "Your changes are saved" in client.get(response["Location"]).content.decode()


def test_saving_without_a_change_keeps_a_verified_profile_verified(submit, amina):
    payload = edit_payload(
        amina,
        full_name=amina.full_name,
        phone=amina.phone,
        city=amina.city,
        connection=amina.connection,
        home_region=amina.home_region,
        highest_qualification=amina.highest_qualification,
        qualification_subject=amina.qualification_subject,
        qualification_institution=amina.qualification_institution,
        job_title=amina.job_title,
        organisation=amina.organisation,
        sector=amina.sector,
        career_stage=amina.career_stage,
        keywords=amina.keywords,
        summary=amina.summary,
        orcid=amina.orcid,
        scholar_url=amina.scholar_url,
        website_url=amina.website_url,
        engagement_types=[str(e.pk) for e in amina.engagement_types.all()],
        hours_per_month="8",
        consent_directory="on",
    )
    before = amina.updated_at

    assert submit(edit_url(amina), payload).status_code == 302

    amina.refresh_from_db()
    assert amina.status == Member.Status.VERIFIED
    assert amina.updated_at > before


def test_a_submitted_profile_stays_submitted_after_an_edit(submit, make_member):
    member = make_member(email="amina.khan@example.org")
    submit(edit_url(member), edit_payload(member, city="Leeds"))
    member.refresh_from_db()
    assert (member.city, member.status) == ("Leeds", Member.Status.SUBMITTED)


def test_update_link_stays_usable_after_a_save(client, submit, amina):
    url = edit_url(amina)
    withdraw = withdraw_url(amina)
    assert submit(url, edit_payload(amina, city="Manchester")).status_code == 302

    again = submit(url, edit_payload(amina, city="Leeds"))

    assert again.status_code == 302
    amina.refresh_from_db()
    assert amina.city == "Leeds"
    assert "Leeds" in client.get(url).content.decode()
    # The withdraw link sent in the same e-mail still works after the edits.
    assert "Withdraw your profile?" in client.get(withdraw).content.decode()


def test_update_link_survives_a_change_by_staff_but_not_a_new_address(client, amina):
    url = edit_url(amina)
    member_update(member=amina, data={"staff_notes": "Called her."})
    assert client.get(url).status_code == 200

    member_update(member=amina, data={"email": "amina@elsewhere.example"})
    assert client.get(url).status_code == 400


def test_update_link_expires_after_24_hours(client, amina):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 25 * 3600):
        url = edit_url(amina)
    assert client.get(url).status_code == 400
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 23 * 3600):
        url = edit_url(amina)
    assert client.get(url).status_code == 200


def test_update_and_withdraw_links_do_not_stand_in_for_each_other(client, submit, amina):
    assert client.get(edit_url(amina, kind=WITHDRAW)).status_code == 400
    assert client.get(withdraw_url(amina, kind=UPDATE)).status_code == 400
    assert submit(withdraw_url(amina, kind=UPDATE), {}).status_code == 400
    amina.refresh_from_db()
    assert amina.status == Member.Status.VERIFIED


def test_the_address_cannot_be_changed_through_the_link(submit, amina):
    submit(edit_url(amina), edit_payload(amina, email="mallory@example.org", city="Leeds"))
    amina.refresh_from_db()
    assert amina.email == "amina.khan@example.org"
    assert amina.city == "Leeds"


def test_update_ignores_fields_that_are_not_in_the_survey(submit, make_member):
    member = make_member(email="amina.khan@example.org")
    submit(
        edit_url(member),
        edit_payload(member, status="verified", staff_notes="ok", email_confirmed_at="2020-01-01"),
    )
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED
    assert member.staff_notes == ""


def test_a_validation_error_keeps_the_link_usable(submit, amina):
    url = edit_url(amina)
    response = submit(url, edit_payload(amina, full_name=""))
    assert response.status_code == 200
    assert "Enter your full name." in response.content.decode()

    assert submit(url, edit_payload(amina, city="Leeds")).status_code == 302


def test_saving_records_consent_again_when_the_privacy_notice_changed(submit, make_member):
    member = make_member(email="amina.khan@example.org", privacy_notice_version="2020-01")
    submit(edit_url(member), edit_payload(member))
    member.refresh_from_db()
    assert member.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert member.consent_processing_at is not None


# Withdrawing.


def _log_entry(member):
    user = get_user_model().objects.create_user(f"staff{member.pk}", password="x" * 16)
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(member.pk),
        object_repr=member.full_name,
        action_flag=CHANGE,
        change_message="Changed staff notes.",
    )


def test_withdraw_link_asks_for_confirmation_first(client, amina):
    response = client.get(withdraw_url(amina))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Withdraw your profile?" in html
    assert "Yes, erase my personal data" in html
    assert 'name="csrfmiddlewaretoken"' in html
    amina.refresh_from_db()
    assert amina.status == Member.Status.VERIFIED


def test_withdrawal_erases_every_personal_field_and_keeps_a_tombstone(submit, amina, subfield):
    nuclear = ExpertiseCluster.objects.get(slug="nuclear-science-medicine")
    assert amina.clusters.filter(pk=nuclear.pk).exists()
    created_at, country = amina.created_at, amina.country

    response = submit(withdraw_url(amina), {})

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:withdrawn")
    member = Member.objects.get(pk=amina.pk)
    assert member.status == Member.Status.WITHDRAWN
    for name in (
        "full_name",
        "email",
        "phone",
        "gender",
        "city",
        "home_region",
        "qualification_subject",
        "qualification_institution",
        "qualification_country",
        "job_title",
        "organisation",
        "keywords",
        "summary",
        "orcid",
        "scholar_url",
        "linkedin_url",
        "website_url",
        "home_collaborations",
        "staff_notes",
        "review_reason",
        "search_document",
        "name_key",
        "organisation_key",
    ):
        assert getattr(member, name) == "", name
    for name in ("qualification_year", "years_experience", "hours_per_month", "duplicate_of"):
        assert getattr(member, name) is None, name
    for name in ("willing_to_visit", "consent_processing", "consent_contact", "consent_directory"):
        assert getattr(member, name) is False, name
    for name in ("subfields", "engagement_types", "sdgs", "international_projects", "clusters"):
        assert not getattr(member, name).exists(), name
    # The tombstone: dates and coarse, non-identifying statistics.
    assert member.created_at == created_at
    assert member.country == country
    assert member.primary_subfield == subfield("3.2")
    assert (member.sector, member.career_stage, member.highest_qualification) == (
        amina.sector,
        amina.career_stage,
        amina.highest_qualification,
    )
    assert member.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert str(member) == f"Withdrawn member #{member.pk}"


def test_every_column_outside_the_tombstone_is_erased(submit, amina):
    submit(withdraw_url(amina), {})
    member = Member.objects.get(pk=amina.pk)
    for field in Member._meta.concrete_fields:
        if field.name not in TOMBSTONE_FIELDS:
            assert getattr(member, field.attname) == field.get_default(), field.name


def test_withdrawal_deletes_the_admin_log_entries_about_the_member(submit, amina, make_member):
    other = make_member(full_name="Bilal Ahmed")
    _log_entry(amina)
    kept = _log_entry(other)

    submit(withdraw_url(amina), {})

    member_type = ContentType.objects.get_for_model(Member)
    assert not LogEntry.objects.filter(content_type=member_type, object_id=str(amina.pk)).exists()
    assert list(LogEntry.objects.all()) == [kept]
    assert not LogEntry.objects.filter(object_repr__contains="Amina").exists()


def test_withdrawal_erases_the_change_history_of_the_member(submit, amina, make_member):
    from registry.services.history import HistoricalMember, _history_relation_models

    other = make_member(full_name="Bilal Ahmed")
    # An edit leaves a history row that still holds the old name.
    amina.full_name = "Amina K."
    amina.save()
    assert HistoricalMember.objects.filter(id=amina.pk, full_name="Amina Khan").exists()
    others_rows = HistoricalMember.objects.filter(id=other.pk).count()

    submit(withdraw_url(amina), {})

    assert not HistoricalMember.objects.filter(id=amina.pk).exists()
    for model in _history_relation_models():
        assert not model.objects.filter(member_id=amina.pk).exists()
    assert not HistoricalMember.objects.filter(full_name__contains="Amina").exists()
    assert HistoricalMember.objects.filter(id=other.pk).count() == others_rows


def test_withdrawal_sends_a_last_e_mail_to_the_erased_address(submit, amina, mailoutbox):
    submit(withdraw_url(amina), {})

    (message,) = mailoutbox
    assert message.to == ["amina.khan@example.org"]
    assert "Dear Amina Khan," in message.body
    assert "erased your personal data" in message.body
    assert "Guy's" not in message.body and "London" not in message.body


def test_withdrawal_links_work_once_and_kill_the_update_link(client, submit, amina):
    update = edit_url(amina)
    withdraw = withdraw_url(amina)
    submit(withdraw, {})

    assert client.get(withdraw).status_code == 400
    assert submit(withdraw, {}).status_code == 400
    assert client.get(update).status_code == 400


def test_withdraw_requires_the_csrf_token(amina):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(withdraw_url(amina), {})
    assert response.status_code == 403
    amina.refresh_from_db()
    assert amina.status == Member.Status.VERIFIED


def test_a_withdrawn_person_can_register_again(submit, amina, mailoutbox):
    submit(withdraw_url(amina), {})
    mailoutbox.clear()

    submit(REGISTER_URL, survey_payload(email="amina.khan@example.org"))

    assert Member.objects.filter(email="amina.khan@example.org").count() == 1
    assert Member.objects.count() == 2
    (message,) = mailoutbox
    assert "/register/confirm/" in message.body


def test_withdrawn_page_says_it_is_done(client):
    html = client.get(reverse("registry:withdrawn")).content.decode()
    assert "Your profile has been withdrawn" in html
