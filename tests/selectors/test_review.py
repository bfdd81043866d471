"""Possible duplicates of a member, within what the user may see."""

from registry.models import Member
from registry.selectors.review import members_possibly_duplicating
from tests.factories import VALID_ORCID


def test_possible_duplicates_by_orcid_and_by_folded_name_at_same_organisation(make_member):
    member = make_member(full_name="José Núñez", organisation="CERN", orcid=VALID_ORCID)
    same_orcid = make_member(full_name="J. Nunez", organisation="ETH Zürich", orcid=VALID_ORCID)
    same_name = make_member(full_name="jose nunez", organisation="cern")
    make_member(full_name="José Núñez", organisation="IAEA")
    make_member(full_name="Other Person", organisation="CERN")
    make_member(full_name="José Núñez", organisation="CERN", status=Member.Status.WITHDRAWN)

    found = members_possibly_duplicating(member=member, queryset=Member.objects.all())

    by_id = {d.member.pk: [str(r) for r in d.reasons] for d in found}
    assert by_id == {
        same_orcid.pk: ["same ORCID iD"],
        same_name.pk: ["same name at the same organisation"],
    }


def test_possible_duplicates_respect_what_the_user_may_see(make_member):
    member = make_member(full_name="Sana Raza", organisation="IAEA")
    make_member(full_name="Sana Raza", organisation="IAEA")

    assert members_possibly_duplicating(member=member, queryset=Member.objects.none()) == []
