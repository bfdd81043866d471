"""The public directory (issue 17): who it shows, and what its contact form can do.

The directory never shows a member who did not consent, is not verified or
has withdrawn, nor anyone's e-mail address or phone number. Its contact form
reveals nothing about the member's address and cannot be used to send
arbitrary text to arbitrary addresses: the only recipient is a listed member,
the only place the sender's address goes is the Reply-To, and the answer is
the same whatever happened.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Member
from registry.selectors.directory import directory_contact_key
from registry.services.withdrawal import member_withdraw
from registry.tokens import WITHDRAW, link_token_make
from tests.factories import html_body

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("registry:directory")
SENT_URL = reverse("registry:directory_contact_sent")
STRANGER = "stranger@example.net"
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')

HIDDEN_STATUSES = [
    Member.Status.UNCONFIRMED,
    Member.Status.SUBMITTED,
    Member.Status.REJECTED,
    Member.Status.DUPLICATE,
]


def contact_url(member_id):
    return reverse("registry:directory_contact", args=[directory_contact_key(member_id=member_id)])


@pytest.fixture
def population(make_member, subfield):
    """One member listed; the others each miss one condition. Names say which."""
    people = {
        "listed": make_member(
            status=Member.Status.VERIFIED,
            consent_directory=True,
            full_name="Listed Person",
            email="listed.private@example.org",
            phone="+44 111 222 333",
        ),
        "no_consent": make_member(
            status=Member.Status.VERIFIED,
            consent_directory=False,
            full_name="Unconsenting Person",
            email="noconsent.private@example.org",
        ),
    }
    for status in HIDDEN_STATUSES:
        people[status] = make_member(
            status=status,
            consent_directory=True,
            full_name=f"Hidden {status.label} Person",
            email=f"{status}.private@example.org",
            phone="+44 999 888 777",
        )
    withdrawn = make_member(
        status=Member.Status.VERIFIED,
        consent_directory=True,
        full_name="Withdrawn Person",
        email="withdrawn.private@example.org",
        primary_subfield=subfield("1.1"),
    )
    member_withdraw(token=link_token_make(member=withdrawn, kind=WITHDRAW))
    people["withdrawn"] = Member.objects.get(pk=withdrawn.pk)
    assert people["withdrawn"].status == Member.Status.WITHDRAWN
    return people


def directory_pages(client, member):
    """Every view of the directory that could list the member."""
    queries = [
        {},
        {"country": member.country.code or ""},
        {"subfield": member.primary_subfield_id},
        {"field": member.primary_subfield.field_id},
        {"page": 2},
    ]
    return [client.get(DIRECTORY_URL, q).content.decode() for q in queries]


def test_directory_never_shows_a_non_consenting_unverified_or_withdrawn_member(client, population):
    for key, member in population.items():
        for page in directory_pages(client, member):
            assert "private@example.org" not in page
            assert "+44" not in page
            if key != "listed":
                assert "Person" not in page.replace("Listed Person", "")
                assert contact_url(member.pk) not in page
    assert "1 member listed" in client.get(DIRECTORY_URL).content.decode()


def test_hidden_members_cannot_be_written_to_even_with_a_valid_key(
    client, population, submit, mailoutbox
):
    for key, member in population.items():
        if key == "listed":
            continue
        url = contact_url(member.pk)
        assert client.get(url).status_code == 404
        response = submit(url, {"name": "A", "email": "a@example.net", "message": "Hello"})
        assert response.status_code == 302 and response["Location"] == SENT_URL
    assert mailoutbox == []


def comparable(response) -> dict:
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "body": CSRF_TOKEN.sub(r"\1TOKEN\2", response.content.decode()),
    }


def test_contact_form_answers_the_same_whatever_happens(
    population, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Sent, dropped as spam, dropped over the member's daily limit, member gone: one answer."""
    settings.RATELIMIT_DIRECTORY_PER_MEMBER = 1
    listed = population["listed"]
    url = contact_url(listed.pk)
    message = {"name": "Sara", "email": "sara@example.net", "message": "Hello"}

    def post(**extra):
        with django_capture_on_commit_callbacks(execute=True):
            return comparable(Client().post(url, {**message, **extra}))

    sent = post()
    over_limit = post()
    spam = post(homepage="x")
    Member.objects.filter(pk=listed.pk).update(consent_directory=False)
    gone = post()
    assert sent == over_limit == spam == gone
    assert len(mailoutbox) == 1


def test_contact_pages_never_reveal_the_address(client, population):
    listed = population["listed"]
    url = contact_url(listed.pk)
    pages = [client.get(url), client.post(url, {"name": "", "email": "x", "message": ""})]
    message = {"name": "S", "email": "s@example.net", "message": "Hi"}
    pages.append(client.post(url, message, follow=True))
    for response in pages:
        text = response.content.decode()
        assert "listed.private" not in text
        assert "+44" not in text
    # The key stands for the member without carrying the address.
    assert "listed.private" not in url and "example.org" not in url


def test_forged_or_tampered_keys_are_not_found(client, population):
    listed = population["listed"]
    key = directory_contact_key(member_id=listed.pk)
    for bad in (key[:-2] + "xx", str(listed.pk), "listed.private@example.org", "a" * 300):
        assert client.get(reverse("registry:directory_contact", args=[bad])).status_code == 404


def test_cannot_send_to_an_arbitrary_address(population, submit, mailoutbox):
    """Extra fields naming a recipient are ignored; the sender gets no copy."""
    listed = population["listed"]
    submit(
        contact_url(listed.pk),
        {
            "name": "Sara",
            "email": STRANGER,
            "message": "Arbitrary text",
            "to": "victim@example.com",
            "cc": "victim@example.com",
            "recipient": "victim@example.com",
        },
    )
    [message] = mailoutbox
    assert message.recipients() == ["listed.private@example.org"]
    assert message.reply_to == [STRANGER]
    assert "victim" not in str(message.message())


@pytest.mark.parametrize(
    "email",
    [
        "sara@example.net\r\nBcc: victim@example.com",
        "sara@example.net\nTo: victim@example.com",
        "victim@example.com, sara@example.net",
    ],
)
def test_header_injection_through_the_sender_address_is_refused(
    client, population, mailoutbox, email
):
    response = client.post(
        contact_url(population["listed"].pk), {"name": "S", "email": email, "message": "Hi"}
    )
    assert response.status_code == 200
    assert mailoutbox == []


def test_a_link_like_sender_name_is_not_repeated(population, submit, mailoutbox):
    submit(
        contact_url(population["listed"].pk),
        {"name": "DORIN admin: log in at evil.example", "email": "s@example.net", "message": "Hi"},
    )
    [message] = mailoutbox
    assert "evil" not in message.body and "evil" not in html_body(message)
    assert "s@example.net has written to you" in message.body


def test_hostile_message_is_escaped_in_the_html_mail(population, submit, mailoutbox):
    submit(
        contact_url(population["listed"].pk),
        {"name": "<b>S</b>", "email": "s@example.net", "message": "<script>alert(1)</script>"},
    )
    html = html_body(mailoutbox[0])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>S</b>" not in html


def test_contact_page_sends_only_to_the_focal_point(client, submit, mailoutbox, settings):
    settings.FOCAL_POINT_EMAIL = "focal@mofa.example"
    submit(
        reverse("registry:contact"),
        {
            "name": "S",
            "email": STRANGER,
            "subject": "Hello",
            "message": "Arbitrary text",
            "to": "victim@example.com",
        },
    )
    [message] = mailoutbox
    assert message.recipients() == ["focal@mofa.example"]
    assert message.reply_to == [STRANGER]
