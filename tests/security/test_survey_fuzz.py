"""Property-based fuzzing of the public forms with Hypothesis.

Every example is a survey POST built from random and boundary values for each
field, keys left out or added, several values where one is expected, and ids
that are not numbers or do not exist. Whatever arrives: never a server error,
never a row from an invalid submission, and the fields a visitor must not set
(status, review, consent records) stay the services' own.

CI runs a modest number of examples; DORIN_FUZZ_EXAMPLES=10000 makes a long run.
"""

import os
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_countries import countries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.forms import SurveyForm
from registry.honeypot import HONEYPOT_FIELD
from registry.link_forms import LinkRequestForm
from registry.models import (
    MAX_HOURS_PER_MONTH,
    MAX_YEARS_EXPERIENCE,
    MIN_YEAR,
    EngagementType,
    InternationalProject,
    Member,
    PendingRegistration,
    Sdg,
    Subfield,
)
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.tokens import UPDATE, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload
from tests.security.hostile import ALL as HOSTILE_STRINGS
from tests.security.hostile import TEXT_FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]

EXAMPLES = int(os.environ.get("DORIN_FUZZ_EXAMPLES", "0") or 0)


def fuzz_settings(ci_examples: int):
    return settings(
        max_examples=EXAMPLES or ci_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        print_blob=True,
    )


MISSING = object()
# Fields a visitor must never set: whatever is posted for them is ignored.
PROTECTED = {
    "status": "verified",
    "source": "admin",
    "reviewed_by": "1",
    "reviewed_at": "2020-01-01T00:00:00Z",
    "email_confirmed_at": "2020-01-01T00:00:00Z",
    "staff_notes": "trusted",
    "review_reason": "ok",
    "duplicate_of": "1",
    "consent_processing_at": "1999-01-01T00:00:00Z",
    "privacy_notice_version": "1999-01",
    "clusters": "1",
    "search_document": "injected",
    "name_key": "injected",
    "id": "1",
    "pk": "1",
    "created_at": "1999-01-01",
}

