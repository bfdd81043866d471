"""Markup the accessibility checks rely on, without a browser
(tests/browser/test_accessibility_browser.py runs axe-core on the pages)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.admin.pages import CHANGELIST

pytestmark = pytest.mark.django_db


class _Tree(HTMLParser):
    """Records, for each element inside the first <dl class="... figures">, its
    tag and its parent's tag."""

    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.in_figures = False
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "dl" and "figures" in classes:
            self.in_figures = True
        elif self.in_figures:
            self.pairs.append((self.stack[-1], tag))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.stack.pop()
        if tag == "dl":
            self.in_figures = False


def test_home_figures_are_a_definition_list_of_div_groups(client):
    tree = _Tree()
    tree.feed(client.get(reverse("registry:home")).content.decode())

    # <dl> holds only <div>s, each holding exactly one <dt> and one <dd>.
    assert [child for parent, child in tree.pairs if parent == "dl"] == ["div"] * 3
    assert [child for parent, child in tree.pairs if parent == "div"] == ["dt", "dd"] * 3
    assert {parent for parent, child in tree.pairs if child in {"dt", "dd"}} == {"div"}


def test_admin_member_search_box_has_a_visible_text_label(role_client):
    body = role_client("viewer").get(CHANGELIST).content.decode()

    assert 'alt="">Search members</label>' in body
    assert '<label for="searchbar">' in body
    assert 'id="searchbar"' in body
