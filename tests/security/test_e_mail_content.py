"""E-mails never carry text a stranger typed, nor a link a member typed (issue 13).

Anyone may send the survey with someone else's address; the ministry then
writes to that person from its own address. Until the address is confirmed,
the e-mail repeats nothing from the survey; and no e-mail ever shows a
URL-like value from member input, which a mail program would make a link.
"""

import re

import pytest

from registry.mail import member_greeting_name
from registry.models import Member
from tests.factories import PROFILE_URL, REGISTER_URL, html_body, link_to, survey_payload

pytestmark = pytest.mark.django_db

PHISHING = "Your DORIN account is suspended, log in at http://evil.example/dorin to keep it"
VICTIM = "victim@example.org"


def assert_says_nothing_typed(message):
    for body in (message.subject, message.body, html_body(message)):
        assert "evil" not in body
        assert "suspended" not in body
        assert "log in at" not in body


def hosts_linked(message) -> set[str]:
    text = re.findall(r"https?://([^/\s]+)", message.body)
    html = re.findall(r'href="https?://([^/"]+)', html_body(message))
    return set(text) | set(html)


def test_the_confirmation_e_mail_to_a_stranger_repeats_nothing_typed(submit, mailoutbox):
    submit(REGISTER_URL, survey_payload(full_name=PHISHING, email=VICTIM))

    (message,) = mailoutbox
    assert message.to == [VICTIM]
    assert_says_nothing_typed(message)
    assert message.body.startswith("Hello,\n")
    assert hosts_linked(message) == {"testserver"}


def test_a_second_submission_for_an_unconfirmed_address_repeats_nothing_either(submit, mailoutbox):
    submit(REGISTER_URL, survey_payload(email=VICTIM))
    submit(REGISTER_URL, survey_payload(full_name=PHISHING, email=VICTIM, organisation=PHISHING))

    _, message = mailoutbox
    assert_says_nothing_typed(message)


def test_a_link_request_for_an_unconfirmed_address_repeats_nothing_typed(
    submit, make_member, mailoutbox
):
    make_member(
        full_name=PHISHING,
        email=VICTIM,
        status=Member.Status.UNCONFIRMED,
        source=Member.Source.SURVEY,
    )

    submit(PROFILE_URL, {"email": VICTIM})

    (message,) = mailoutbox
    assert_says_nothing_typed(message)


@pytest.mark.parametrize(
    "name",
    [
        PHISHING,
        "Amina evil.example",
        "www.evil.example",
        "Amina mailto:x@evil.example",
        "Amina x@evil.example",
        "Amina evil\u3002example",
        "javascript:alert(1)",
    ],
)
def test_a_confirmed_member_with_a_url_like_name_is_greeted_without_it(
    client, submit, make_member, mailoutbox, name
):
    make_member(full_name=name, email=VICTIM, status=Member.Status.VERIFIED)

    submit(PROFILE_URL, {"email": VICTIM})
    (manage,) = mailoutbox
    submit(link_to(manage, "registry:profile_withdraw"), {})
    _, withdrawn = mailoutbox

    for message in (manage, withdrawn):
        assert message.body.startswith("Hello,\n")
        assert "evil" not in message.body + html_body(message)
        assert hosts_linked(message) <= {"testserver"}


def test_a_confirmed_member_with_an_ordinary_name_is_greeted_by_name(client, submit, mailoutbox):
    submit(REGISTER_URL, survey_payload(full_name="Zoë O'Brien-Qureshi", email=VICTIM))
    client.post(link_to(mailoutbox[0], "registry:confirm"))

    submit(PROFILE_URL, {"email": VICTIM})

    assert mailoutbox[-1].body.startswith("Dear Zoë O'Brien-Qureshi,\n")


@pytest.mark.parametrize(
    ("name", "greeted"),
    [
        ("Amina Khan", True),
        ("J. R. Tolkien", True),
        ("Nguyễn Thị Minh Khai", True),
        ("عائشہ قریشی", True),
        ("A.B.Smith", False),
        ("evil.com", False),
        ("http://x", False),
    ],
)
def test_greeting_names(make_member, name, greeted):
    member = make_member(full_name=name, status=Member.Status.SUBMITTED)
    assert member_greeting_name(member=member) == (name if greeted else "")
    member.status = Member.Status.UNCONFIRMED
    assert member_greeting_name(member=member) == ""
