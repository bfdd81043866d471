"""Stalled export downloads cannot take the site down (issue 13, item 4).

A client that starts a CSV download and stops reading holds a request thread,
and on PostgreSQL a transaction, for as long as it stalls. The tests play such
clients with the test client: they read the first pieces of a streaming
response and stop, and "go away" by closing the response as a WSGI server
does. Downloads beyond EXPORTS_PER_USER for one account, or EXPORTS_PER_SERVER
on the site, get the "an export is already running" page (429); PostgreSQL
ends an export's transaction whose client stopped reading.
"""

import io
import time

import pytest
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import OperationalError, close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse

import registry.export
from registry.export import slots as export_slots
from registry.export.slots import ExportsBusy, export_slots_take
from registry.models import ExportLog, Member
from registry.services.roles import roles_setup

pytestmark = pytest.mark.django_db

POSTGRESQL_ONLY = "PostgreSQL's timeouts of the export's transaction"
EXPORT = reverse("registry:staff_export")
CHANGELIST = reverse("admin:registry_member_changelist")
BUSY = "An export is already running"


@pytest.fixture(autouse=True)
def limits(settings, monkeypatch):
    settings.EXPORTS_PER_USER = 2
    settings.EXPORTS_PER_SERVER = 4
    # Two rows a piece, so a download of the members below is still reading
    # (its transaction open on PostgreSQL) after its first rows are sent.
    monkeypatch.setattr(registry.export, "CHUNK_SIZE", 2)


@pytest.fixture
def members(make_member):
    return [make_member(status=Member.Status.VERIFIED) for _ in range(7)]


def client_for(staff, username: str) -> Client:
    client = Client()
    client.force_login(staff("analyst", username=username))
    return client


@pytest.fixture
def analyst(staff):
    return client_for(staff, "analyst")


def start_and_stall(client, *, pieces: int = 1):
    """A download whose client reads `pieces` pieces (the header, then rows) and stops.

    The header comes before any row is read, so a download stalled after it
    has no transaction open yet. Tests that stall two downloads after their
    first rows would interleave the two readers' transactions on the test's
    one database connection (each request has its own in production).
    """
    response = client.get(EXPORT, {"status": "all"})
    assert response.status_code == 200
    stream = iter(response.streaming_content)
    received = b"".join(next(stream) for _ in range(pieces))
    assert received.count(b"\r\n") == pieces * 2 - 1  # the header, then 2 rows a piece
    return response


def go_away(response) -> None:
    """The client disconnects, and the server closes the response.

    Django's test client stands in for the server with a generator around the
    stream (closing_iterator_wrapper) that closes the response, keeping the
    test's database connection open; once the stream started, closing that
    generator is the server's close. A response never read is closed
    directly, with the same care for the connection.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response._iterator.close()
        request_finished.disconnect(close_old_connections)
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def download(client) -> bytes:
    response = client.get(EXPORT, {"status": "all"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def assert_busy(response, *, per_user: bool) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert BUSY in body
    if per_user:
        assert "You already have 2 exports running." in body
    else:
        assert "as many exports as it runs at once" in body


def test_a_third_download_of_one_account_is_refused_while_two_stall(analyst, members):
    first = start_and_stall(analyst)
    second = start_and_stall(analyst)

    for _ in range(3):
        assert_busy(analyst.get(EXPORT, {"status": "all"}), per_user=True)

    # Refused downloads are not recorded: nothing was exported.
    assert ExportLog.objects.count() == 2
    go_away(second)
    assert download(analyst).count(b"\r\n") == 1 + len(members)
    go_away(first)
    assert ExportLog.objects.count() == 3


def test_a_download_stalled_in_its_rows_and_closed_keeps_its_log_and_frees_its_slot(
    analyst, members
):
    go_away(start_and_stall(analyst, pieces=2))

    log = ExportLog.objects.get()
    assert (log.row_count, log.finished_at) == (2, None)
    second = start_and_stall(analyst)
    third = start_and_stall(analyst)
    go_away(third)
    go_away(second)


def test_a_download_closed_before_its_first_piece_frees_its_slot(analyst, members):
    for _ in range(5):
        response = analyst.get(EXPORT, {"status": "all"})
        assert response.status_code == 200
        go_away(response)

    assert ExportLog.objects.count() == 5


def test_finished_downloads_free_their_slots(analyst, members):
    for _ in range(5):
        assert download(analyst).count(b"\r\n") == 1 + len(members)

    assert ExportLog.objects.filter(row_count=len(members)).count() == 5


def test_the_site_runs_at_most_exports_per_server_downloads(settings, staff, members):
    settings.EXPORTS_PER_SERVER = 3
    clients = [client_for(staff, f"analyst{n}") for n in range(4)]
    stalled = [start_and_stall(client) for client in clients[:3]]

    assert_busy(clients[3].get(EXPORT, {"status": "all"}), per_user=False)
    # The account itself has a free slot: a refusal by the site took none of it.
    go_away(stalled.pop())
    assert download(clients[3])
    while stalled:
        go_away(stalled.pop())


def test_the_admin_action_shares_the_accounts_limit(analyst, members):
    first = start_and_stall(analyst)
    second = start_and_stall(analyst)

    response = analyst.post(
        CHANGELIST,
        {"action": "export_selected_members", "_selected_action": [m.pk for m in members]},
    )

    assert_busy(response, per_user=True)
    assert not ExportLog.objects.filter(entry_point=ExportLog.EntryPoint.ADMIN).exists()
    go_away(second)
    go_away(first)


def test_the_export_command_is_not_limited(settings, analyst, members):
    # Run from a shell, it holds no request thread; its transaction still
    # has PostgreSQL's timeouts.
    settings.EXPORTS_PER_SERVER = 2
    first = start_and_stall(analyst)
    second = start_and_stall(analyst)

    out = io.StringIO()
    call_command("export_specialists", "--user", "analyst", stdout=out, stderr=io.StringIO())

    assert out.getvalue().count("\r\n") == 1 + len(members)
    go_away(second)
    go_away(first)


# Slots in the cache


@pytest.fixture
def clock(monkeypatch, settings):
    """Moves the cache's clock and the slots' own clock forward together.

    On the local-memory cache, whatever the suite runs with: Redis expires
    keys on its own clock, which a test cannot move.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    now = {"wall": time.time(), "monotonic": time.monotonic()}
    monkeypatch.setattr(locmem.time, "time", lambda: now["wall"])
    monkeypatch.setattr(export_slots.time, "monotonic", lambda: now["monotonic"])

    def advance(seconds: float) -> None:
        now["wall"] += seconds
        now["monotonic"] += seconds

    return advance


