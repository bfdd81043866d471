"""Where a staff login lands when the page it names is refused.

Django drops a `next` that leads off the site; it used to land on its own
default, /accounts/profile/, a page the portal does not have (404).
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
SEARCH = reverse("registry:staff_home")


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.org/",
        "//evil.example.org/staff/search/",
        "/\\evil.example.org",
        "javascript:alert(1)",
        "http:///evil.example.org",
    ],
)
def test_a_login_with_a_refused_next_lands_on_the_staff_home(
    client, staff, staff_password, next_url
):
    user = staff("viewer")

    response = client.post(
        LOGIN, {"username": user.username, "password": staff_password, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == SEARCH
    assert client.get(response["Location"]).status_code == 200


def test_a_login_with_a_safe_next_still_goes_there(client, staff, staff_password):
    user = staff("viewer")
    changelist = reverse("admin:registry_member_changelist")

    response = client.post(
        LOGIN, {"username": user.username, "password": staff_password, "next": changelist}
    )

    assert response.status_code == 302
    assert response["Location"] == changelist
