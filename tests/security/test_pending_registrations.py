"""Nobody can change what another person's confirmation link confirms (issue 13).

The owner registers; someone else sends the survey again for the same, still
unconfirmed address, with other answers and consents. Each submission keeps
its own answers and link, and the link followed decides what is stored.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import Member, PendingRegistration
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.tokens import CONFIRM, WITHDRAW, link_token_make
from tests.factories import REGISTER_URL, html_body, link_to, survey_payload

pytestmark = pytest.mark.django_db

OWNER = {"full_name": "Amina Khan", "organisation": "Guy's and St Thomas' Hospital"}
INTRUDER = {
    "full_name": "Mallory Intruder",
    "organisation": "Evil Corp",
    "email": "AMINA.KHAN@example.org",
    "consent_directory": "on",
    "consent_contact": None,
}


@pytest.fixture
def two_submissions(submit, mailoutbox):
    submit(REGISTER_URL, survey_payload(**OWNER))
    submit(REGISTER_URL, survey_payload(**INTRUDER))
    owner_mail, intruder_mail = mailoutbox
    return link_to(owner_mail, "registry:confirm"), link_to(intruder_mail, "registry:confirm")


def test_a_second_submission_for_an_unconfirmed_address_overwrites_nothing(two_submissions):
    member = Member.objects.get()
    assert (member.full_name, member.organisation) == (OWNER["full_name"], OWNER["organisation"])
    assert (member.consent_directory, member.consent_contact) == (False, True)
    assert PendingRegistration.objects.filter(email="amina.khan@example.org").count() == 2


def test_each_submission_gets_its_own_link(two_submissions):
    owner_link, intruder_link = two_submissions
    assert owner_link != intruder_link


def test_the_owner_s_link_stores_the_owner_s_answers_and_consents(client, two_submissions):
    owner_link, intruder_link = two_submissions

    assert client.post(owner_link).status_code == 302

    member = Member.objects.get()
    assert member.status == Member.Status.SUBMITTED
    assert (member.full_name, member.organisation) == (OWNER["full_name"], OWNER["organisation"])
    assert (member.consent_directory, member.consent_contact) == (False, True)
    assert member.privacy_notice_version == PRIVACY_NOTICE_VERSION
    # The other submission is discarded: its link confirms nothing more.
    assert not PendingRegistration.objects.exists()
    assert "already confirmed" in client.post(intruder_link).content.decode()
    assert Member.objects.get().full_name == OWNER["full_name"]


def test_the_link_followed_decides_even_when_it_is_the_later_one(client, two_submissions):
    _, intruder_link = two_submissions

    assert client.post(intruder_link).status_code == 302

    member = Member.objects.get()
    assert (member.full_name, member.consent_directory) == ("Mallory Intruder", True)
    assert member.history.filter(consent_directory=True).count() == 1


def test_consent_time_is_when_the_confirmed_submission_was_sent(client, submit, mailoutbox):
    sent = timezone.now() - timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=sent):
        submit(REGISTER_URL, survey_payload())
    submit(REGISTER_URL, survey_payload(city="Paris"))

    client.post(link_to(mailoutbox[0], "registry:confirm"))

    member = Member.objects.get()
    assert member.consent_processing_at == sent
    assert member.city == "London"


def test_pending_submissions_go_when_their_link_expires(client, submit, mailoutbox):
    eight_days_ago = timezone.now() - timedelta(days=8)
    with mock.patch("django.utils.timezone.now", return_value=eight_days_ago):
        submit(REGISTER_URL, survey_payload())
    old_link = link_to(mailoutbox[0], "registry:confirm")

    # Any later registration clears the expired ones.
    submit(REGISTER_URL, survey_payload(email="someone.else@example.org"))

    assert list(PendingRegistration.objects.values_list("email", flat=True)) == [
        "someone.else@example.org"
    ]
    for response in [client.get(old_link), client.post(old_link)]:
        assert "Confirm my registration" not in response.content.decode()
    assert Member.objects.get(email="amina.khan@example.org").status == Member.Status.UNCONFIRMED


def test_a_confirmed_address_stores_no_pending_submission(submit, make_member, mailoutbox):
    make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)

    submit(REGISTER_URL, survey_payload(**INTRUDER))

    assert not PendingRegistration.objects.exists()
    (message,) = mailoutbox
    assert "Mallory" not in message.body + html_body(message)


def test_a_confirmation_link_of_a_member_discards_the_pending_submissions(
    client, submit, make_member
):
    # An unconfirmed entry made by staff keeps its own confirmation link.
    member = make_member(email="amina.khan@example.org", status=Member.Status.UNCONFIRMED)
    PendingRegistration.objects.create(
        pk="00000000-0000-4000-8000-000000000007",
        email=member.email,
        answers={},
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        key="k" * 43,
        created_at=timezone.now(),
    )
    path = reverse("registry:confirm", args=[link_token_make(member=member, kind=CONFIRM)])
    assert client.post(path).status_code == 302
    assert not PendingRegistration.objects.exists()


def test_withdrawal_erases_pending_submissions_for_the_address(client, make_member):
    member = make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)
    PendingRegistration.objects.create(
        pk="00000000-0000-4000-8000-000000000008",
        email=member.email,
        answers={"full_name": "Amina Khan"},
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        key="w" * 43,
        created_at=timezone.now(),
    )
    path = reverse(
        "registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)]
    )

    assert client.post(path).status_code == 302
    assert not PendingRegistration.objects.exists()


def test_a_link_request_never_confirms_the_answers_a_stranger_sent_first(
    client, submit, mailoutbox
):
    # The intruder sends the survey first for the owner's address; the owner,
    # who never saw a confirmation e-mail, asks for a link on the profile page.
    submit(REGISTER_URL, survey_payload(**INTRUDER))
    mailoutbox.clear()

    submit(reverse("registry:profile"), {"email": "amina.khan@example.org"})

    (message,) = mailoutbox
    assert message.subject == "Your DORIN registration is not confirmed yet"
    assert reverse("registry:register") in message.body
    assert "/confirm/" not in message.body and "/confirm/" not in html_body(message)
    assert Member.objects.get().status == Member.Status.UNCONFIRMED
