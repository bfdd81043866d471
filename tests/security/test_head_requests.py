"""HEAD on the public forms and the e-mailed links: answered, and nothing changes.

Link checkers and mail scanners send HEAD before (or instead of) GET. The
forms and link pages answer it as GET (same status and type, no body); the
confirmation link, whose GET confirms, answers an empty 200 and confirms
nothing, so the member's own click still works afterwards.
"""

import pytest
from django.urls import reverse

from registry.models import Member
from registry.tokens import CONFIRM, UPDATE, WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Every member row and every history row."""
    return list(Member.objects.order_by("pk").values()), Member.history.count()


@pytest.fixture
def verified(make_member):
    return make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)


def link(member, kind) -> str:
    view = {CONFIRM: "confirm", UPDATE: "profile_edit", WITHDRAW: "profile_withdraw"}[kind]
    return reverse(f"registry:{view}", args=[link_token_make(member=member, kind=kind)])


def test_head_on_the_forms_and_link_pages_answers_like_get_and_changes_nothing(
    client, verified, mailoutbox
):
    urls = [
        REGISTER_URL,
        PROFILE_URL,
        link(verified, UPDATE),
        link(verified, WITHDRAW),
        reverse("registry:profile_edit", args=["not-a-token"]),
        reverse("registry:profile_withdraw", args=["not-a-token"]),
    ]
    before = snapshot()

    for url in urls:
        head = client.head(url)
        get = client.get(url)
        assert head.status_code == get.status_code != 405, url
        assert head["Content-Type"] == get["Content-Type"], url
        assert head.content == b"", url
        assert get.content != b"", url

    assert snapshot() == before
    assert mailoutbox == []


def test_head_on_a_confirmation_link_answers_200_and_confirms_nothing(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    url = link(member, CONFIRM)
    before = snapshot()

    head = client.head(url)

    assert head.status_code == 200
    assert head.content == b""
    assert snapshot() == before
    # The member's own click, then the button, still confirms.
    assert "Confirm my registration" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED


def test_head_on_a_confirmation_link_keeps_the_link_pages_no_store(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)

    response = client.head(link(member, CONFIRM))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "trace"])
def test_other_methods_are_still_refused(client, verified, method):
    before = snapshot()

    urls = [REGISTER_URL, PROFILE_URL, link(verified, UPDATE), link(verified, WITHDRAW)]
    for url in [*urls, link(verified, CONFIRM)]:
        assert getattr(client, method)(url).status_code == 405, url

    assert snapshot() == before


def test_head_on_the_staff_export_is_refused_and_records_no_export(client, staff):
    from registry.models import ExportLog

    client.force_login(staff("analyst"))
    response = client.head(reverse("registry:staff_export"))
    assert response.status_code == 405
    assert not ExportLog.objects.exists()
