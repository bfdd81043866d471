"""Urdu, right to left, in a real Chromium: the survey walk on a phone, the
language switch without JavaScript, nothing wider than the screen, the Urdu font.

Texts are looked up with gettext under the language in use (t("ur", ...)), so
the tests hold before and after the Urdu catalogue lands. Screenshots go to
BROWSER_SCREENSHOTS_DIR when it is set (for a person to look at), else to the
test's temporary folder.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from registry.forms import SurveyForm
from registry.models import Member
from registry.tokens import UPDATE, link_token_make
from tests import factories
from tests.factories import link_to

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
URDU_NAME = "آمنہ خان"

# The public pages a visitor reaches from the menu and the footer.
PUBLIC_PAGES = ("/", "/register/", "/profile/", "/privacy/", "/directory/", "/contact/")

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  for (const element of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") continue;
    // Out of sight on purpose: the honeypot and the skip link until focused.
    if (element.closest(".hp-field, .skip-link, .visually-hidden")) continue;
    // Inside a box that scrolls or clips (wide tables): the box is checked instead.
    let parent = element.parentElement, clipped = false;
    while (parent && parent !== document.body) {
      const overflow = getComputedStyle(parent).overflowX;
      if (overflow !== "visible") { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (clipped) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -1 || box.right > width + 1) {
      const name = `${element.tagName.toLowerCase()}.${element.className}`;
      outside.push(`${name}: ${box.left}..${box.right}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, outside};
}"""


def t(language: str, text: str) -> str:
    """The text as the page shows it in that language."""
    with translation.override(language):
        return gettext(text)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go; shot(page, name) takes one of the whole page."""
    folder = Path(os.environ.get("BROWSER_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


def _html_lang_dir(page) -> tuple[str, str]:
    return tuple(
        page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
    )


def survey_label(language: str, name: str) -> str:
    """The survey field's label as the form shows it in that language."""
    with translation.override(language):
        return str(SurveyForm().fields[name].label)


def _fill_survey(page, language: str) -> None:
    """The survey's required answers and a few more, each field found by its label."""
    page.get_by_role("textbox", name=survey_label(language, "full_name")).fill(URDU_NAME)
    page.get_by_role("textbox", name=survey_label(language, "email")).fill("amina.khan@example.org")
    # The type-ahead box in front of the country list takes the country's name
    # as the list shows it in this language.
    country = page.locator("#id_country option[value=GB]").text_content()
    page.locator("#id_country-typeahead").fill(country)
    page.get_by_role("textbox", name=survey_label(language, "city")).fill("لاہور")
    page.locator("input[name=connection][value=dual]").check()
    page.locator("#id_highest_qualification").select_option("phd")
    page.get_by_role("textbox", name=survey_label(language, "organisation")).fill(
        "University of Oxford"
    )
    page.locator("#id_sector").select_option(index=1)
    page.locator("input[name=career_stage][value=r3]").check()
    page.locator("#id_primary_subfield").select_option(index=1)
    page.locator("#id_consent_processing").check()


def test_a_person_walks_the_survey_in_urdu_on_a_phone(make_page, mailoutbox, shots):
    page = make_page(viewport=PHONE, locale="ur-PK", is_mobile=True, has_touch=True)

    page.goto("/")
    assert _html_lang_dir(page) == ("ur", "rtl")
    shots(page, "phone-rtl-home")
    page.goto("/register/")
    shots(page, "phone-rtl-register")
    _fill_survey(page, "ur")
    page.get_by_role("button", name=t("ur", "Register"), exact=True).click()

    page.get_by_role("heading", name=t("ur", "Check your inbox")).wait_for()
    shots(page, "phone-rtl-check-inbox")
    member = Member.objects.get()
    assert member.full_name == URDU_NAME
    assert member.status == Member.Status.UNCONFIRMED

    (confirm_mail,) = mailoutbox
    # The survey was read in Urdu: so is the member's language, and the e-mail.
    assert member.language == "ur"
    subject = t("ur", "Please confirm your DORIN registration")
    assert subject != "Please confirm your DORIN registration"
    assert confirm_mail.subject == subject
    page.goto(link_to(confirm_mail, "registry:confirm"))
    assert _html_lang_dir(page) == ("ur", "rtl")
    page.get_by_role("button", name=t("ur", "Confirm my registration")).click()
    page.get_by_role(
        "heading", name=t("ur", "Thank you, your registration is confirmed")
    ).wait_for()
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED

    # The profile link, asked for from the profile page, updates the profile.
    page.goto("/profile/")
    page.get_by_label(t("ur", "E-mail address")).fill("amina.khan@example.org")
    page.get_by_role("button", name=t("ur", "Send me a link")).click()
    page.get_by_role("heading", name=t("ur", "Check your inbox")).wait_for()
    page.goto(link_to(mailoutbox[-1], "registry:profile_edit"))
    page.get_by_role("heading", name=t("ur", "Update your profile")).wait_for()
    shots(page, "phone-rtl-profile-edit")
    page.get_by_role("textbox", name=survey_label("ur", "city")).fill("کراچی")
    page.get_by_role("button", name=t("ur", "Save my changes")).click()
    page.get_by_role("heading", name=t("ur", "Your changes are saved")).wait_for()
    member.refresh_from_db()
    assert member.city == "کراچی"

    # And withdraws it, from the link on the same page.
    page.goto(link_to(mailoutbox[-1], "registry:profile_edit"))
    page.get_by_role("link", name=t("ur", "Withdraw my profile…")).click()
    page.get_by_role("heading", name=t("ur", "Withdraw your profile?")).wait_for()
    shots(page, "phone-rtl-withdraw")
    page.get_by_role("button", name=t("ur", "Yes, erase my personal data")).click()
    page.get_by_role("heading", name=t("ur", "Your profile has been withdrawn")).wait_for()
    shots(page, "phone-rtl-withdrawn")
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN
    assert member.full_name != URDU_NAME
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_public_page_is_wider_than_the_screen_right_to_left(make_page, shots, viewport):
    page = make_page(viewport=viewport, locale="ur")
    failures = []
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert _html_lang_dir(page) == ("ur", "rtl"), url
        result = page.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["width"] or result["outside"]:
            failures.append(f"{url}: {result}")
        name = url.strip("/") or "home"
        shots(page, f"{'phone' if viewport is PHONE else 'desktop'}-rtl-{name}")
    assert failures == []
    assert page.console_errors == []


def test_the_language_switch_works_without_javascript(make_page):
    page = make_page(java_script_enabled=False, locale="en-GB")
    page.goto("/privacy/?from=test")
    assert _html_lang_dir(page) == ("en", "ltr")
    assert page.locator("link[href*='bootstrap.min.css']").count() == 1

    page.locator(".language-switch").get_by_role("button", name="اردو").click()

    page.wait_for_url("**/privacy/?from=test")
    assert _html_lang_dir(page) == ("ur", "rtl")
    assert page.locator("link[href*='bootstrap.rtl.min.css']").count() == 1
    # The other way, and the choice holds on the next page.
    page.locator(".language-switch").get_by_role("button", name="English").click()
    page.wait_for_url("**/privacy/?from=test")
    assert _html_lang_dir(page) == ("en", "ltr")
    page.goto("/register/")
    assert _html_lang_dir(page) == ("en", "ltr")


def test_the_language_switch_fits_beside_the_menu_button_on_a_small_phone(make_page):
    page = make_page(viewport={"width": 360, "height": 740}, locale="en")
    page.goto("/")
    switch = page.locator(".language-switch button")
    toggler = page.locator(".navbar-toggler")

    assert switch.is_visible() and toggler.is_visible()
    switch_box, toggler_box = switch.bounding_box(), toggler.bounding_box()
    # On one line with the menu button, inside the screen.
    assert abs(switch_box["y"] - toggler_box["y"]) < toggler_box["height"]
    assert switch_box["x"] >= 0 and toggler_box["x"] + toggler_box["width"] <= 360
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


LOADED_FAMILIES = "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"


