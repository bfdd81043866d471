"""The real task worker (manage.py db_worker) on a database file, killed mid-batch.

The one test of the suite that runs the database task backend: the rest use
the immediate backend. The worker and the commands run as processes of their
own against a SQLite file, as in production against PostgreSQL.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
INVITATIONS = 300

SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from outreach.models import Invitation, Opportunity
from outreach.tasks import invitations_dispatch
from outreach.tokens import invitation_key_new
from registry.models import Member, Subfield

subfield = Subfield.objects.get(code="1.3")
members = Member.objects.bulk_create(
    Member(
        full_name=f"Worker Member {{n}}", email=f"w{{n}}@example.org", country="GB",
        connection="citizen", highest_qualification="phd", sector="academia",
        career_stage="r2", primary_subfield=subfield, status="verified",
        consent_contact=True, consent_processing=True,
    )
    for n in range({INVITATIONS})
)
today = timezone.localdate()
opportunity = Opportunity.objects.create(
    title="Lectures", host_institution="Institute", status="open",
    starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=30),
    reply_by=today + timedelta(days=10),
)
Invitation.objects.bulk_create(
    Invitation(opportunity=opportunity, member=m, key=invitation_key_new()) for m in members
)
invitations_dispatch.enqueue(opportunity_id=opportunity.pk, base_url="http://testserver/")
"""


def _run(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=env, check=True, capture_output=True, **kwargs
    )


def _worker(env):
    return subprocess.Popen(
        # --no-reload: with DEBUG the worker would run under the autoreloader,
        # and the kill would stop only the reloader, not the worker.
        [
            sys.executable,
            MANAGE,
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_worker_killed_mid_batch_and_restarted_sends_each_invitation(tmp_path):
    database = tmp_path / "worker.sqlite3"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "1",
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "OUTREACH_SEND_CHUNK": "20",
    }
    env.pop("REDIS_URL", None)
    _run(env, "migrate", "--noinput", "-v", "0")
    _run(env, "shell", "-c", SETUP)

    def files() -> list[Path]:
        return list(mail_dir.glob("*.log")) if mail_dir.exists() else []

    def mailed() -> list[str]:
        # One file per mail connection, which a chunk keeps for all its e-mails.
        return [
            address
            for path in files()
            for address in re.findall(r"^To: (\S+)$", path.read_text(), flags=re.MULTILINE)
        ]

    def sent() -> int:
        with sqlite3.connect(database, timeout=30) as connection:
            query = "SELECT COUNT(*) FROM outreach_invitation WHERE sent_at IS NOT NULL"
            return connection.execute(query).fetchone()[0]

    worker = _worker(env)
    try:
        assert _wait(lambda: len(mailed()) >= 50, timeout=120)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert sent() < INVITATIONS, "the worker finished before it could be killed"

    worker = _worker(env)
    try:
        # Picks up the chunk the killed worker held, and anything else waiting.
        _run(env, "outreach_send_pending", "--base-url", "http://testserver/")
        assert _wait(lambda: sent() == INVITATIONS, timeout=180)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    recipients = Counter(mailed())
    assert len(recipients) == INVITATIONS
    # Every member got the invitation; the only e-mail that may go twice is
    # the one that had left when the kill came, before its record was
    # committed (no mail server takes part in the database's transaction).
    assert sum(recipients.values()) - INVITATIONS <= 1
