"""Contact-page messages in the admin: read-only, marked handled, headquarters only."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from registry.models import ContactMessage
from tests.factories import make_mission, staff_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:registry_contactmessage_changelist")
VIEW = ("registry.view_contactmessage",)
HANDLE = ("registry.view_contactmessage", "registry.change_contactmessage")


@pytest.fixture
def query():
    return ContactMessage.objects.create(
        name="Bilal <b>Ahmed</b>",
        email="bilal@example.org",
        subject="Guest lectures",
        message="<script>alert(1)</script>",
    )


def test_staff_with_the_view_permission_read_messages(client, query):
    client.force_login(staff_user(perms=VIEW))
    page = client.get(LIST_URL).content.decode()
    assert "Guest lectures" in page
    detail = client.get(reverse("admin:registry_contactmessage_change", args=[query.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    # Read-only: no input for the message, no add or delete.
    assert 'name="message"' not in text
    assert client.get(reverse("admin:registry_contactmessage_add")).status_code == 403


def test_staff_without_the_permission_are_refused(client, query):
    client.force_login(staff_user(perms=("registry.view_member",)))
    assert client.get(LIST_URL).status_code == 403


def test_mission_staff_see_no_messages(client, query):
    client.force_login(staff_user(perms=VIEW, mission=make_mission()))
    page = client.get(LIST_URL).content.decode()
    assert "Guest lectures" not in page


def test_mark_handled_records_who_and_when(client, query):
    user = staff_user(perms=HANDLE)
    client.force_login(user)
    response = client.post(
        LIST_URL, {"action": "mark_handled", ACTION_CHECKBOX_NAME: [query.pk]}, follow=True
    )
    assert "1 message marked as handled." in response.content.decode()
    query.refresh_from_db()
    assert query.handled_by == user and query.handled_at is not None
    # Already handled: nothing changes.
    client.post(LIST_URL, {"action": "mark_handled", ACTION_CHECKBOX_NAME: [query.pk]})
    assert ContactMessage.objects.get().handled_at == query.handled_at


def test_mark_handled_needs_the_change_permission(client, query):
    client.force_login(staff_user(perms=VIEW))
    client.post(LIST_URL, {"action": "mark_handled", ACTION_CHECKBOX_NAME: [query.pk]})
    query.refresh_from_db()
    assert query.handled_at is None


def test_handled_filter(client, query):
    ContactMessage.objects.create(
        name="x",
        email="x@example.org",
        subject="Old question",
        message="m",
        handled_at=timezone.now(),
    )
    client.force_login(staff_user(perms=VIEW))
    page = client.get(LIST_URL, {"handled": "no"}).content.decode()
    assert "Guest lectures" in page and "Old question" not in page
    page = client.get(LIST_URL, {"handled": "yes"}).content.decode()
    assert "Old question" in page and "Guest lectures" not in page


def test_the_focal_point_role_reads_and_handles_messages(client, query, focal_point):
    client.force_login(focal_point)
    assert "Guest lectures" in client.get(LIST_URL).content.decode()
    client.post(LIST_URL, {"action": "mark_handled", ACTION_CHECKBOX_NAME: [query.pk]})
    query.refresh_from_db()
    assert query.handled_by == focal_point
