"""Who may open which staff page: the full access matrix.

from datetime import date
Every staff URL (the staff search and its export, the admin index and app
pages, the changelist, add, change, delete and history pages of every model
registered in the admin, the member's own admin URLs, the admin actions and
the export log) is requested by every kind of visitor: anonymous, a
logged-in account that is not staff, a non-staff account that holds staff
permissions, a Viewer, an Analyst, a Focal point, a superuser, and a Viewer and
an Analyst of a Mission abroad whose countries include the member's (what
Mission staff see of members outside their countries: test_mission_scope.py).

The expected outcome comes from DESIGN.md's roles table (what
registry/services/roles.py grants): anonymous and non-staff visitors are sent
to the login page; a staff role sees what it may view, changes what it may
change, and gets 403 for the rest. A refused request never carries member
data. The models are read from admin.site._registry, so a model registered
later is in the matrix at once (and fails here until its sample object and
expected access are written down).
"""

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.http import StreamingHttpResponse
from django.urls import reverse

from outreach.models import Invitation, Opportunity
from registry.models import ContactMessage, ExportLog, Member
from registry.services.exports import export_log_start
from registry.services.roles import ANALYST, FOCAL_POINT
from tests.factories import make_mission
from tests.security.hostile import ODD_NUMBERS

pytestmark = pytest.mark.django_db
MISSION_ROLES = {"mission_viewer": "viewer", "mission_analyst": "analyst"}
STAFF_ROLES = ["viewer", "analyst", "focal_point", "superuser", *MISSION_ROLES]
OUTSIDERS = ["anonymous", "non_staff", "non_staff_with_staff_groups"]
ROLES = OUTSIDERS + STAFF_ROLES

LOGIN = reverse("admin:login")
ADMIN_INDEX = reverse("admin:index")
SEARCH = reverse("registry:staff_search")
EXPORT = reverse("registry:staff_export")
CHANGELIST = reverse("admin:registry_member_changelist")

# What marks member data in a page: the name, the address, the organisation.
LEAK_MARKERS = ("Zainab Leakcheck", "zainab.leakcheck@example.org", "Leakcheck Institute")

# What each staff role may do in the admin, model by model ("app.model": actions),
# from DESIGN.md's roles table and registry/services/roles.py. Anything not
# listed is refused.
_READ = {
    f"registry.{model}": {"view"}
    for model in (
        "field",
        "subfield",
        "sdg",
        "engagementtype",
        "internationalproject",
        "expertisecluster",
        "member",
    )
}
ALLOWED = {
    "viewer": _READ,
    "analyst": _READ,
    # Within their Mission's countries; never the Missions themselves.
    "mission_viewer": _READ,
    "mission_analyst": _READ,
    "focal_point": {
        # The official lists: renamed and reordered, never added to or deleted.
        **{f"registry.{m}": {"view", "change"} for m in ("field", "subfield", "sdg")},
        # The ministry's own lists.
        **{
            f"registry.{m}": {"view", "add", "change", "delete"}
            for m in ("engagementtype", "internationalproject", "expertisecluster")
        },
        "registry.member": {"view", "add", "change"},
        "registry.exportlog": {"view"},
        # Headquarters' focal point manages the Missions abroad.
        "registry.mission": {"view", "add", "change"},
        # Queries from the contact page: read, and marked handled.
        "registry.contactmessage": {"view", "change"},
    },
}
# Refused to everyone, superusers included: members are withdrawn, never
# deleted; the export log is a record; lock-out records come from logins.
NEVER = {
    ("registry.member", "delete"),
    ("registry.exportlog", "add"),
    ("registry.exportlog", "change"),
    ("registry.exportlog", "delete"),
    ("registry.mission", "delete"),
    ("registry.contactmessage", "add"),
    ("registry.contactmessage", "delete"),
    # Opportunities are worked on in the staff pages; the admin only shows them.
    *(
        (f"outreach.{m}", a)
        for m in ("opportunity", "invitation")
        for a in ("add", "change", "delete")
    ),
    ("axes.accessattempt", "add"),
    ("axes.accesslog", "add"),
    ("axes.accessfailurelog", "add"),
}
# role: (search page, CSV export)
STAFF_PAGES = {
    "viewer": (200, 403),
    "analyst": (200, 200),
    "focal_point": (200, 200),
    "superuser": (200, 200),
    "mission_viewer": (200, 403),
    "mission_analyst": (200, 200),
}