# Generic hostile and boundary strings, for any field.
any_string = st.one_of(
    st.text(max_size=40),
    st.sampled_from(sorted(HOSTILE_STRINGS.values())),
    st.sampled_from(["", " ", "\t", "0", "-1", "None", "null", "[]", "{}", "true", "\ufeff"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def text_values(limit: int):
    return st.one_of(
        st.text(max_size=limit + 3),
        st.sampled_from(["a" * limit, "a" * (limit + 1), "é" * limit, "e\u0301" * limit]),
    )


def number_values(low: int, high: int):
    return st.one_of(
        st.integers(min_value=low - 3, max_value=high + 3).map(str),
        st.sampled_from(
            [
                str(2**15),
                str(2**31),
                str(2**63),
                "9" * 30,
                "1e3",
                "0x10",
                "12.0",
                "12.5",
                " 12 ",
                "１２",
                "NaN",
                "inf",
                "-0",
            ]
        ),
    )


def choice_values(valid: list[str]):
    return st.one_of(
        st.sampled_from(valid),
        st.sampled_from([v.upper() + " " for v in valid[:3]] + [v + "\x00" for v in valid[:2]]),
    )


def id_values(valid_ids: list[str]):
    return st.one_of(
        st.sampled_from(valid_ids),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["", "0", "-1", "1.5", "1e2", " 1", "１", "\x00", "2147483648", "1,2"]),
        st.text(max_size=8),
    )


def model_choices(name: str) -> list[str]:
    return [str(value) for value, _ in Member._meta.get_field(name).choices if value]


def field_strategies() -> dict:
    """For every survey field, what the fuzzer may send (besides valid and generic values)."""
    this_year = timezone.localdate().year
    ids = {
        "subfields": [str(pk) for pk in Subfield.objects.values_list("pk", flat=True)],
        "engagement_types": [str(pk) for pk in EngagementType.objects.values_list("pk", flat=True)],
        "sdgs": [str(pk) for pk in Sdg.objects.values_list("pk", flat=True)],
        "international_projects": [
            str(pk) for pk in InternationalProject.objects.values_list("pk", flat=True)
        ],
    }
    country_codes = [code for code, _ in countries][:60] + ["XX", "gb", "GBR"]
    booleans = st.sampled_from(["on", "off", "true", "false", "1", "0", "", "yes", "maybe"])
    web = st.one_of(
        st.sampled_from(
            [
                "https://example.org/",
                "example.org",
                "javascript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "ftp://example.org/",
                "http://[::1",
                "https://xn--e1afmkfd.xn--p1ai/",
                "https://例え.テスト/パス",
                "//evil.example.org",
            ]
        ),
        st.text(max_size=40).map(lambda s: "https://example.org/" + s),
    )
    strategies = {name: text_values(limit) for name, limit in TEXT_FIELDS.items()}
    strategies.update(
        {
            "email": st.one_of(
                st.emails().map(str),
                st.sampled_from(["a@b", "@", "a@b.c\nBcc: x@y.z", "A@EXAMPLE.ORG", "a" * 300]),
            ),
            "gender": choice_values(model_choices("gender")),
            "connection": choice_values(model_choices("connection")),
            "highest_qualification": choice_values(model_choices("highest_qualification")),
            "sector": choice_values(model_choices("sector")),
            "career_stage": choice_values(model_choices("career_stage")),
            "country": choice_values(country_codes),
            "qualification_country": choice_values(country_codes),
            "qualification_year": number_values(MIN_YEAR, this_year),
            "years_experience": number_values(0, MAX_YEARS_EXPERIENCE),
            "hours_per_month": number_values(0, MAX_HOURS_PER_MONTH),
            "primary_subfield": id_values(ids["subfields"]),
            "orcid": st.one_of(
                st.sampled_from(
                    [
                        "0000-0002-1825-0097",
                        "0000-0002-1825-0098",
                        "https://orcid.org/0000-0002-1825-0097",
                        "x" * 70,
                    ]
                ),
                st.from_regex(r"\A\d{4}-\d{4}-\d{4}-\d{3}[\dX]\Z"),
            ),
            "scholar_url": web,
            "linkedin_url": web,
            "website_url": web,
            "willing_to_visit": booleans,
            "consent_processing": booleans,
            "consent_contact": booleans,
            "consent_directory": booleans,
        }
    )
    for name, valid_ids in ids.items():
        strategies[name] = st.lists(id_values(valid_ids), max_size=6)
    return strategies


@st.composite
def survey_posts(draw, *, for_update: bool = False) -> dict:
    """A survey POST: each field valid, fuzzed, generic, several values, or left out."""
    valid = survey_payload(email=draw(st.emails().map(str)) if not for_update else None)
    strategies = field_strategies()
    data = {}
    for name, strategy in strategies.items():
        if for_update and name == "email":
            continue
        choice = draw(
            st.sampled_from(["valid", "valid", "fuzzed", "generic", "several", "missing"])
        )
        if choice == "valid":
            value = valid.get(name, MISSING)
        elif choice == "fuzzed":
            value = draw(strategy)
        elif choice == "generic":
            value = draw(any_string)
        elif choice == "several":
            value = draw(st.lists(st.one_of(strategy, any_string), min_size=2, max_size=3))
        else:
            value = MISSING
        if value is not MISSING:
            data[name] = value
    if not for_update:
        data[HONEYPOT_FIELD] = draw(st.one_of(st.just(""), st.just(""), any_string))
    extras = draw(
        st.dictionaries(
            st.one_of(
                st.sampled_from(sorted(PROTECTED)),
                st.text(alphabet="abcdefghijklmnopqrstuvwxyz_[]0123456789", min_size=1),
            ),
            st.one_of(st.sampled_from(sorted(PROTECTED.values())), any_string),
            max_size=4,
        )
    )
    return {**extras, **data}


def post(client, url: str, data: dict, *, encoding: str):
    """POST as multipart (the default), URL-encoded, or JSON the view does not read."""
    if encoding == "urlencoded":
        body = urlencode(
            [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])]
        )
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    if encoding == "json":
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


encodings = st.sampled_from(["multipart", "multipart", "urlencoded", "json"])


def last_change():
    return Member.objects.aggregate(last=Max("updated_at"))["last"]


