"""The member's language (issue 18): stored from the survey, changeable on the
profile page, and every e-mail to the member written in it, whatever language
the person or staff member who triggered it reads."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from registry.models import Member
from registry.services.freshness import member_freshness_prompt_email
from registry.services.review import member_verify
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.admin.pages import review_url
from tests.factories import REGISTER_URL, html_body, survey_payload

pytestmark = pytest.mark.django_db

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur"}


def urdu(text: str) -> str:
    """The Urdu catalogue's translation, which must differ from the English."""
    with translation.override("ur"):
        translated = gettext(text)
    assert translated != text, f"not translated: {text!r}"
    return translated


def test_a_survey_read_in_urdu_stores_urdu_and_the_confirmation_is_in_urdu(submit, mailoutbox):
    response = submit(REGISTER_URL, survey_payload(), **URDU)

    assert response.status_code == 302
    assert Member.objects.get().language == "ur"
    (message,) = mailoutbox
    assert message.subject == urdu("Please confirm your DORIN registration")
    assert urdu("DORIN, the Diaspora Outreach Research and Innovation Network") in message.body
    assert 'lang="ur" dir="rtl"' in html_body(message)


def test_the_survey_offers_both_languages_with_the_one_it_is_read_in_chosen(client):
    html = client.get(REGISTER_URL, **URDU).content.decode()

    urdu_option = html.split('name="language" value="ur"')[1].split(">")[0]
    english_option = html.split('name="language" value="en"')[1].split(">")[0]
    assert "checked" in urdu_option
    assert "checked" not in english_option
    assert "English" in html and "اردو" in html


def test_a_person_may_pick_the_other_language_for_the_e_mails(submit, mailoutbox):
    submit(REGISTER_URL, survey_payload(language="en"), **URDU)

    assert Member.objects.get().language == "en"
    assert mailoutbox[0].subject == "Please confirm your DORIN registration"


def test_english_staff_verifying_an_urdu_member_sends_the_welcome_in_urdu(
    role_client, make_member, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_member(language="ur", full_name="Nadia Rahman")
    client = role_client("focal_point")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(member, "verify"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.subject == urdu("Welcome to DORIN: your profile is verified")
    assert urdu("What happens next") in message.body
    # A Latin-script name inside an Urdu sentence is isolated, in both parts.
    assert "\u2068Nadia Rahman\u2069" in message.body
    assert "<bdi>Nadia Rahman</bdi>" in html_body(message)


def test_an_english_member_gets_english_whatever_the_staff_language(
    make_member, focal_point, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_member(language="en", full_name="نادیہ رحمان")

    with translation.override("ur"), django_capture_on_commit_callbacks(execute=True):
        member_verify(member=member, by=focal_point)

    (message,) = mailoutbox
    assert message.subject == "Welcome to DORIN: your profile is verified"
    # An Urdu name in an English sentence is isolated too.
    assert message.body.startswith("Dear \u2068نادیہ رحمان\u2069,")
    assert "<bdi>نادیہ رحمان</bdi>" in html_body(message)


def test_the_profile_page_changes_the_language_without_a_new_review(
    client, submit, make_member, mailoutbox
):
    member = make_member(status=Member.Status.VERIFIED, language="en", email="n@example.org")
    edit = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])
    page = client.get(edit).content.decode()
    assert 'name="language"' in page

    from tests.views.test_profile import edit_payload

    payload = edit_payload(
        member,
        full_name=member.full_name,
        phone="",
        gender="",
        city=member.city,
        connection=member.connection,
        home_region="",
        highest_qualification=member.highest_qualification,
        qualification_subject="",
        qualification_institution="",
        qualification_country="",
        qualification_year="",
        job_title=member.job_title,
        organisation=member.organisation,
        sector=member.sector,
        career_stage=member.career_stage,
        years_experience="",
        primary_subfield=str(member.primary_subfield_id),
        subfields=None,
        keywords="",
        summary="",
        orcid="",
        scholar_url="",
        linkedin_url="",
        engagement_types=None,
        sdgs=None,
        home_collaborations="",
        hours_per_month="",
        willing_to_visit=None,
        consent_directory=None,
        language="ur",
    )
    assert submit(edit, payload).status_code == 302

    member.refresh_from_db()
    assert member.language == "ur"
    assert member.status == Member.Status.VERIFIED
    withdraw = reverse(
        "registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)]
    )
    submit(withdraw, {"confirm": "1"})
    assert mailoutbox[-1].subject == urdu("Your DORIN profile has been deleted")


def test_the_freshness_prompt_is_in_the_member_language(
    make_member, mailoutbox, django_capture_on_commit_callbacks
):
    member = make_member(status=Member.Status.VERIFIED, language="ur")
    Member.objects.filter(pk=member.pk).update(freshness_prompted_at=timezone.now())

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        sent = member_freshness_prompt_email(
            member_id=member.pk,
            reminder=False,
            absolute_url=lambda path: "https://dorin.example" + path,
        )

    assert sent
    (message,) = mailoutbox
    assert message.subject == urdu("Is your DORIN profile still current?")
