"""Fixtures for the public directory and the contact page."""

import pytest

from registry.models import Member


@pytest.fixture
def listed(make_member, subfield):
    """A verified member who consented to the directory, with every contact field filled."""
    return make_member(
        status=Member.Status.VERIFIED,
        full_name="Amina Khan",
        email="amina.secret@example.org",
        phone="+44 20 7946 0958",
        organisation="Guy's and St Thomas' Hospital",
        country="GB",
        city="Secretcity",
        job_title="Consultant physicist",
        keywords="hidden keyword",
        primary_subfield=subfield("3.2"),
        subfields=[subfield("1.3")],
        consent_directory=True,
    )
