"""The staff search's result rows, as the member table template renders them."""

import re

import pytest
from django.template.loader import render_to_string
from django.test.html import parse_html

from registry.search.rows import MemberRow

TEMPLATE = "registry/staff/_member_table.html"


def row(**values) -> MemberRow:
    base = {
        "id": 7,
        "full_name": "Ayesha Khan",
        "job_title": "Professor",
        "organisation": "University of Lahore",
        "country": "PK",
        "keywords": "particle physics, detectors",
        "status": "verified",
        "primary_subfield_id": 1,
        "name_key": "ayesha khan",
        "city": "Geneva",
        "consent_contact": True,
    }
    return MemberRow(**{**base, **values})


ROWS = [
    row(),
    row(
        id=8,
        full_name="",
        job_title="",
        country="",
        city="",
        status="withdrawn",
        keywords="",
        consent_contact=False,
    ),
    row(id=9, organisation="", keywords="x" * 119 + "éé" + "y" * 30),
    row(
        id=10,
        full_name='<script>alert("x")</script> & "quotes"',
        job_title="\u202eevil",
        organisation="{{ secret }} {% debug %}",
        keywords="عائشہ, " + "k" * 200,
    ),
]


def rows_html(members) -> list[str]:
    html = render_to_string(TEMPLATE, {"members": members})
    body = re.search(r"<tbody>(.*)</tbody>", html, re.DOTALL).group(1)
    return re.findall(r"<tr>.*?</tr>", body, re.DOTALL)


@pytest.mark.parametrize("members", [ROWS, ROWS[:1], []], ids=["all", "one", "none"])
def test_one_row_per_member_linking_to_its_admin_page(members):
    rows = rows_html(members)
    assert len(rows) == len(members)
    for member, html in zip(members, rows, strict=True):
        link = f'<a href="/admin/registry/member/{member.id}/change/" dir="auto">'
        assert link in html
        assert '<td class="keywords small" dir="auto">' in html


def test_a_row_shows_position_country_keywords_and_status_badge():
    html = rows_html(ROWS[:1])[0]
    expected = (
        '<tr><th scope="row" class="fw-semibold">'
        '<a href="/admin/registry/member/7/change/" dir="auto">Ayesha Khan</a></th>'
        '<td><span dir="auto">Professor</span><br>'
        '<span class="text-body-secondary" dir="auto">University of Lahore</span></td>'
        '<td><span title="PK">Pakistan</span>'
        '<span class="d-block small text-body-secondary" dir="auto">Geneva</span></td>'
        '<td class="keywords small" dir="auto">particle physics, detectors</td>'
        '<td><span class="badge status-badge status-verified">Verified</span>'
        '<span class="d-block small contact-consent">&#10003; Agreed to be contacted</span>'
        "</td></tr>"
    )
    assert parse_html(html) == parse_html(expected)


def test_rows_show_withdrawn_names_and_cut_long_keywords():
    withdrawn, cut = rows_html(ROWS[1:3])
    assert "&#10003; Agreed to be contacted" in cut or "✓ Agreed to be contacted" in cut
    assert ">(withdrawn)</a>" in withdrawn and "status-withdrawn" in withdrawn
    assert "<br>" not in withdrawn + cut  # a line break only between two parts
    assert "Did not agree to be contacted" in withdrawn
    keywords = re.search(r'"keywords small" dir="auto">(.*?)</td>', cut).group(1)
    assert keywords == "x" * 119 + "…"


def test_member_rows_escape_what_members_wrote():
    html = rows_html(ROWS)[3]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ secret }}" in html  # shown as text, never evaluated
    assert 'href="/admin/registry/member/10/change/"' in html
