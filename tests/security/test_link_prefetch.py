"""Link pre-fetch by a mail scanner (issue 17).

Corporate mail gateways and some mail programs open every link in an e-mail
before the person does. Opening a link must change nothing; the person's own
click, then the button on the page, confirms, exactly once.
"""

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Member
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.factories import REGISTER_URL, link_to, survey_payload

pytestmark = pytest.mark.django_db


def test_link_pre_fetch_by_a_scanner_then_the_member_s_click_confirms_exactly_once(
    client, submit, mailoutbox
):
    submit(REGISTER_URL, survey_payload())
    (message,) = mailoutbox
    path = link_to(message, "registry:confirm")

    # The scanner: another client, with no cookies, fetching the link.
    scanner = Client()
    assert scanner.head(path).status_code == 200
    assert scanner.get(path).status_code == 200
    assert Member.objects.get().status == Member.Status.UNCONFIRMED

    # The member: the link (again), then the button, then a double click.
    assert "Confirm my registration" in client.get(path).content.decode()
    responses = [client.post(path), client.post(path), scanner.get(path)]

    assert [r.status_code for r in responses] == [302, 200, 200]
    assert "already confirmed" in responses[1].content.decode()
    member = Member.objects.get()
    assert member.status == Member.Status.SUBMITTED
    # Exactly one confirmation in the history, and no e-mail beyond the first.
    assert member.history.filter(status=Member.Status.SUBMITTED).count() == 1
    assert len(mailoutbox) == 1


def test_a_scanner_fetching_update_and_withdraw_links_spends_nothing(client, make_member):
    member = make_member(status=Member.Status.VERIFIED)
    edit = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])
    withdraw = reverse(
        "registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)]
    )

    scanner = Client()
    assert [scanner.get(edit).status_code, scanner.get(withdraw).status_code] == [200, 200]

    assert client.get(edit).status_code == 200
    assert client.post(withdraw).status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN
