"""The survey as a person fills it in: by the labels, in a real Chromium."""

import pytest
from django.core.cache import cache

from registry.models import Member
from tests.factories import link_to, taxonomy_load

pytestmark = pytest.mark.browser

CONSENT = "I agree that the Ministry of Foreign Affairs keeps and uses my answers"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _taxonomy(transactional_db):
    """The taxonomy that the migrations load.

    A live server needs committed data, so browser tests run in real
    transactions and the database is flushed after each of them, taxonomy
    included. Loading it again here (the migration's loader is idempotent)
    lets these tests run in any order after other browser tests.
    """
    taxonomy_load()


def fill_survey(page, *, full_name="Amina Khan"):
    """Answer the survey as a person would, finding every field by its label."""
    if full_name:
        page.get_by_label("Full name").fill(full_name)
    page.get_by_label("E-mail address").fill("Amina.Khan@example.org")
    page.get_by_label("Gender", exact=True).select_option(label="Female")
    # A text box with type-ahead (static/js/typeahead.js) in front of the list.
    page.get_by_label("Country where you live").fill("United Kingdom")
    page.get_by_label("City").fill("London")
    page.get_by_label("Dual national").check()
    page.get_by_label("Highest qualification").select_option(label="PhD or equivalent doctorate")
    page.get_by_label("Subject of that qualification").fill("Medical physics")
    page.get_by_label("Year obtained").fill("2012")
    page.get_by_label("Job title").fill("Consultant physicist")
    page.get_by_label("Organisation or employer").fill("Guy's and St Thomas' Hospital")
    page.get_by_label("Sector").select_option(label="Research institute")
    page.get_by_label("R3 Established researcher").check()
    page.get_by_label("Main field of expertise").select_option(label="Clinical medicine")
    # Other fields sit in collapsed groups named after their broad field.
    page.locator("summary", has_text="Natural sciences").click()
    page.get_by_label("Physical sciences").check()
    page.get_by_label("Keywords and specialisations").fill("medical physics, PET imaging")
    page.get_by_label("Short summary of your expertise").fill("Quantitative PET imaging.")
    page.get_by_label("ORCID iD").fill("https://orcid.org/0000-0002-1825-0097")
    page.get_by_label("Joint research").check()
    page.get_by_label("SDG 3: Good health and well-being").check()
    page.get_by_label("Hours per month you could give").fill("8")
    page.get_by_label(CONSENT).check()


def test_a_person_registers_and_confirms_the_address(page, mailoutbox):
    page.goto("/register/")
    fill_survey(page)

    page.get_by_role("button", name="Register").click()

    page.get_by_role("heading", name="Check your inbox").wait_for()
    member = Member.objects.get()
    assert member.status == Member.Status.UNCONFIRMED
    assert member.email == "amina.khan@example.org"
    assert member.organisation == "Guy's and St Thomas' Hospital"
    assert member.orcid == "0000-0002-1825-0097"
    assert member.country == "GB"
    assert [s.name for s in member.subfields.all()] == ["Physical sciences"]

    (message,) = mailoutbox
    page.goto(link_to(message, "registry:confirm"))
    # Opening the link confirms nothing (mail scanners open links); the button does.
    assert Member.objects.get().status == Member.Status.UNCONFIRMED
    page.get_by_role("button", name="Confirm my registration").click()

    page.get_by_role("heading", name="Thank you, your registration is confirmed").wait_for()
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED
    assert page.console_errors == []


def test_a_missing_answer_is_shown_next_to_its_field_and_the_rest_is_kept(page, mailoutbox):
    page.goto("/register/")
    fill_survey(page, full_name="")

    page.get_by_role("button", name="Register").click()

    summary = page.locator("#survey-errors")
    summary.wait_for()
    assert "Full name: Enter your full name." in summary.inner_text()
    # The summary takes the focus, so a screen reader reads it first.
    assert summary.evaluate("el => el === document.activeElement")
    name = page.get_by_label("Full name")
    assert name.get_attribute("aria-invalid") == "true"
    assert page.locator("#id_full_name_error").inner_text().strip() == "Enter your full name."
    assert page.locator("#id_full_name_error").is_visible()
    # The summary's link takes the person to the field.
    summary.get_by_role("link").first.click()
    assert name.evaluate("el => el === document.activeElement")

    assert page.get_by_label("City").input_value() == "London"
    assert page.get_by_label("Country where you live").input_value() == "United Kingdom"
    assert page.locator("select#id_country").input_value() == "GB"
    assert page.get_by_label("Dual national").is_checked()
    assert page.get_by_label("Physical sciences").is_visible()
    assert page.get_by_label("Physical sciences").is_checked()
    assert page.get_by_label("SDG 3: Good health and well-being").is_checked()
    assert page.get_by_label(CONSENT).is_checked()
    assert page.get_by_label("ORCID iD").input_value() == "https://orcid.org/0000-0002-1825-0097"
    assert Member.objects.count() == 0

    name.fill("Amina Khan")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert Member.objects.get().full_name == "Amina Khan"
    assert len(mailoutbox) == 1
    assert page.console_errors == []


def test_the_survey_fits_a_phone_screen(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/register/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # The honeypot is out of sight and out of the keyboard's way.
    honeypot = page.locator("input[name=homepage]")
    assert honeypot.evaluate("el => el.getBoundingClientRect().right") < 0
    assert honeypot.get_attribute("tabindex") == "-1"
    submit = page.get_by_role("button", name="Register")
    assert submit.bounding_box()["width"] > 300
    assert page.console_errors == []
