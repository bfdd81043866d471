"""The public forms answer the same way, after the same work, for every address.

What the registry stores and which e-mail it sends depend on whether the
address is known, so that work runs as a task after the response (issue 13:
the timing of the answer told known addresses from new ones). Here the tasks
go to the database backend, as in production, and run only when a worker
runs them, so the tests see what the request itself does. Timing is measured
in bench/ (bench/timing.py); the tests check its cause: the same queries,
the same response, nothing stored or sent before the worker runs.
"""

import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from registry.models import Member, PendingRegistration
from registry.survey import survey_answers_to_json
from registry.tasks import registration_submit
from registry.tokens import WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, link_to, survey_payload

pytestmark = pytest.mark.django_db

KNOWN = "known@example.org"
UNCONFIRMED = "unconfirmed@example.org"
NEW = "new@example.org"
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def addresses(make_member):
    make_member(email=KNOWN, full_name="Known Person", status=Member.Status.VERIFIED)
    make_member(email=UNCONFIRMED, status=Member.Status.UNCONFIRMED, source=Member.Source.SURVEY)


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks):
    """Run the queued tasks as `manage.py db_worker` does, and what they leave for the commit."""

    def run():
        # The worker closes connections it thinks stale; here the connection
        # holds the test's transaction, which must stay open.
        with (
            mock.patch(f"{db_worker.__name__}.close_old_connections"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


def _shape(sql: str) -> str:
    # The statement without its values: quoted text and numbers.
    return re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", sql)


def answer(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, [_shape(q["sql"]) for q in queries.captured_queries]


@pytest.mark.usefixtures("addresses", "no_rate_limits")
@pytest.mark.parametrize(
    ("url", "payload"),
    [
        (REGISTER_URL, lambda email: survey_payload(email=email)),
        (PROFILE_URL, lambda email: {"email": email}),
    ],
    ids=["survey", "link request"],
)
def test_known_unconfirmed_and_new_addresses_get_the_same_answer_after_the_same_queries(
    client, url, payload
):
    # The first survey a process validates reads the taxonomy it offers, once
    # per taxonomy version and whatever the address: an answer refused for
    # its empty address does that here, before the three compared.
    assert answer(client, url, {**payload(NEW), "email": ""})[0].status_code == 200
    answers = {email: answer(client, url, payload(email)) for email in (KNOWN, UNCONFIRMED, NEW)}

    responses = [response for response, _ in answers.values()]
    assert {r.status_code for r in responses} == {302}
    assert len({(r["Location"], r.content) for r in responses}) == 1
    query_shapes = [shapes for _, shapes in answers.values()]
    assert query_shapes[0] == query_shapes[1] == query_shapes[2]
    # Nothing stored and nothing sent yet, whatever the address.
    assert Member.objects.count() == 2
    assert not PendingRegistration.objects.exists()
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 3


@pytest.mark.usefixtures("addresses")
def test_the_worker_stores_the_registration_and_sends_each_owner_their_e_mail(client, run_worker):
    for email in (KNOWN, UNCONFIRMED, NEW):
        client.post(REGISTER_URL, survey_payload(email=email))

    run_worker()

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    new = Member.objects.get(email=NEW)
    assert new.status == Member.Status.UNCONFIRMED
    assert PendingRegistration.objects.filter(email__in=[NEW, UNCONFIRMED]).count() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([KNOWN, UNCONFIRMED, NEW])
    assert "already registered" in by_address[KNOWN].body
    assert link_to(by_address[NEW], "registry:confirm").startswith("/register/confirm/")
    assert link_to(by_address[UNCONFIRMED], "registry:confirm").startswith("/register/confirm/")


@pytest.mark.usefixtures("addresses")
def test_the_worker_sends_the_links_a_visitor_asked_for(client, run_worker):
    client.post(PROFILE_URL, {"email": KNOWN})
    client.post(PROFILE_URL, {"email": NEW})

    run_worker()

    (message,) = mail.outbox
    assert message.to == [KNOWN]
    assert link_to(message, "registry:profile_edit").startswith("/profile/edit/")


def test_a_registration_task_run_twice_stores_and_sends_once(
    db, django_capture_on_commit_callbacks
):
    arguments = {
        "answers": survey_answers_to_json(_survey_data()),
        "base_url": "https://dorin.example.gov/",
        "submission": "0b7f3c1e-0000-4000-8000-000000000001",
    }

    with django_capture_on_commit_callbacks(execute=True):
        registration_submit.call(**arguments)
        registration_submit.call(**arguments)

    assert Member.objects.filter(email=NEW).count() == 1
    assert PendingRegistration.objects.count() == 1
    (message,) = mail.outbox
    assert "https://dorin.example.gov/register/confirm/" in message.body


def test_the_task_arguments_are_plain_json_with_ids_not_rows(db):
    answers = survey_answers_to_json(_survey_data())

    assert isinstance(answers["primary_subfield"], int)
    assert all(isinstance(pk, int) for pk in answers["subfields"])
    assert answers["country"] == "GB"


def _survey_data() -> dict:
    from registry.models import Subfield

    return {
        "full_name": "Amina Khan",
        "email": NEW,
        "country": "GB",
        "connection": Member.Connection.CITIZEN,
        "highest_qualification": Member.Qualification.PHD,
        "sector": Member.Sector.ACADEMIA,
        "career_stage": Member.CareerStage.R2,
        "primary_subfield": Subfield.objects.get(code="1.3"),
        "subfields": list(Subfield.objects.filter(code__in=["1.1", "1.2"])),
        "consent_processing": True,
    }


def test_withdrawal_erases_the_finished_tasks_that_held_the_address(client, run_worker):
    client.post(REGISTER_URL, survey_payload(email=NEW))
    client.post(PROFILE_URL, {"email": NEW})
    client.post(REGISTER_URL, survey_payload(email="someone.else@example.org"))
    run_worker()
    client.get(link_to(mail.outbox[0], "registry:confirm"))
    member = Member.objects.get(email=NEW)
    path = reverse(
        "registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)]
    )

    with override_settings(TASKS={"default": {"BACKEND": IMMEDIATE}}):
        assert client.post(path).status_code == 302

    left = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert len(left) == 1
    assert NEW not in str(left)
