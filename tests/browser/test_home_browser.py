import pytest

pytestmark = pytest.mark.browser


def test_home_page_is_styled_by_the_vendored_bootstrap_without_errors(page, live_server):
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append(response) if response.request.resource_type == "stylesheet" else None
        ),
    )

    response = page.goto("/")

    assert response is not None and response.status == 200
    assert "Diaspora Outreach Research and Innovation Network" in page.title()
    assert "Register as a member of the network" in page.inner_text("main")

    # Every stylesheet came from the portal itself and loaded.
    assert {r.url.split("/static/", 1)[1] for r in stylesheets} == {
        "vendor/bootstrap/css/bootstrap.min.css",
        "css/portal.css",
    }
    assert all(r.url.startswith(live_server.url) and r.status == 200 for r in stylesheets)

    # Bootstrap's rules are applied (a browser's defaults would give an 8px
    # body margin, a block navbar and an unbounded container), and so is the
    # site's brand colour from portal.css.
    assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px"
    navbar = page.locator("nav.navbar")
    assert navbar.evaluate("el => getComputedStyle(el).display") == "flex"
    assert navbar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(11, 79, 108)"
    page.set_viewport_size({"width": 1280, "height": 800})
    container = page.locator("main .container").first
    assert container.evaluate("el => getComputedStyle(el).maxWidth") == "1140px"

    # The Bootstrap bundle ran (it defines window.bootstrap).
    assert page.evaluate("() => typeof window.bootstrap") == "object"

    assert page.console_errors == []


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    assert skip_link.evaluate("el => el === document.activeElement")
    assert skip_link.evaluate("el => el.getBoundingClientRect().top >= 0")

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.console_errors == []


def test_navigation_menu_opens_on_a_phone_with_the_bootstrap_bundle(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    privacy_link = page.get_by_role("link", name="Privacy", exact=True)
    toggler = page.get_by_role("button", name="Toggle navigation")

    assert not privacy_link.is_visible()
    toggler.click()

    privacy_link.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    privacy_link.click()
    page.wait_for_url("**/privacy/")
    assert page.locator("h1").inner_text() == "Privacy notice"
    assert page.console_errors == []
