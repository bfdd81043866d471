"""Work the public forms leave for after the response (Django's task framework).

Whether an address is registered decides what is stored and which e-mail
goes out; doing that inside the request would make the answer slower for a
new address than for a known one, and so tell a visitor which addresses are
registered. The views validate the form, enqueue one of these tasks and
answer at once, the same way for every address.

Arguments are JSON: the survey answers as registry.survey.survey_answers_to_json
makes them, and the site's address for the links in the e-mails. Each task
is safe to run again: the registration is keyed by its submission id, a
link request only sends another e-mail with links, and a decision e-mail
goes only while the decision stands.
"""

from functools import partial
from urllib.parse import urljoin

from django_tasks import task

from registry.services import contact, decisions, freshness, registration
from registry.survey import survey_answers_from_json


@task()
def registration_submit(*, answers: dict, base_url: str, submission: str) -> None:
    """Store a survey submission and e-mail the owner of the address."""
    registration.member_register(
        data=survey_answers_from_json(answers),
        absolute_url=partial(urljoin, base_url),
        submission=submission,
    )


@task()
def profile_link_send(*, email: str, base_url: str) -> None:
    """E-mail the owner of the address a link to update or withdraw the profile."""
    registration.member_request_update_link(email=email, absolute_url=partial(urljoin, base_url))


@task()
def member_decision_email(
    *, member_id: int, status: str, share_reason: bool, base_url: str
) -> None:
    """Tell the member the focal point's decision, if it still stands."""
    decisions.member_decision_email_send(
        member_id=member_id, status=status, share_reason=share_reason, base_url=base_url
    )


@task()
def freshness_prompt_send(*, member_id: int, reminder: bool, base_url: str) -> None:
    """E-mail one member the "is your profile still current?" prompt."""
    freshness.member_freshness_prompt_email(
        member_id=member_id, reminder=reminder, absolute_url=partial(urljoin, base_url)
    )


@task()
def contact_message_notify(*, message_id: int) -> None:
    """E-mail a query from the contact page to the focal point."""
    contact.contact_message_send(message_id=message_id)


@task()
def directory_message_notify(
    *, member_id: int, sender_name: str, sender_email: str, message: str, base_url: str
) -> None:
    """E-mail a visitor's message to a member listed in the directory."""
    contact.directory_message_send(
        member_id=member_id,
        sender_name=sender_name,
        sender_email=sender_email,
        message=message,
        base_url=base_url,
    )