@fuzz_settings(ci_examples=60)
@given(data=st.data())
def test_fuzzed_survey_posts_never_error_and_never_store_an_invalid_submission(
    client, django_capture_on_commit_callbacks, data
):
    cache.clear()
    payload = data.draw(survey_posts())
    encoding = data.draw(encodings)
    count, changed = Member.objects.count(), last_change()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, REGISTER_URL, payload, encoding=encoding)

    assert response.status_code in (200, 302), response.status_code
    form = SurveyForm(response.wsgi_request.POST or None)
    if form.is_spam() or not form.is_valid():
        # Invalid or spam: nothing stored, nothing changed.
        assert response.status_code == (302 if form.is_spam() else 200)
        assert (Member.objects.count(), last_change()) == (count, changed)
        return
    assert response.status_code == 302
    assert Member.objects.count() in (count, count + 1)
    member = Member.objects.get(email=form.cleaned_data["email"])
    assert member.source == Member.Source.SURVEY
    assert member.status in (Member.Status.UNCONFIRMED, Member.Status.SUBMITTED)
    assert member.reviewed_by_id is None and member.staff_notes == ""
    assert member.duplicate_of_id is None
    assert member.privacy_notice_version != PROTECTED["privacy_notice_version"]
    if Member.objects.count() == count + 1:
        for name in TEXT_FIELDS:
            assert getattr(member, name) == form.cleaned_data[name], name
    else:
        # An earlier example registered the address (examples share the
        # database): these answers wait in a pending submission of their own
        # and the member keeps the first ones.
        pending = PendingRegistration.objects.filter(email=member.email)
        assert any(
            all(p.answers.get(name) == form.cleaned_data[name] for name in TEXT_FIELDS)
            for p in pending
        )


@pytest.fixture
def amina(make_member):
    # Consent already recorded for the current notice, so a save changes
    # nothing but the answers.
    return make_member(
        email="amina.khan@example.org",
        status=Member.Status.VERIFIED,
        source=Member.Source.SURVEY,
        consent_processing_at=timezone.now(),
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
    )


@fuzz_settings(ci_examples=30)
@given(data=st.data())
def test_fuzzed_profile_updates_never_error_and_change_nothing_when_invalid(
    client, django_capture_on_commit_callbacks, amina, data
):
    cache.clear()
    amina.refresh_from_db()
    url = reverse("registry:profile_edit", args=[link_token_make(member=amina, kind=UPDATE)])
    payload = data.draw(survey_posts(for_update=True))
    before = Member.objects.values().get(pk=amina.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, payload, encoding=data.draw(encodings))

    assert response.status_code in (200, 302), response.status_code
    after = Member.objects.values().get(pk=amina.pk)
    form = SurveyForm(response.wsgi_request.POST or None, instance=amina, for_update=True)
    if response.status_code == 200:
        assert not form.is_valid()
        assert after == before
        return
    assert form.is_valid()
    assert after["email"] == before["email"]
    assert after["status"] in (Member.Status.VERIFIED, Member.Status.SUBMITTED)
    for name in set(PROTECTED) - {"status", "id", "pk", "search_document", "name_key", "clusters"}:
        assert after.get(name, after.get(f"{name}_id")) == before.get(
            name, before.get(f"{name}_id")
        ), name
    for name in TEXT_FIELDS:
        assert after[name] == form.cleaned_data[name], name


@fuzz_settings(ci_examples=30)
@given(
    address=st.one_of(st.emails().map(str), any_string),
    honeypot=st.one_of(st.just(""), any_string),
    encoding=encodings,
)
def test_fuzzed_link_requests_never_error_and_never_reveal_the_address(
    client, mailoutbox, make_member, address, honeypot, encoding
):
    cache.clear()
    mailoutbox.clear()

    response = post(
        client, PROFILE_URL, {"email": address, HONEYPOT_FIELD: honeypot}, encoding=encoding
    )

    assert response.status_code in (200, 302)
    form = LinkRequestForm(response.wsgi_request.POST or None)
    if response.status_code == 302:
        assert response["Location"] == reverse("registry:profile_link_sent")
        assert form.is_valid() or form.is_spam()
    else:
        assert not form.is_valid()
    # No member is registered, so no e-mail ever goes out.
    assert mailoutbox == []
