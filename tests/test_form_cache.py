"""The empty survey's fields are rendered once and shared; every visitor still gets a token."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.settings import git_revision
from registry import form_cache, views
from registry.forms import SurveyForm
from registry.models import Field, Sdg, Subfield
from registry.views import SURVEY_FIELDS_TEMPLATE
from tests.factories import REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client) -> str:
    response = client.get(REGISTER_URL)
    assert response.status_code == 200
    return response.content.decode()


def _without_token(html: str) -> str:
    return _TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def test_a_second_visit_renders_the_same_survey_without_queries(client, django_assert_num_queries):
    first = _page(client)
    with django_assert_num_queries(0):
        second = _page(Client())
    assert _without_token(second) == _without_token(first)
    # The survey's token and the language switch's.
    assert second.count('name="csrfmiddlewaretoken"') == 2
    assert 'name="primary_subfield"' in second
    assert "<summary>Medical and health sciences</summary>" in second


def test_the_shared_fields_are_what_the_form_renders_itself(client):
    page = _page(client)
    assert render_to_string(SURVEY_FIELDS_TEMPLATE, {"form": SurveyForm()}) in page


def test_every_visitor_gets_a_token_of_their_own_and_can_send_the_survey(
    django_capture_on_commit_callbacks,
):
    tokens = set()
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        # The survey's token (the language switch in the menu has its own, first).
        *_switch, token = _TOKEN.findall(_page(visitor))
        tokens.add(token)
    assert len(tokens) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(REGISTER_URL, {**survey_payload(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_new_subfield_appears_at_once(client):
    _page(client)
    Subfield.objects.create(
        field=Field.objects.get(code="3"), code="3.99", name="Space medicine", position=399
    )
    assert "Space medicine" in _page(client)


def test_a_renamed_or_deleted_choice_changes_the_survey_at_once(client):
    assert "Quality education" in _page(client)
    sdg = Sdg.objects.get(number=4)
    sdg.name = "Education for all"
    sdg.save()
    page = _page(client)
    assert "Education for all" in page
    assert "Quality education" not in page
    sdg.delete()
    assert "Education for all" not in _page(client)


def test_a_renamed_broad_field_renames_its_group(client):
    _page(client)
    field = Field.objects.get(code="3")
    field.name = "Health sciences"
    field.save()
    assert "<summary>Health sciences</summary>" in _page(client)


def test_a_change_without_signals_shows_once_the_taxonomy_version_ends(client, monkeypatch):
    _page(client)
    Sdg.objects.filter(number=4).update(name="Education for all")
    assert "Education for all" not in _page(client)
    # What the version's expiry does after TAXONOMY_VERSION_TIMEOUT seconds,
    # seen by this process once its own reading is LOCAL_VERSION_SECONDS old.
    cache.delete(form_cache.TAXONOMY_VERSION_KEY)
    assert "Education for all" not in _page(client)
    monkeypatch.setattr(form_cache, "LOCAL_VERSION_SECONDS", 0)
    assert "Education for all" in _page(client)


def test_a_change_made_by_another_process_shows_within_a_second(client, monkeypatch):
    _page(client)
    Sdg.objects.filter(number=4).update(name="Education for all")
    # Another worker saved the goal: its signal started a new version in the
    # shared cache, which this process reads at its next look.
    cache.set(form_cache.TAXONOMY_VERSION_KEY, "from-another-process")
    clock = [1000.0]
    monkeypatch.setattr(form_cache.time, "monotonic", lambda: clock[0])
    form_cache.forget_local_copies()
    _page(client)  # read at t=1000 s
    cache.set(form_cache.TAXONOMY_VERSION_KEY, "changed-again")
    Sdg.objects.filter(number=4).update(name="Quality education for all")
    assert "Quality education for all" not in _page(client)
    clock[0] += form_cache.LOCAL_VERSION_SECONDS
    assert "Quality education for all" in _page(client)


def test_the_fields_are_kept_apart_by_language_and_year(client, monkeypatch):
    with translation.override("en"):
        english = form_cache._fragment_key("survey-fields")
    with translation.override("fr"):
        french = form_cache._fragment_key("survey-fields")
    assert english != french

    class NextYear:
        year = 2999

    monkeypatch.setattr(form_cache.timezone, "localdate", lambda: NextYear)
    with translation.override("en"):
        assert form_cache._fragment_key("survey-fields") != english


def test_a_new_release_gets_freshly_rendered_fields(client, settings):
    settings.RELEASE = "release-1"
    first = form_cache._fragment_key("survey-fields")
    assert form_cache._fragment_key("survey-fields") == first
    settings.RELEASE = "release-2"
    assert form_cache._fragment_key("survey-fields") != first


REVISION = "0123456789abcdef0123456789abcdef01234567"


def test_the_release_defaults_to_the_checked_out_git_commit(tmp_path):
    assert git_revision(tmp_path) == ""
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    assert git_revision(tmp_path) == ""
    (git / "packed-refs").write_text(f"# pack-refs\n{REVISION} refs/heads/main\n")
    assert git_revision(tmp_path) == REVISION
    (git / "refs" / "heads" / "main").write_text("f" * 40 + "\n")
    assert git_revision(tmp_path) == "f" * 40
    (git / "HEAD").write_text(REVISION + "\n")
    assert git_revision(tmp_path) == REVISION


def test_a_git_worktree_finds_its_branch_in_the_shared_repository(tmp_path):
    common = tmp_path / "main" / ".git"
    worktree_git = common / "worktrees" / "feature"
    worktree_git.mkdir(parents=True)
    (worktree_git / "HEAD").write_text("ref: refs/heads/feature\n")
    (worktree_git / "commondir").write_text("../..\n")
    (common / "refs" / "heads").mkdir(parents=True)
    (common / "refs" / "heads" / "feature").write_text(REVISION + "\n")
    checkout = tmp_path / "feature"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {worktree_git}\n")
    assert git_revision(checkout) == REVISION


def test_a_re_rendered_survey_with_errors_is_not_shared(client):
    _page(client)
    response = client.post(REGISTER_URL, survey_payload(full_name="", city="Lahore"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter your full name." in html
    assert 'value="Lahore"' in html
    assert "Enter your full name." not in _page(Client())


def test_the_shared_anonymous_page_is_the_page_rendered_for_the_visitor(client, monkeypatch):
    shared = _page(client)
    assert views.CSRF_TOKEN_PLACEHOLDER not in shared
    # With a message waiting the page is rendered for the request alone.
    monkeypatch.setattr(views, "get_messages", lambda request: ["a message"])
    rendered = _page(Client())
    assert _without_token(rendered) == _without_token(shared)


def test_a_signed_in_staff_member_gets_their_own_page_not_the_shared_one(client):
    _page(Client())  # the anonymous page is now shared
    staff = User.objects.create_user("focal", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_member"))
    client.force_login(staff)
    page = _page(client)
    assert reverse("registry:staff_search") in page
    assert reverse("registry:staff_search") not in _page(Client())


def test_the_shared_survey_page_keeps_nothing_of_the_first_visitors_query_string(client, db):
    client.get(REGISTER_URL + "?ref=first-visitor-secret")

    page = client.get(REGISTER_URL).content.decode()

    assert "first-visitor-secret" not in page
    assert f'name="next" value="{REGISTER_URL}"' in page
