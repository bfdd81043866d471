"""Fixtures of the outreach tests: an open opportunity and members who can be invited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import Opportunity
from outreach.services.opportunities import opportunity_save
from registry.models import Member, Sdg, Subfield


def opportunity_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Guest lectures in accelerator physics",
        "host_institution": "National Centre for Physics",
        "description": "Two weeks of lectures.",
        "keywords": "accelerator physics, beam optics",
        "mode": Opportunity.Mode.IN_PERSON,
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=45),
        "reply_by": today + timedelta(days=10),
        "places": 3,
        "status": Opportunity.Status.OPEN,
        "subfields": list(Subfield.objects.filter(code="1.3")),
        "sdgs": list(Sdg.objects.filter(number=4)),
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_opportunity(db, staff):
    """An opportunity saved through the service by `user` (headquarters by default)."""

    def make(*, user=None, **overrides):
        user = user or staff("focal_point", username=f"creator{Opportunity.objects.count()}")
        return opportunity_save(user=user, data=opportunity_data(**overrides))

    return make


@pytest.fixture
def opportunity(make_opportunity):
    return make_opportunity()


@pytest.fixture
def invitable(make_member, subfield):
    """A verified, consenting member who fits the opportunity; keyword overrides."""

    def make(**overrides):
        fields = {
            "status": Member.Status.VERIFIED,
            "consent_contact": True,
            "primary_subfield": subfield("1.3"),
            "keywords": "accelerator physics",
        }
        fields.update(overrides)
        return make_member(**fields)

    return make


@pytest.fixture
def analyst(staff):
    return staff("analyst")
