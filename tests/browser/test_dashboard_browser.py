"""The staff dashboard in Chromium: from the map to the search, and screenshots.

Screenshots of the dashboard at desktop and phone width go to the directory
$DORIN_SCREENSHOTS names, or to the test's temporary directory (never committed).
"""

import os
import re
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def screenshots(tmp_path) -> Path:
    directory = Path(os.environ.get("DORIN_SCREENSHOTS") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def sign_in(page, username: str) -> None:
    page.goto("/admin/login/?next=/staff/dashboard/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/staff/dashboard/")


def test_a_country_on_the_map_opens_the_search_filtered_by_it(page, subfield, screenshots):
    for code, country in (("1.2", "US"), ("3.2", "US"), ("6.2", "US"), ("1.3", "DE")):
        factories.make_member(country=country, primary_subfield=subfield(code))
    factories.staff_user("focal_point")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "focal_point")

    assert "4 members in these figures" in page.inner_text("main")
    united_states = page.locator('.world-map a[data-country="US"]')
    assert "United States of America: 3 members" in united_states.locator("title").text_content()
    page.screenshot(path=screenshots / "dashboard-1280.png", full_page=True)

    united_states.click()
    page.wait_for_url(re.compile(r"/staff/search/\?.*country=US"))
    assert page.locator("#id_country").input_value() == "US"
    assert "3 members match" in page.inner_text("main")

    page.go_back()
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=screenshots / "dashboard-375.png", full_page=True)
    # Nothing wider than the phone's screen but the tables that scroll inside their box.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert (screenshots / "dashboard-1280.png").stat().st_size > 0
    assert page.console_errors == []
