"""Review in the admin: the decision buttons, the duplicate page, bulk decisions."""

import re

from django.urls import reverse

from registry.models import Member
from tests.admin.pages import CHANGELIST, review_url


def test_verify_button_records_reviewer_and_history_page_shows_it(staff, client, member):
    focal = staff("focal_point", username="amina")
    client.force_login(focal)

    response = client.post(review_url(member, "verify"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.VERIFIED
    assert member.reviewed_by == focal
    assert member.reviewed_at is not None
    latest = member.history.first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        Member.Status.VERIFIED,
        focal,
        "Verified",
    )
    history = client.get(reverse("admin:registry_member_history", args=[member.pk])).text
    assert "Verified" in history
    assert "amina" in history
    assert re.search(
        r"<strong>Status:</strong>\s*Submitted, awaiting review &rarr; Verified", history
    )
    assert "<strong>Reviewed by:</strong> — &rarr; amina" in history


def test_verify_button_refuses_get(role_client, member):
    response = role_client("focal_point").get(review_url(member, "verify"))
    assert response.status_code == 405
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED


def test_reject_from_the_change_page_asks_for_a_reason(role_client, member):
    client = role_client("focal_point")
    form = client.get(review_url(member, "reject"))
    assert form.status_code == 200
    assert 'name="reason"' in form.text

    missing = client.post(review_url(member, "reject"), {"apply": "1", "reason": ""})
    assert missing.status_code == 200
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED

    done = client.post(review_url(member, "reject"), {"apply": "1", "reason": "Spam entry"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.review_reason) == (Member.Status.REJECTED, "Spam entry")
    assert member.history.first().history_change_reason == "Rejected"


def test_mark_duplicate_from_the_change_page_with_autocomplete(role_client, make_member):
    client = role_client("focal_point")
    original = make_member(full_name="Hamza Rizvi", organisation="CERN")
    copy = make_member(full_name="Hamza Rizvi", organisation="CERN")

    page = client.get(review_url(copy, "duplicate"))
    assert page.status_code == 200
    assert "admin-autocomplete" in page.text
    assert reverse("admin:registry_member_autocomplete") in page.text

    response = client.post(review_url(copy, "duplicate"), {"apply": "1", "original": original.pk})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of) == (Member.Status.DUPLICATE, original)


def test_member_autocomplete_tells_namesakes_apart(role_client, make_member):
    make_member(full_name="Omar Shah", organisation="Siemens", country="DE")
    make_member(full_name="Omar Shah", organisation="Google", country="US")
    make_member(full_name="Omar Shah", status=Member.Status.WITHDRAWN)
    response = role_client("focal_point").get(
        reverse("admin:registry_member_autocomplete"),
        {
            "term": "omar",
            "app_label": "registry",
            "model_name": "member",
            "field_name": "duplicate_of",
        },
    )
    texts = sorted(r["text"] for r in response.json()["results"])
    assert len(texts) == 2
    assert "Google" in texts[0] and "Siemens" in texts[1]


def test_duplicate_page_leaves_the_member_itself_out_of_the_choices(role_client, make_member):
    client = role_client("focal_point")
    member = make_member(full_name="Rania Haddad")
    other = make_member(full_name="Rania Haddad")
    page = client.get(review_url(member, "duplicate")).text
    url = re.search(r'data-ajax--url="([^"]+)"', page).group(1)
    # Select2 adds its parameters to the widget's address, as here.
    response = client.get(
        f"{url}&term=rania&app_label=registry&model_name=member&field_name=duplicate_of"
    )
    assert [r["id"] for r in response.json()["results"]] == [str(other.pk)]


def test_bulk_verify_and_return_to_review(role_client, make_member):
    client = role_client("focal_point")
    members = [make_member() for _ in range(3)]
    unconfirmed = make_member(status=Member.Status.UNCONFIRMED)
    ids = [m.pk for m in [*members, unconfirmed]]

    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": ids}, follow=True
    )

    statuses = dict(Member.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [statuses[m.pk] for m in members] == [Member.Status.VERIFIED] * 3
    assert statuses[unconfirmed.pk] == Member.Status.UNCONFIRMED
    assert "Verify: 3 members." in response.text
    assert "cannot be changed" in response.text

    client.post(CHANGELIST, {"action": "return_selected_to_submitted", "_selected_action": ids})
    assert set(
        Member.objects.filter(pk__in=[m.pk for m in members]).values_list("status", flat=True)
    ) == {Member.Status.SUBMITTED}


def test_bulk_reject_goes_through_an_intermediate_page(role_client, make_member):
    client = role_client("focal_point")
    members = [make_member(), make_member()]
    ids = [m.pk for m in members]

    page = client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": ids})
    assert page.status_code == 200
    assert 'name="reason"' in page.text
    assert all(f'name="_selected_action" value="{pk}"' in page.text for pk in ids)
    assert Member.objects.filter(pk__in=ids, status=Member.Status.REJECTED).count() == 0

    client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": ids, "apply": "1", "reason": "Test"},
    )
    assert Member.objects.filter(pk__in=ids, status=Member.Status.REJECTED).count() == 2


def test_bulk_mark_duplicate_of_a_chosen_original(role_client, make_member):
    client = role_client("focal_point")
    original, first, second = make_member(), make_member(), make_member()
    ids = [first.pk, second.pk]

    page = client.post(CHANGELIST, {"action": "mark_duplicate_selected", "_selected_action": ids})
    assert "admin-autocomplete" in page.text

    client.post(
        CHANGELIST,
        {
            "action": "mark_duplicate_selected",
            "_selected_action": ids,
            "apply": "1",
            "original": original.pk,
        },
    )
    assert set(Member.objects.filter(pk__in=ids).values_list("duplicate_of", flat=True)) == {
        original.pk
    }


def test_bulk_decision_is_refused_beyond_the_batch_limit(role_client, make_member, monkeypatch):
    from registry.admin import review as review_admin_module

    monkeypatch.setattr(review_admin_module, "REVIEW_BATCH_LIMIT", 2)
    client = role_client("focal_point")
    ids = [make_member().pk for _ in range(3)]
    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": ids}, follow=True
    )
    assert "Select at most 2 members" in response.text
    assert Member.objects.filter(status=Member.Status.VERIFIED).count() == 0