def may(role: str, label: str, action: str) -> bool:
    if (label, action) in NEVER:
        return False
    if role == "superuser":
        return True
    return action in ALLOWED.get(role, {}).get(label, set())


@pytest.fixture
def login_as(client, staff):
    """Log the test client in as the role (any of ROLES)."""

    def login(role: str) -> None:
        if role == "anonymous":
            return
        if role == "non_staff":
            user = User.objects.create_user("visitor", "visitor@example.org")
        elif role == "non_staff_with_staff_groups":
            # Holds every staff permission but is not staff: still nothing.
            user = User.objects.create_user("outsider", "outsider@example.org")
            user.groups.add(*Group.objects.filter(name__in=[ANALYST, FOCAL_POINT]))
        elif role in MISSION_ROLES:
            # A Mission covering the country of the members made here (GB).
            london = make_mission(name="High Commission in London", countries=["GB", "IE"])
            user = staff(MISSION_ROLES[role], username=role, mission=london)
        else:
            user = staff(role)
        client.force_login(user)

    return login


@pytest.fixture
def leaky_member(make_member):
    return make_member(
        full_name=LEAK_MARKERS[0], email=LEAK_MARKERS[1], organisation=LEAK_MARKERS[2]
    )


def sample_objects(member: Member) -> dict[str, object]:
    """One existing object of every model in the admin, by "app.model"."""
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    access = {"user_agent": "probe", "ip_address": "192.0.2.1", "username": "x", "path_info": "/"}
    opportunity = Opportunity.objects.create(
        title="Guest lectures",
        host_institution="National Institute",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 2, 1),
        reply_by=date(2026, 12, 15),
    )
    samples = {
        "registry.member": member,
        "registry.mission": make_mission(name="Embassy in Washington", countries=["US"]),
        "registry.exportlog": log,
        "registry.contactmessage": ContactMessage.objects.create(
            name="Visitor", email="visitor@example.net", subject="A query", message="Hello"
        ),
        "auth.user": User.objects.create_user("someone", "someone@example.org"),
        "outreach.opportunity": opportunity,
        "outreach.invitation": Invitation.objects.create(
            opportunity=opportunity, member=member, key="sample-invitation-key"
        ),
        "auth.group": Group.objects.get(name=ANALYST),
        "axes.accessattempt": AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**access),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**access),
    }
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in samples:
            samples[label] = model.objects.order_by("pk").first()
        assert samples[label] is not None, f"add a sample {label} to sample_objects()"
    return samples