def _drawn_in_urdu_font(page, locator) -> bool:
    """The element's first font is the Urdu face and that face is loaded."""
    page.evaluate("() => document.fonts.ready")
    family = locator.evaluate("el => getComputedStyle(el).fontFamily")
    loaded = [name.strip('"') for name in page.evaluate(LOADED_FAMILIES)]
    return family.startswith('"Noto Nastaliq Urdu"') and "Noto Nastaliq Urdu" in loaded


def test_an_urdu_name_on_an_english_page_is_drawn_in_the_urdu_font(make_page, make_member):
    make_member(full_name=URDU_NAME, consent_directory=True, status=Member.Status.VERIFIED)
    page = make_page(locale="en")

    page.goto("/directory/")
    assert _html_lang_dir(page) == ("en", "ltr")
    name = page.locator("p[dir=auto]", has_text=URDU_NAME)

    assert name.inner_text() == URDU_NAME
    assert _drawn_in_urdu_font(page, name)
    assert page.evaluate("() => document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'آمنہ')")


def test_the_switch_names_urdu_in_the_urdu_font_on_english_pages(make_page):
    page = make_page(locale="en")
    page.goto("/privacy/")

    assert _drawn_in_urdu_font(page, page.locator(".language-switch [lang=ur]"))


def test_the_staff_dashboard_map_keeps_geography_right_to_left(browser, live_server, seeded_map):
    from tests.browser.test_accessibility_browser import _session_cookie

    context = browser.new_context(base_url=live_server.url, locale="ur", viewport=DESKTOP)
    context.add_cookies(_session_cookie("focal_point", live_server))
    page = context.new_page()
    try:
        page.goto("/staff/dashboard/")
        assert _html_lang_dir(page) == ("ur", "rtl")
        map_svg = page.locator("svg.world-map")
        assert map_svg.evaluate("el => getComputedStyle(el).transform") == "none"
        west = page.locator("[data-country=GB] path").bounding_box()
        east = page.locator("[data-country=PK] path").bounding_box()
        # Britain stays west (left) of Pakistan.
        assert west["x"] < east["x"]
    finally:
        context.close()


@pytest.fixture
def seeded_map(live_taxonomy, make_member):
    make_member(country="GB", status=Member.Status.VERIFIED)
    make_member(country="PK", status=Member.Status.VERIFIED)


def test_profile_edit_in_urdu_shows_the_stored_urdu_name(make_page, make_member, shots):
    member = make_member(full_name=URDU_NAME)
    page = make_page(viewport=DESKTOP, locale="ur")
    page.goto(f"/profile/edit/{link_token_make(member=member, kind=UPDATE)}/")
    assert (
        page.get_by_role("textbox", name=survey_label("ur", "full_name")).input_value() == URDU_NAME
    )
    shots(page, "desktop-rtl-profile-edit")
    english = make_page(viewport=DESKTOP, locale="en")
    english.goto("/")
    shots(english, "desktop-ltr-home")
    english.set_viewport_size(PHONE)
    shots(english, "phone-ltr-home")


COUNTRIES = "US GB DE CA AE AU IT NL CH SA SE NO TR FR CN".split()


def test_the_staff_dashboard_fits_a_phone_right_to_left(browser, live_server, live_taxonomy, shots):
    """The heat table of fifteen countries scrolls inside its box, not the page."""
    from tests.browser.test_accessibility_browser import _session_cookie

    for code in COUNTRIES:
        factories.make_member(country=code, status=Member.Status.VERIFIED)
    context = browser.new_context(base_url=live_server.url, locale="ur", viewport=PHONE)
    context.add_cookies(_session_cookie("focal_point", live_server))
    page = context.new_page()
    try:
        for url in ("/staff/dashboard/", "/staff/search/?q=&status="):
            page.goto(url)
            assert _html_lang_dir(page) == ("ur", "rtl")
            result = page.evaluate(OVERFLOW)
            assert result["scrollWidth"] <= result["width"], (url, result)
            assert result["outside"] == [], (url, result)
        shots(page, "phone-rtl-staff-search")
    finally:
        context.close()
