"""Staff and admin pages show personal data: no cache may keep them.

Every page under /staff/ and /admin/ carries Cache-Control: no-store, private,
whatever the answer (the page, a refusal, a redirect to the login, a CSV).
A stricter header a view set itself keeps its directives. The public links
pages keep the no-store they always had.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.cache import get_max_age

from registry.models import ExportLog
from registry.services.exports import export_log_start
from registry.tokens import UPDATE, WITHDRAW, link_token_make

pytestmark = pytest.mark.django_db


def url_names(patterns, prefix: str = "", namespace: str = ""):
    """(route, view name) of every URL pattern, through every include()."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, namespace + pattern.name


def staff_urls() -> list[str]:
    """Every staff page: those that need arguments get them here, by hand
    (the opportunity pages are checked in tests/outreach)."""
    arguments = {"registry:staff_dashboard_csv": ["country"]}
    return sorted(
        reverse(name, args=arguments.get(name))
        for route, name in url_names(get_resolver().url_patterns)
        if route.startswith("staff/") and ("<" not in route or name in arguments)
    )


def admin_urls(member) -> list[str]:
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    return [
        reverse("admin:index"),
        reverse("admin:registry_member_changelist"),
        reverse("admin:registry_member_changelist") + "?q=Khan",
        reverse("admin:registry_member_change", args=[member.pk]),
        reverse("admin:registry_member_history", args=[member.pk]),
        reverse("admin:registry_exportlog_changelist"),
        reverse("admin:registry_exportlog_change", args=[log.pk]),
        *(
            reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
            for m in admin.site._registry
        ),
    ]


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_the_staff_pages_are_found(member):
    assert reverse("registry:staff_search") in staff_urls()
    assert reverse("registry:staff_export") in staff_urls()
    assert reverse("registry:staff_dashboard") in staff_urls()


@pytest.mark.parametrize("role", ["superuser", "analyst", "viewer", "anonymous"])
def test_every_staff_page_is_sent_with_no_store_private(role_client, member, role):
    client = role_client(role)

    for url in staff_urls():
        for query in ({}, {"q": "Khan", "status": "all"}, {"page": "x"}):
            response = client.get(url, query)
            if response.streaming:
                # Read to the end, as a server would, so an export frees its
                # slot for the next.
                b"".join(response.streaming_content)
            assert response.status_code in {200, 302, 400, 403}, url
            assert {"no-store", "private"} <= directives(response), (role, url, query)


@pytest.mark.parametrize("role", ["superuser", "viewer", "focal_point", "anonymous"])
def test_admin_pages_are_sent_with_no_store_private(role_client, member, role):
    client = role_client(role)

    for url in admin_urls(member):
        response = client.get(url)
        assert {"no-store", "private"} <= directives(response), (role, url, response.status_code)


def test_the_admins_own_stricter_header_keeps_all_its_directives(role_client, member):
    response = role_client("superuser").get(reverse("admin:registry_member_changelist"))

    assert response.status_code == 200
    assert {"no-store", "private", "no-cache", "must-revalidate"} <= directives(response)
    assert get_max_age(response) == 0
    assert "public" not in directives(response)


def test_the_profile_and_link_pages_still_send_no_store(client, make_member):
    member = make_member(email="amina.khan@example.org")
    urls = [
        reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)]),
        reverse("registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in directives(response), url