def admin_url(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def model_pages(samples) -> list[tuple[str, str, set[str]]]:
    """(description, url, actions any of which opens it) for every model's pages."""
    pages = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        pk = samples[label].pk
        pages += [
            (f"{label} changelist", admin_url(model, "changelist"), {"view", "change"}),
            (f"{label} add", admin_url(model, "add"), {"add"}),
            (f"{label} change", admin_url(model, "change", pk), {"view", "change"}),
            (f"{label} delete", admin_url(model, "delete", pk), {"delete"}),
            (f"{label} history", admin_url(model, "history", pk), {"view", "change"}),
        ]
    return pages


def leaks(response) -> list[str]:
    if isinstance(response, StreamingHttpResponse):
        return ["a streamed body"]
    body = response.content.decode(errors="replace")
    return [marker for marker in LEAK_MARKERS if marker in body]


def expected_refusal(role: str, *, staff_page: bool) -> int:
    """Anonymous visitors log in first; the admin sends any non-staff account to its
    login page, the staff search answers a logged-in non-staff account 403."""
    if role == "anonymous" or (role in OUTSIDERS and not staff_page):
        return 302
    return 403


def check_refused(response, role: str, what: str, *, staff_page: bool = False) -> list[str]:
    """Problems with a refused response: wrong status, wrong redirect, member data."""
    problems = []
    wanted = expected_refusal(role, staff_page=staff_page)
    if response.status_code != wanted:
        problems.append(f"{what}: {response.status_code}, expected {wanted}")
    elif wanted == 302 and not response["Location"].startswith(LOGIN + "?next="):
        problems.append(f"{what}: redirected to {response['Location']}, not the login")
    if found := leaks(response):
        problems.append(f"{what}: refused but shows {found}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_of_every_model_is_open_exactly_to_the_roles_allowed(
    client, login_as, leaky_member, role
):
    samples = sample_objects(leaky_member)
    login_as(role)
    problems = []

    for what, url, opened_by in model_pages(samples):
        label = what.split()[0]
        allowed = role in STAFF_ROLES and any(may(role, label, a) for a in opened_by)
        response = client.get(url)
        if not allowed:
            problems += check_refused(response, role, what)
        elif response.status_code != 200:
            problems.append(f"{what}: {response.status_code}, expected 200")
        elif what.endswith(" change"):
            # View-only roles get the page without a save button.
            editable = 'name="_save"' in response.content.decode()
            if editable is not may(role, label, "change"):
                problems.append(f"{what}: save button shown={editable}")

    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_admin_index_and_app_pages_list_only_the_models_the_role_may_view(
    client, login_as, leaky_member, role
):
    login_as(role)

    index = client.get(ADMIN_INDEX)

    if role in OUTSIDERS:
        assert check_refused(index, role, "admin index") == []
        for app_label in {m._meta.app_label for m in admin.site._registry}:
            page = client.get(reverse("admin:app_list", args=[app_label]))
            assert check_refused(page, role, app_label) == []
        return
    assert index.status_code == 200
    body = index.content.decode()
    for model in admin.site._registry:
        label = model._meta.label_lower
        listed = admin_url(model, "changelist") in body
        assert listed is (may(role, label, "view") or may(role, label, "change")), label
    assert leaks(index) == []


@pytest.mark.parametrize("role", ROLES)
def test_staff_search_and_export_are_open_exactly_to_the_roles_allowed(
    client, login_as, leaky_member, role
):
    login_as(role)

    search = client.get(SEARCH, {"q": "Leakcheck", "status": "all"})
    export = client.get(EXPORT, {"q": "Leakcheck", "status": "all"})

    if role in OUTSIDERS:
        assert check_refused(search, role, "search", staff_page=True) == []
        assert check_refused(export, role, "export", staff_page=True) == []
        assert not ExportLog.objects.exists()
        return
    search_status, export_status = STAFF_PAGES[role]
    assert search.status_code == search_status
    assert LEAK_MARKERS[0] in search.content.decode()
    assert export.status_code == export_status
    if export_status == 200:
        assert LEAK_MARKERS[1] in b"".join(export.streaming_content).decode("utf-8-sig")
        assert ExportLog.objects.get().entry_point == ExportLog.EntryPoint.SEARCH
    else:
        assert leaks(export) == []
        assert not ExportLog.objects.exists()


def member_review_urls(member: Member) -> dict[str, str]:
    return {
        decision: reverse("admin:registry_member_review", args=[member.pk, decision])
        for decision in ("verify", "reject", "duplicate", "submitted")
    }


@pytest.mark.parametrize("role", ROLES)
def test_member_history_version_and_autocomplete_follow_the_view_permission(
    client, login_as, leaky_member, role
):
    record = leaky_member.history.first()
    version = reverse("admin:registry_member_simple_history", args=[leaky_member.pk, record.pk])
    autocomplete = reverse("admin:registry_member_autocomplete")
    params = {"app_label": "registry", "model_name": "member", "field_name": "duplicate_of"}
    login_as(role)

    responses = {
        "version": client.get(version),
        "autocomplete": client.get(autocomplete, {**params, "term": "Leakcheck"}),
    }

    for what, response in responses.items():
        if role in OUTSIDERS:
            assert check_refused(response, role, what) == []
        else:
            assert response.status_code == 200, what
            assert LEAK_MARKERS[0] in response.content.decode(), what


@pytest.mark.parametrize("role", ROLES)
def test_review_decisions_by_url_are_refused_to_roles_that_may_not_review(
    client, login_as, make_member, leaky_member, role
):
    login_as(role)
    may_review = role in {"focal_point", "superuser"}
    original = make_member()

    for decision, url in member_review_urls(leaky_member).items():
        response = client.post(
            url, {"reason": "spam", "original": original.pk, "apply": "1"}, follow=False
        )
        if may_review:
            assert response.status_code == 302, decision
        else:
            assert check_refused(response, role, decision) == []
            leaky_member.refresh_from_db()
            assert leaky_member.status == Member.Status.SUBMITTED
            assert leaky_member.reviewed_by is None


BULK_ACTIONS = {
    "verify_selected": {},
    "reject_selected": {"reason": "spam", "apply": "1"},
    "mark_duplicate_selected": {"apply": "1"},
    "return_selected_to_submitted": {},
    "export_selected_members": {},
}
# role: the bulk actions it may run (DESIGN.md: the focal point reviews, the
# analyst exports; the focal point exports too).
BULK_ALLOWED = {
    "viewer": set(),
    "analyst": {"export_selected_members"},
    "mission_viewer": set(),
    "mission_analyst": {"export_selected_members"},
    # The focal point reviews and sends lists to host institutions.
    "focal_point": set(BULK_ACTIONS),
    "superuser": set(BULK_ACTIONS),
}


@pytest.mark.parametrize("role", [*OUTSIDERS, "viewer", "analyst", "focal_point", *MISSION_ROLES])
def test_bulk_actions_posted_by_a_role_without_their_permission_change_and_export_nothing(
    client, login_as, make_member, leaky_member, role
):
    original = make_member()
    before = leaky_member.history.count()
    login_as(role)
    refused = set(BULK_ACTIONS) - BULK_ALLOWED.get(role, set())

    for action in sorted(refused):
        data = {"action": action, "_selected_action": [leaky_member.pk], "index": "0"}
        data.update(BULK_ACTIONS[action])
        if action == "mark_duplicate_selected":
            data["original"] = original.pk
        response = client.post(CHANGELIST, data)

        assert not isinstance(response, StreamingHttpResponse), action
        if role in OUTSIDERS:
            assert check_refused(response, role, action) == []
        elif BULK_ALLOWED[role]:
            # An action the admin does not offer: back to the list, nothing done.
            assert response.status_code == 302, action
            assert response["Location"].startswith(CHANGELIST), action
        else:
            # No action at all for the role: the POST is read as showing the list.
            assert response.status_code == 200, action
            assert leaky_member in response.context["cl"].result_list
    leaky_member.refresh_from_db()
    assert leaky_member.status == Member.Status.SUBMITTED
    assert leaky_member.history.count() == before
    assert not ExportLog.objects.exists()


# Object URLs with guessed ids: never a server error, never someone's data.

GUESSED_IDS = {
    "nonexistent": "987654",
    **ODD_NUMBERS,
    "non_numeric": "abc",
    "sql": "1 OR 1=1",
    "quote": "1'",
    "path": "1/../2",
    "encoded_slash": "1%2F2",
}


# The superuser opens every page; the Viewer is refused most.
@pytest.mark.parametrize("role", ["viewer", "superuser", "mission_viewer"])
def test_object_urls_with_guessed_ids_redirect_or_404_never_500(
    client, login_as, leaky_member, role
):
    samples = sample_objects(leaky_member)
    login_as(role)
    problems = []

    for model in admin.site._registry:
        label = model._meta.label_lower
        # An id that exists, but for another model.
        other_ids = sorted(
            {
                str(sample.pk)
                for other, sample in samples.items()
                if other != label and not model.objects.filter(pk=sample.pk).exists()
            }
        )[:2]
        guesses = {**GUESSED_IDS, **{f"id_of_another_model_{i}": i for i in other_ids}}
        for page, opened_by in (
            ("change", {"view", "change"}),
            ("delete", {"delete"}),
            ("history", {"view", "change"}),
        ):
            for kind, object_id in guesses.items():
                what = f"{label} {page} {kind}"
                url = admin_url(model, page, object_id)
                response = client.get(url)
                status = response.status_code
                if status == 302:
                    if response["Location"] != ADMIN_INDEX:
                        problems.append(f"{what}: redirected to {response['Location']}")
                elif status == 403:
                    if any(may(role, label, a) for a in opened_by) and page != "history":
                        problems.append(f"{what}: 403 although the role may open it")
                elif status != 404:
                    problems.append(f"{what}: {status}")
                if found := leaks(response):
                    problems.append(f"{what}: shows {found}")

    assert problems == []


@pytest.mark.parametrize("kind", GUESSED_IDS, ids=GUESSED_IDS.keys())
def test_member_review_and_history_urls_with_guessed_ids_are_404(
    client, login_as, leaky_member, kind
):
    login_as("focal_point")
    object_id = GUESSED_IDS[kind]

    urls = [
        reverse("admin:registry_member_review", args=[object_id, "verify"]),
        reverse("admin:registry_member_review", args=[object_id, "reject"]),
    ]
    if "/" not in object_id:
        urls.append(reverse("admin:registry_member_simple_history", args=[object_id, "1"]))

    for url in urls:
        response = client.post(url) if "review" in url else client.get(url)
        assert response.status_code == 404, url
        assert leaks(response) == []
    unknown_decision = reverse("admin:registry_member_review", args=[leaky_member.pk, "delete"])
    assert client.post(unknown_decision).status_code == 404
    leaky_member.refresh_from_db()
    assert leaky_member.status == Member.Status.SUBMITTED
