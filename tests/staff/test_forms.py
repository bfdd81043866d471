"""The staff search's filter form as the page renders it (Django's Select widgets)."""

import re
from urllib.parse import urlencode

import pytest
from django.test.html import parse_html
from django.urls import reverse

from registry.models import ExpertiseCluster
from tests.factories import VIEWER_PERMS, staff_user

pytestmark = pytest.mark.django_db
SEARCH = reverse("registry:staff_search")
# A valid value of every select of the form, and the label of its option.
SELECTED = [
    ("field", "1", "1 Natural sciences"),
    ("subfield", "1.2", "1.2 Computer and information sciences"),
    ("cluster", "health-biomedicine", None),
    ("country", "PK", "Pakistan"),
    ("sector", "industry", None),
    ("engagement", "lectures", None),
    ("sdg", "3", None),
    ("qualification", "masters", None),
    ("stage", "r4", None),
    ("status", "all", "Any status"),
]


@pytest.fixture
def viewer_client(client):
    client.force_login(staff_user(perms=VIEWER_PERMS, username="viewer"))
    return client


def select_html(page: str, name: str) -> str:
    return re.search(rf'<select name="{name}"[^>]*>.*?</select>', page, re.DOTALL).group(0)


@pytest.mark.parametrize(("name", "value", "label"), SELECTED)
def test_each_filter_marks_the_chosen_option_only(viewer_client, name, value, label):
    page = viewer_client.get(f"{SEARCH}?{urlencode({name: value})}").content.decode()
    select = select_html(page, name)
    assert select.count(" selected") == 1
    assert re.search(rf'<option value="{re.escape(value)}" selected>', select)
    if label:
        chosen = f'<option value="{value}" selected>{label}</option>'
        assert parse_html(chosen) in parse_html(select)


def test_subfields_are_grouped_under_their_broad_field(viewer_client):
    select = select_html(viewer_client.get(SEARCH).content.decode(), "subfield")
    assert '<optgroup label="1 Natural sciences">' in select
    assert select.index("1 Natural sciences") < select.index("1.2 Computer")


def test_option_labels_are_escaped(viewer_client):
    ExpertiseCluster.objects.create(
        slug="hostile", name='<script>alert("x")</script> & "quotes"', is_active=True
    )
    select = select_html(viewer_client.get(SEARCH).content.decode(), "cluster")
    assert "<script>" not in select
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in select


def test_a_cluster_added_after_a_page_is_offered_on_the_next(viewer_client):
    # The filters' taxonomy is read once per taxonomy version and language:
    # a change made in the admin starts a new version.
    assert "new-cluster" not in select_html(viewer_client.get(SEARCH).content.decode(), "cluster")
    ExpertiseCluster.objects.create(slug="new-cluster", name="New cluster", is_active=True)
    select = select_html(viewer_client.get(SEARCH).content.decode(), "cluster")
    assert '<option value="new-cluster">New cluster</option>' in select
    found = viewer_client.get(f"{SEARCH}?cluster=new-cluster").context["form"]
    assert found.is_valid() and found.filters().cluster_id is not None
