"""Every page people and staff use, checked by axe-core in Chromium.

axe-core is vendored into the tests (tests/browser/vendor/axe-core, never
served by the site) and evaluated inside each page; a serious or critical
violation of the WCAG 2.1 A/AA rules or of axe's best practices fails the page,
at desktop and at phone width.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests import factories

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
WIDTHS = (1280, 375)


@dataclass(frozen=True)
class Page:
    """A page to check: who looks at it and its URL.

    `url` may name the seeded objects: {member} (the member's id), {update}
    and {withdraw} (the member's profile-link tokens).
    """

    role: str  # "anonymous" or a role of tests.factories.ROLE_GROUPS
    url: str
    method: str = "GET"


# One line per page. Staff pages that other branches add go here too.
PAGES = {
    # Public pages.
    "home": Page("anonymous", "/"),
    "privacy": Page("anonymous", "/privacy/"),
    "register": Page("anonymous", "/register/"),
    "register with errors": Page("anonymous", "/register/", method="POST"),
    "check your inbox": Page("anonymous", "/register/check-your-inbox/"),
    "confirmed": Page("anonymous", "/register/confirmed/"),
    "confirm link invalid": Page("anonymous", "/register/confirm/not-a-token/"),
    "profile request": Page("anonymous", "/profile/"),
    "profile link sent": Page("anonymous", "/profile/link-sent/"),
    "profile edit": Page("anonymous", "/profile/edit/{update}/"),
    "profile saved": Page("anonymous", "/profile/saved/"),
    "withdraw confirm": Page("anonymous", "/profile/withdraw/{withdraw}/"),
    "withdrawn": Page("anonymous", "/profile/withdrawn/"),
    "not found": Page("anonymous", "/no-such-page/"),
    # Staff pages.
    "staff home": Page("focal_point", "/staff/"),
    "staff dashboard": Page("focal_point", "/staff/dashboard/"),
    "opportunities": Page("focal_point", "/staff/opportunities/"),
    "new opportunity": Page("focal_point", "/staff/opportunities/new/"),
    "directory": Page("anonymous", "/directory/"),
    "contact": Page("anonymous", "/contact/"),
    "staff search": Page("focal_point", "/staff/search/"),
    "staff search results": Page("focal_point", "/staff/search/?q=physics&status="),
    "staff subfield page": Page("focal_point", "/staff/search/?subfield=1.2"),
    # Admin pages staff use.
    "admin login": Page("anonymous", "/admin/login/"),
    "admin index": Page("focal_point", "/admin/"),
    "admin member list": Page("focal_point", "/admin/registry/member/"),
    "admin member search": Page("focal_point", "/admin/registry/member/?q=Rahman"),
    "admin member change": Page("focal_point", "/admin/registry/member/{member}/change/"),
    "admin reject form": Page("focal_point", "/admin/registry/member/{member}/review/reject/"),
    "admin duplicate form": Page(
        "focal_point", "/admin/registry/member/{member}/review/duplicate/"
    ),
    "admin member history": Page("focal_point", "/admin/registry/member/{member}/history/"),
}


# The pages checked in Urdu too (right to left, another font): the public
# ones and the staff pages with the most layout; the rest of the list in
# English only, which keeps the suite's time in check. The admin stays English.
URDU_PAGES = (
    "home",
    "register",
    "register with errors",
    "profile request",
    "profile edit",
    "withdraw confirm",
    "privacy",
    "directory",
    "contact",
    "not found",
    "staff dashboard",
    "staff search results",
)
CHECKS = [(name, "en") for name in PAGES] + [(name, "ur") for name in URDU_PAGES]


@pytest.fixture
def seeded(live_taxonomy, make_member, subfield):
    """The fixed search set, and the values the page URLs name."""
    members = factories.fixed_members(make_member, subfield)
    member = members["amina"]
    return {
        "member": member.pk,
        "update": link_token_make(member=member, kind=UPDATE),
        "withdraw": link_token_make(member=member, kind=WITHDRAW),
    }


def _session_cookie(role: str, live_server) -> list[dict]:
    """The session cookie of a freshly signed-in user of the role (none if anonymous)."""
    if role == "anonymous":
        return []
    client = Client()
    client.force_login(factories.staff_user(role))
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }
    ]


def _key(violation: dict) -> tuple:
    """A violation's rule and elements, so one seen at both widths is reported once."""
    return violation["id"], tuple(str(node["target"]) for node in violation["nodes"])


def _format(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def _wait_for_autocompletes(page) -> None:
    """The admin builds its select2 widgets once jQuery is ready, after the load event."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('select.admin-autocomplete')]"
        ".every(s => s.classList.contains('select2-hidden-accessible'))"
    )


def axe_violations(page) -> list[dict]:
    """The serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


@pytest.mark.parametrize(("name", "language"), CHECKS, ids=[f"{n}-{lang}" for n, lang in CHECKS])
def test_page_has_no_serious_accessibility_violation(name, language, browser, live_server, seeded):
    spec = PAGES[name]
    # The browser's language: the Accept-Language a first visit follows.
    context = browser.new_context(base_url=live_server.url, locale=language)
    context.add_cookies(_session_cookie(spec.role, live_server))
    page = context.new_page()
    try:
        url = spec.url.format(**seeded)
        if spec.method == "POST":
            # The survey sent empty (the form has novalidate): every required
            # field shows its error.
            page.goto(url)
            page.locator("main form[method=post] [type=submit]").last.click()
            page.wait_for_load_state()
            assert page.locator(".invalid-feedback, .errorlist").count() > 0
        else:
            response = page.goto(url)
            # 404 and 400 (an invalid link) are pages people see too.
            assert response is not None and response.status in {200, 400, 404}, response
            assert page.url.split("?")[0].endswith(url.split("?")[0]), page.url
        _wait_for_autocompletes(page)
        if not spec.url.startswith("/admin/"):
            assert page.evaluate("() => document.documentElement.lang") == language
        failures, seen = [], set()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            violations = [v for v in axe_violations(page) if _key(v) not in seen]
            seen.update(map(_key, violations))
            if violations:
                failures.append(f"at {width} px:\n{_format(violations)}")
        assert not failures, f"{name} in {language} ({url}):\n" + "\n".join(failures)
    finally:
        context.close()


def test_an_open_autocomplete_search_box_is_named_by_its_field_label(browser, live_server, seeded):
    """select2 adds the dropdown's search box only when it opens."""
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(_session_cookie("focal_point", live_server))
    page = context.new_page()
    try:
        page.goto(PAGES["admin duplicate form"].url.format(**seeded))
        _wait_for_autocompletes(page)
        page.get_by_role("combobox", name="Original entry").click()
        search = page.locator(".select2-container--open .select2-search__field")
        search.wait_for()

        assert search.evaluate("el => el === document.activeElement")
        assert page.get_by_role("searchbox", name="Original entry").count() == 1
        violations = axe_violations(page)
        assert not violations, _format(violations)
    finally:
        context.close()


FOCUS_STYLE = """() => {
  const element = document.activeElement, style = getComputedStyle(element);
  return {
    body: element === document.body,
    element: element.outerHTML.slice(0, 80),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1,
    ring: style.boxShadow !== "none",
  };
}"""


def test_keyboard_focus_is_visible_on_every_control_of_the_home_page(page):
    """Each element Tab reaches shows an outline or a focus ring."""
    page.goto("/")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus["body"]:  # past the last control
            break
        reached.append(focus["element"])
        assert focus["outline"] or focus["ring"], focus["element"]
    assert len(reached) >= 8, reached
