"""The staff search's result rows, written in Python, match the template they replace."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from registry.selectors.grouping import MemberRow
from registry.templatetags.staff_search import member_rows

# The rows as the template language wrote them before member_rows.
TEMPLATE_ROWS = Template(
    "{% for member in members %}<tr>"
    '<th scope="row" class="fw-semibold"><a href="{% url \'admin:registry_member_change\' '
    'member.id %}" dir="auto">{{ member.full_name|default:_("(withdrawn)") }}</a></th>'
    '<td><span dir="auto">{{ member.job_title }}</span>{% if member.job_title and '
    'member.organisation %}<br>{% endif %}<span class="text-body-secondary" dir="auto">'
    "{{ member.organisation }}</span></td>"
    '<td><span title="{{ member.country }}">{{ member.country_name }}</span></td>'
    '<td class="keywords small" dir="auto">{{ member.keywords|truncatechars:120 }}</td>'
    '<td><span class="badge status-badge status-{{ member.status }}">'
    "{{ member.status_label }}</span></td></tr>{% endfor %}"
)


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
    }
    return MemberRow(**{**base, **values})


ROWS = [
    row(),
    row(id=8, full_name="", job_title="", country="", status="withdrawn", keywords=""),
    row(id=9, organisation="", keywords="x" * 119 + "éé" + "y" * 30),
    row(
        id=10,
        full_name='<script>alert("x")</script> & "quotes"',
        job_title="\u202eevil",
        organisation="{{ secret }} {% debug %}",
        keywords="عائشہ, " + "k" * 200,
    ),
]


@pytest.mark.parametrize("members", [ROWS, ROWS[:1], []], ids=["all", "one", "none"])
def test_member_rows_write_what_the_template_wrote(members):
    ours = member_rows(members)
    theirs = TEMPLATE_ROWS.render(Context({"members": members}))
    assert parse_html(ours) == parse_html(theirs)


def test_member_rows_escape_what_members_wrote():
    html = member_rows(ROWS)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ secret }}" in html  # shown as text, never evaluated
    assert 'href="/admin/registry/member/10/change/"' in html