def test_the_slots_of_a_crashed_download_lapse(staff, clock):
    user = staff("analyst")
    export_slots_take(user=user)
    export_slots_take(user=user)  # never released: the process died
    with pytest.raises(ExportsBusy):
        export_slots_take(user=user)

    clock(export_slots.SLOT_TTL_S + 1)

    export_slots_take(user=user).release()


def test_a_download_that_keeps_sending_keeps_its_slots(staff, clock):
    user = staff("analyst")
    held = [export_slots_take(user=user), export_slots_take(user=user)]
    for _ in range(4):
        clock(export_slots.SLOT_TTL_S * 0.6)
        for slots in held:
            slots.keep()

    with pytest.raises(ExportsBusy):
        export_slots_take(user=user)
    held[0].release()
    held[0].release()  # twice is harmless
    export_slots_take(user=user)


# PostgreSQL ends the transaction of a download whose client stopped reading


def show(setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


@pytest.mark.usefixtures("postgresql")
def test_the_export_transaction_has_an_idle_and_a_statement_timeout(settings, analyst, members):
    settings.EXPORT_IDLE_TIMEOUT_S = 7
    settings.EXPORT_STATEMENT_TIMEOUT_S = 11
    response = start_and_stall(analyst, pieces=2)

    # Read on the connection the stalled download's transaction is open on.
    assert show("idle_in_transaction_session_timeout") == "7s"
    assert show("statement_timeout") == "11s"
    assert show("jit") == "off"
    go_away(response)


@pytest.mark.usefixtures("postgresql", "committed_taxonomy")
def test_postgresql_ends_the_transaction_of_a_client_that_stopped_reading(
    settings, staff, make_member
):
    settings.EXPORT_IDLE_TIMEOUT_S = 0.3
    roles_setup()  # Transactional tests before this one flushed the groups.
    for _ in range(7):
        make_member(status=Member.Status.VERIFIED)
    analyst = client_for(staff, "analyst")
    idle = show("idle_in_transaction_session_timeout")
    response = start_and_stall(analyst, pieces=2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    time.sleep(1.5)  # The client reads nothing.

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            assert cursor.fetchone()[0] == 0
    finally:
        other.close()
    with pytest.raises(OperationalError):
        for _piece in response.streaming_content:
            pass
    go_away(response)
    connection.close()
    # The slot is free again, and the next transaction has the usual settings.
    assert show("idle_in_transaction_session_timeout") == idle
    second = start_and_stall(analyst)
    third = start_and_stall(analyst)
    go_away(third)
    go_away(second)
