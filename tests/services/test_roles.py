"""Staff roles: the groups, their permissions, and setup_roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from registry.services.roles import ANALYST, FOCAL_POINT, ROLE_PERMISSIONS, VIEWER, roles_setup


def _codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_migration_creates_the_three_groups_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {FOCAL_POINT, ANALYST, VIEWER}
    for name, wanted in ROLE_PERMISSIONS.items():
        assert _codenames(name) == set(wanted)


@pytest.mark.django_db
def test_roles_grant_review_and_export_to_the_right_groups_only():
    assert "registry.review_member" in _codenames(FOCAL_POINT)
    assert "registry.review_member" not in _codenames(ANALYST) | _codenames(VIEWER)
    assert "registry.export_member" in _codenames(ANALYST) & _codenames(FOCAL_POINT)
    assert "registry.export_member" not in _codenames(VIEWER)
    assert _codenames(VIEWER) == {p for p in _codenames(VIEWER) if ".view_" in p}
    # Nobody deletes members: withdrawal erases personal data instead.
    assert not any("delete_member" in p for name in ROLE_PERMISSIONS for p in _codenames(name))


@pytest.mark.django_db
def test_setup_roles_is_idempotent_and_resets_hand_made_changes(capsys):
    viewer = Group.objects.get(name=VIEWER)
    viewer.permissions.add(Permission.objects.get(codename="change_member"))
    Group.objects.filter(name=ANALYST).delete()

    call_command("setup_roles")
    call_command("setup_roles")

    assert Group.objects.filter(name__in=[FOCAL_POINT, ANALYST, VIEWER]).count() == 3
    assert "registry.change_member" not in _codenames(VIEWER)
    assert _codenames(ANALYST) == set(ROLE_PERMISSIONS[ANALYST])
    assert "Staff roles are up to date." in capsys.readouterr().out


@pytest.mark.django_db
def test_roles_setup_reports_permission_counts():
    counts = roles_setup()
    assert counts == {name: len(set(perms)) for name, perms in ROLE_PERMISSIONS.items()}
