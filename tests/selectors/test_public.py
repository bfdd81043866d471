import pytest
from django.urls import reverse

from registry.models import Member
from registry.selectors.public import public_figures

pytestmark = pytest.mark.django_db


def test_home_shows_confirmed_members_countries_and_fields(client, make_member, subfield):
    for country in ["GB", "US", "CA", "DE", "FR", "AE"]:
        make_member(country=country, primary_subfield=subfield("1.2"))
    make_member(country="GB", primary_subfield=subfield("3.2"), status=Member.Status.VERIFIED)
    # Not confirmed or gone: not counted.
    make_member(country="JP", status=Member.Status.UNCONFIRMED)
    make_member(country="KR", status=Member.Status.WITHDRAWN)
    make_member(country="CN", status=Member.Status.REJECTED)

    body = client.get(reverse("registry:home")).content.decode()

    assert '<dd class="display-6 fw-bold mb-1">7</dd>' in body  # members
    assert '<dd class="display-6 fw-bold mb-1">6</dd>' in body  # countries
    # Two broad fields only: shown without the exact number.
    assert body.count("fewer than 5") == 1


def test_counts_below_five_never_show_the_number(client, make_member):
    make_member(country="NO")
    body = client.get(reverse("registry:home")).content.decode()
    assert body.count("fewer than 5") == 3
    assert '<dd class="display-6 fw-bold mb-1">1</dd>' not in body


def test_figures_are_cached_so_the_home_page_does_not_count_every_time(
    client, make_member, django_assert_num_queries
):
    make_member()
    client.get(reverse("registry:home"))
    with django_assert_num_queries(0):
        client.get(reverse("registry:home"))
    assert public_figures().members.value == 1
