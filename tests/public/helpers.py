"""Helpers for the tests of the public survey, the profile links and withdrawal."""

import re
from urllib.parse import urlsplit

from django.urls import reverse

from registry.models import EngagementType, Sdg, Subfield

REGISTER_URL = reverse("registry:register")
PROFILE_URL = reverse("registry:profile")


def survey_payload(**overrides) -> dict:
    """A complete, valid survey POST, as a browser sends it.

    Override any key; an override of None leaves the key out (an unticked
    checkbox, an empty multiple choice).
    """
    data = {
        "full_name": "Amina Khan",
        "email": "amina.khan@example.org",
        "phone": "+44 20 7946 0958",
        "gender": "female",
        "country": "GB",
        "city": "London",
        "connection": "dual",
        "home_region": "Punjab",
        "highest_qualification": "phd",
        "qualification_subject": "Medical physics",
        "qualification_institution": "University of Oxford",
        "qualification_country": "GB",
        "qualification_year": "2012",
        "job_title": "Consultant physicist",
        "organisation": "Guy's and St Thomas' Hospital",
        "sector": "research",
        "career_stage": "r3",
        "years_experience": "12",
        "primary_subfield": str(Subfield.objects.get(code="3.2").pk),
        "subfields": [str(Subfield.objects.get(code="1.3").pk)],
        "keywords": "medical physics, PET imaging",
        "summary": "I work on quantitative PET imaging.\r\nAnd on radiotherapy planning.",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
        "scholar_url": "https://scholar.google.com/citations?user=abc",
        "linkedin_url": "https://www.linkedin.com/in/amina-khan",
        "website_url": "",
        "engagement_types": [
            str(pk) for pk in EngagementType.objects.values_list("pk", flat=True)[:2]
        ],
        "sdgs": [str(Sdg.objects.get(number=3).pk)],
        "international_projects": None,
        "home_collaborations": "Teaching at a national university.",
        "hours_per_month": "8",
        "willing_to_visit": "on",
        "consent_processing": "on",
        "consent_contact": "on",
        "consent_directory": None,
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


_LINK = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    """The links in a sent e-mail's plain-text body, as paths."""
    return [urlsplit(url).path for url in _LINK.findall(message.body)]


def link_to(message, url_name: str) -> str:
    """The path of the e-mail's link to the given view (e.g. registry:confirm)."""
    prefix = reverse(url_name, args=["TOKEN"]).removesuffix("TOKEN/")
    matches = [path for path in links_in(message) if path.startswith(prefix)]
    assert len(matches) == 1, (url_name, links_in(message))
    return matches[0]


def html_body(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html
