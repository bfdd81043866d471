"""Background work of outreach (Django's task framework, django-tasks backport).

invitations_dispatch reads which invitations wait and queues one
invitations_send_chunk per OUTREACH_SEND_CHUNK of them; each chunk sends its
e-mails over one mail connection, each committed on its own
(outreach.services.sending, idempotent). A failed e-mail
is retried by a deferred task where the backend can defer (the database
backend), and in any case by `manage.py outreach_send_pending`, which also
picks up the chunks of a worker killed mid-batch. opportunity_rank stores an
opportunity's ranking (outreach.services.ranking). Every task is safe to run
again.
"""

from django.utils import timezone
from django_tasks import task

from outreach.services import ranking, sending


@task()
def opportunity_rank(*, opportunity_id: int) -> bool:
    """Rank every member for the opportunity and keep the best; False if not needed."""
    return ranking.opportunity_ranking_run(opportunity_id=opportunity_id)


@task()
def invitations_dispatch(
    *, opportunity_id: int | None, base_url: str, reminder: bool = False
) -> int:
    """Queue the sending of every invitation due (or the reminders), in chunks."""
    if reminder:
        ids = list(sending.invitations_to_remind(opportunity_id=opportunity_id))
    else:
        ids = list(sending.invitations_due(opportunity_id=opportunity_id))
    for chunk in sending.invitation_chunks(ids):
        invitations_send_chunk.enqueue(invitation_ids=chunk, base_url=base_url, reminder=reminder)
    return len(ids)


@task()
def invitations_send_chunk(
    *, invitation_ids: list[int], base_url: str, reminder: bool = False
) -> dict:
    """Send the invitations (or reminders) of one chunk; a failure is retried later."""
    send = sending.reminders_send if reminder else sending.invitations_send
    results = send(invitation_ids=invitation_ids, base_url=base_url)
    counts = {sending.SENT: 0, sending.SKIPPED: 0, sending.FAILED: 0}
    for result in results.values():
        counts[result] += 1
    failed = [pk for pk, result in results.items() if result == sending.FAILED]
    if failed and not reminder:
        _retry_later(failed, base_url)
    return counts


def _retry_later(invitation_ids: list[int], base_url: str) -> None:
    backend = invitations_send_chunk.get_backend()
    if not backend.supports_defer:
        # The immediate backend cannot wait: outreach_send_pending retries.
        return
    when = min(sending.invitation_next_attempts(invitation_ids), default=timezone.now())
    invitations_send_chunk.using(run_after=when).enqueue(
        invitation_ids=invitation_ids, base_url=base_url
    )
