"""The member services validate what they store, whatever calls them (issue 13).

The forms refuse control characters, over-long text and malformed values;
an import, a command or a task calling member_create or member_update
directly is refused the same, and nothing is stored.
"""

import pytest
from django.core.exceptions import ValidationError

from registry.models import Member
from registry.services.members import member_create, member_update
from tests.factories import member_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Amina\x00Khan"),
        ("full_name", "Amina\nKhan"),
        ("full_name", "Amina\x1bKhan"),
        ("city", "Lon\u0085don"),
        ("organisation", "CERN\x7f"),
        ("summary", "Line one\x00"),
        ("full_name", "x" * 201),
        ("email", "not an address"),
        ("orcid", "0000-0002-1825-0098"),
        ("website_url", "javascript:alert(1)"),
    ],
)
def test_member_create_refuses_what_the_forms_refuse(field, value):
    with pytest.raises(ValidationError) as refused:
        member_create(data=member_data(**{field: value}))

    assert field in refused.value.message_dict
    assert not Member.objects.exists()


def test_member_update_refuses_it_too_and_keeps_the_member(member):
    with pytest.raises(ValidationError):
        member_update(member=member, data={"full_name": "Amina\x00Khan"})

    member.refresh_from_db()
    assert "\x00" not in member.full_name


def test_line_breaks_stay_allowed_where_the_form_allows_them():
    member = member_create(data=member_data(summary="Line one\nLine two\tand a tab"))
    assert member.summary == "Line one\nLine two\tand a tab"
