"""Survey comfort (issue 17, item 10): the e-mail typo hint, the country
type-ahead and the section index."""

import re

import pytest
from django.urls import reverse

from registry.models import Member
from registry.tokens import UPDATE, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db


def test_a_mistyped_domain_comes_back_once_with_the_suggestion(submit, mailoutbox):
    response = submit(REGISTER_URL, survey_payload(email="amina.khan@gmial.com"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Did you mean another address?" in html
    assert "amina.khan@gmail.com" in html
    # A hint, not an error: no error summary, nothing stored yet.
    assert "Please check these answers" not in html
    assert Member.objects.count() == 0 and mailoutbox == []


def test_choosing_the_suggestion_registers_the_corrected_address(submit, mailoutbox):
    payload = survey_payload(email="amina.khan@gmial.com")
    payload.update(email_checked="amina.khan@gmial.com", email_choice="suggested")

    assert submit(REGISTER_URL, payload).status_code == 302

    assert Member.objects.get().email == "amina.khan@gmail.com"
    assert mailoutbox[0].to == ["amina.khan@gmail.com"]


@pytest.mark.parametrize("choice", ["typed", ""])
def test_sending_again_keeps_the_address_as_typed(submit, mailoutbox, choice):
    payload = survey_payload(email="amina.khan@gmial.com")
    payload.update(email_checked="amina.khan@gmial.com", email_choice=choice)

    assert submit(REGISTER_URL, payload).status_code == 302

    assert Member.objects.get().email == "amina.khan@gmial.com"


def test_a_changed_address_is_checked_again(submit):
    payload = survey_payload(email="amina.khan@hotmial.com")
    payload.update(email_checked="amina.khan@gmial.com", email_choice="suggested")

    response = submit(REGISTER_URL, payload)

    assert response.status_code == 200
    assert "amina.khan@hotmail.com" in response.content.decode()
    assert Member.objects.count() == 0


def test_the_hint_shows_beside_other_errors_without_losing_anything(submit):
    response = submit(REGISTER_URL, survey_payload(email="amina.khan@gmial.com", full_name=""))

    html = response.content.decode()
    assert "Please check these answers" in html
    assert "Did you mean another address?" in html
    assert 'value="amina.khan@gmial.com"' in html


def test_the_link_request_shows_the_hint_too(submit, mailoutbox):
    response = submit(PROFILE_URL, {"email": "amina.khan@yahooo.com"})

    assert response.status_code == 200
    assert "amina.khan@yahoo.com" in response.content.decode()
    again = submit(
        PROFILE_URL,
        {
            "email": "amina.khan@yahooo.com",
            "email_checked": "amina.khan@yahooo.com",
            "email_choice": "typed",
        },
    )
    assert again.status_code == 302


def test_the_profile_page_shows_the_hint_without_blocking_a_save(client, submit, make_member):
    member = make_member(email="amina.khan@gmial.com", status=Member.Status.VERIFIED)
    url = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])

    html = client.get(url).content.decode()

    assert "Perhaps you meant <strong>amina.khan@gmail.com</strong>" in html
    assert not re.search(r'name="email_choice"', html)
    payload = survey_payload(email=None, city="Leeds")
    assert submit(url, payload).status_code == 302
    member.refresh_from_db()
    assert (member.city, member.email) == ("Leeds", "amina.khan@gmial.com")


def test_the_section_index_links_every_section_and_marks_those_with_errors(client, submit):
    empty = client.get(REGISTER_URL).content.decode()
    anchors = re.findall(r'<a href="#(section-\d+)">', empty)
    assert anchors and all(f'id="{anchor}"' in empty for anchor in anchors)
    assert "to check" not in empty

    html = submit(REGISTER_URL, survey_payload(full_name="", sector="")).content.decode()

    marked = re.findall(r'<li class="has-errors">\s*<a href="#(section-\d+)">([^<]+)</a>', html)
    assert [title for _, title in marked] == ["About you", "Current position"]


def test_the_country_fields_offer_type_ahead_and_work_without_javascript(client):
    html = client.get(REGISTER_URL).content.decode()

    for name in ("country", "qualification_country"):
        select = re.search(rf'<select name="{name}"[^>]*>', html).group(0)
        assert "data-typeahead" in select
    assert html.count('<option value="FR">France</option>') == 2
    assert "js/typeahead.js" in html
