"""Faults half-way through a write leave nothing behind; a mail server that
fails after the commit loses nothing and is logged."""

import logging
import socket
from unittest import mock

import pytest
from django.db.models.query import QuerySet
from django.test import Client
from django.urls import reverse

from registry.models import Member
from registry.services import withdrawal
from registry.tokens import CONFIRM, UPDATE, WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db


class InjectedFault(Exception):
    """Raised by a test in the middle of a write."""


def every_row() -> dict:
    """Every member and every many-to-many row that points at one."""
    rows = {"members": list(Member.objects.order_by("pk").values())}
    for field in Member._meta.many_to_many:
        through = field.remote_field.through
        rows[field.name] = sorted(through.objects.values_list(flat=False))
    return rows


def fail_when_linking(relation: str):
    """Make the insert of the rows of one many-to-many relation fail."""
    through = getattr(Member, relation).through
    original = QuerySet.bulk_create

    def bulk_create(queryset, objs, *args, **kwargs):
        if queryset.model is through:
            raise InjectedFault(f"linking {relation}")
        return original(queryset, objs, *args, **kwargs)

    return mock.patch.object(QuerySet, "bulk_create", bulk_create)


@pytest.fixture
def server():
    """A client that gets the 500 page instead of the exception."""
    return Client(raise_request_exception=False)


FAULTS = {
    "linking_subfields": lambda: fail_when_linking("subfields"),
    "linking_sdgs": lambda: fail_when_linking("sdgs"),
    "syncing_clusters": lambda: mock.patch(
        "registry.services.members.member_sync_clusters", side_effect=InjectedFault("clusters")
    ),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_after_the_member_row_is_written_leaves_no_member_and_sends_no_e_mail(
    server, mailoutbox, django_capture_on_commit_callbacks, fault
):
    with fault(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = server.post(REGISTER_URL, survey_payload())

    # The registration runs as a task after the response: the visitor sees
    # the usual page, and the failed task (logged by the task framework)
    # leaves nothing behind.
    assert response.status_code == 302
    assert every_row() == {"members": [], **{f.name: [] for f in Member._meta.many_to_many}}
    assert callbacks == [] and mailoutbox == []


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_while_saving_a_profile_keeps_the_old_profile_and_the_link_usable(
    server, make_member, subfield, sdgs, fault
):
    member = make_member(
        email="amina.khan@example.org",
        subfields=[subfield("1.1")],
        sdgs=sdgs[:1],
        status=Member.Status.VERIFIED,
    )
    url = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])
    before = every_row()
    changes = survey_payload(email=None, city="Lahore", sdgs=[str(sdgs[5].pk)])

    with fault():
        response = server.post(url, changes)

    assert response.status_code == 500
    assert every_row() == before
    assert server.post(url, changes).status_code == 302
    member.refresh_from_db()
    assert member.city == "Lahore"


def test_a_fault_in_the_last_erasure_step_erases_nothing_and_the_link_still_works(
    server, make_member, monkeypatch, sdgs
):
    member = make_member(email="amina.khan@example.org", sdgs=sdgs[:2])
    url = reverse("registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)])
    before = every_row()

    def fail(member):
        raise InjectedFault("erasure")

    monkeypatch.setattr(withdrawal, "ERASURE_STEPS", (*withdrawal.ERASURE_STEPS, fail))
    assert server.post(url).status_code == 500
    assert every_row() == before

    monkeypatch.undo()
    assert server.post(url).status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN and member.full_name == ""


def test_a_fault_while_confirming_leaves_the_entry_unconfirmed_and_the_link_usable(
    server, make_member
):
    member = make_member(status=Member.Status.UNCONFIRMED, source=Member.Source.SURVEY)
    url = reverse("registry:confirm", args=[link_token_make(member=member, kind=CONFIRM)])

    with mock.patch(
        "registry.services.members.member_sync_clusters", side_effect=InjectedFault("confirm")
    ):
        assert server.post(url).status_code == 500
    member.refresh_from_db()
    assert member.status == Member.Status.UNCONFIRMED

    assert server.post(url).status_code == 302


# The mail server fails after the commit


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 5


@pytest.mark.usefixtures("mail_server_down")
def test_a_refused_smtp_connection_keeps_the_registration_and_is_logged(submit, caplog):
    with caplog.at_level(logging.ERROR, logger="registry.mail"):
        response = submit(REGISTER_URL, survey_payload())

    assert response.status_code == 302
    member = Member.objects.get()
    assert member.status == Member.Status.UNCONFIRMED
    assert member.subfields.count() == 1
    (record,) = [r for r in caplog.records if r.name == "registry.mail"]
    assert record.levelno == logging.ERROR
    assert "'confirm' e-mail could not be sent" in record.getMessage()
    assert record.exc_info is not None
    assert "amina.khan@example.org" not in caplog.text


@pytest.mark.usefixtures("mail_server_down")
def test_a_refused_smtp_connection_keeps_a_withdrawal_and_a_link_request_quiet(
    submit, make_member, caplog
):
    member = make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)
    url = reverse("registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)])

    with caplog.at_level(logging.ERROR, logger="registry.mail"):
        asked = submit(PROFILE_URL, {"email": member.email})
        withdrawn = submit(url, {})

    assert (asked.status_code, withdrawn.status_code) == (302, 302)
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN
    messages = [r.getMessage() for r in caplog.records if r.name == "registry.mail"]
    assert messages == [
        "The 'manage' e-mail could not be sent",
        "The 'withdrawn' e-mail could not be sent",
    ]


def test_a_mail_template_error_after_the_commit_keeps_the_registration(submit, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="registry.mail"),
        mock.patch("registry.mail.render_to_string", side_effect=InjectedFault("template")),
    ):
        response = submit(REGISTER_URL, survey_payload())

    assert response.status_code == 302
    assert Member.objects.filter(status=Member.Status.UNCONFIRMED).count() == 1
    assert "could not be sent" in caplog.text
