"""manage.py ensure_dev_admin: one superuser for development, never without DEBUG."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError


def run_ensure_dev_admin() -> str:
    out = StringIO()
    call_command("ensure_dev_admin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ensure_dev_admin_creates_one_superuser_and_prints_its_password_once(settings):
    settings.DEBUG = True
    user_model = get_user_model()

    first = run_ensure_dev_admin()
    second = run_ensure_dev_admin()

    password = re.search(r"password: (\S+)", first).group(1)
    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 20
    assert user_model.objects.filter(is_superuser=True).count() == 1
    assert "already exists" in second
    assert password not in second


@pytest.mark.django_db
def test_ensure_dev_admin_leaves_an_existing_superuser_alone(settings):
    settings.DEBUG = True
    user_model = get_user_model()
    user_model.objects.create_superuser("focal", "focal@mfa.example", "a-long-password-123")

    output = run_ensure_dev_admin()

    assert "already exists (focal)" in output
    assert list(user_model.objects.values_list("username", flat=True)) == ["focal"]


@pytest.mark.django_db
def test_ensure_dev_admin_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        run_ensure_dev_admin()

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_mission_analyst_is_created_once_in_the_berlin_mission_and_sees_only_its_countries(
    settings,
):
    from registry.selectors.missions import staff_scope

    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    call_command("ensure_dev_admin", mission_analyst=True, stdout=first)
    call_command("ensure_dev_admin", mission_analyst=True, stdout=second)

    passwords = re.findall(r"password: (\S+)", first.getvalue())
    analyst = get_user_model().objects.get(username="berlin_analyst")
    assert len(passwords) == 2 and analyst.check_password(passwords[1])
    assert analyst.is_staff and not analyst.is_superuser
    assert analyst.has_perm("registry.export_member")
    assert staff_scope(analyst).countries == ("AT", "CH", "DE")
    assert "berlin_analyst" in second.getvalue() and passwords[1] not in second.getvalue()
