"""The staff search filter form, shared by the search page, its CSV export and
the export_specialists command, so all three read filters the same way."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.models import (
    CONFIRMED_STATUSES,
    EngagementType,
    ExpertiseCluster,
    Member,
    Sdg,
    Subfield,
    name_in_language,
)
from registry.search.filters import MemberFilters
from registry.search.parser import MAX_QUERY_LENGTH
from registry.selectors.freshness import Freshness
from registry.selectors.missions import HEADQUARTERS, StaffScope
from registry.selectors.taxonomy import taxonomy_copy
from registry.staff.widgets import ManyOptionsSelect

STATUS_CONFIRMED = "confirmed"
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_CONFIRMED, _("Confirmed members (submitted or verified)")),
    *Member.Status.choices,
    (STATUS_ALL, _("Any status")),
]
# Filter names in the order of the form, the URL and the command's options.
FILTER_NAMES = (
    "q",
    "field",
    "subfield",
    "cluster",
    "country",
    "sector",
    "engagement",
    "sdg",
    "qualification",
    "stage",
    "status",
    "freshness",
)


def _any(label) -> list:
    return [("", label)]


@dataclass(frozen=True)
class SearchTaxonomy:
    """The filters' taxonomy choices (labels in one language) and code-to-id maps."""

    choices: dict[str, list]
    field_ids: dict[str, int]
    subfield_ids: dict[str, int]
    cluster_ids: dict[str, int]
    engagement_ids: dict[str, int]
    sdg_ids: dict[str, int]


def _search_taxonomy() -> SearchTaxonomy:
    """Read in one query per taxonomy, in the active language."""
    subfields = list(
        Subfield.objects.select_related("field").order_by(
            "field__position", "field__code", "position", "code"
        )
    )
    grouped: dict[str, list] = {}
    for s in subfields:
        grouped.setdefault(str(s.field), []).append((s.code, str(s)))
    clusters = list(ExpertiseCluster.objects.order_by("name").values_list("slug", "id", "name"))
    engagements = list(EngagementType.objects.values_list("slug", "id", "name", "name_ur"))
    sdgs = list(Sdg.objects.all())
    choices = {
        "field": _any(_("Any broad field"))
        + list(dict.fromkeys((s.field.code, str(s.field)) for s in subfields)),
        "subfield": _any(_("Any subfield")) + list(grouped.items()),
        "cluster": _any(_("Any cluster")) + [(slug, name) for slug, _pk, name in clusters],
        "engagement": _any(_("Any engagement type"))
        + [(slug, name_in_language(name, name_ur)) for slug, _pk, name, name_ur in engagements],
        "sdg": _any(_("Any goal")) + [(str(s.number), str(s)) for s in sdgs],
    }
    return SearchTaxonomy(
        choices=choices,
        field_ids={s.field.code: s.field_id for s in subfields},
        subfield_ids={s.code: s.id for s in subfields},
        cluster_ids={slug: pk for slug, pk, _name in clusters},
        engagement_ids={slug: pk for slug, pk, _name, _name_ur in engagements},
        sdg_ids={str(s.number): s.id for s in sdgs},
    )


class StaffSearchForm(forms.Form):
    """GET filters of the staff search; every value is a stable code or slug.

    Codes rather than ids keep bookmarked URLs and export logs readable and
    valid across databases. Bind it with `search_form_data(request.GET)` so
    that a missing status means the default, confirmed members.
    """

    q = forms.CharField(
        label=_("Free text"),
        required=False,
        strip=True,
        help_text=_(
            'All words must appear. Put a phrase in "quotes", write OR between '
            "alternatives and a minus sign before a word to leave it out."
        ),
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "autofocus": True}
        ),
    )
    field = forms.ChoiceField(label=_("Broad field"), required=False, widget=ManyOptionsSelect)
    subfield = forms.ChoiceField(label=_("Main subfield"), required=False, widget=ManyOptionsSelect)
    cluster = forms.ChoiceField(
        label=_("Expertise cluster"), required=False, widget=ManyOptionsSelect
    )
    country = forms.ChoiceField(
        label=_("Country of residence"), required=False, widget=ManyOptionsSelect
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        widget=ManyOptionsSelect,
        choices=_any(_("Any sector")) + Member.Sector.choices,
    )
    engagement = forms.ChoiceField(
        label=_("Engagement type"), required=False, widget=ManyOptionsSelect
    )
    sdg = forms.ChoiceField(
        label=_("Sustainable Development Goal"), required=False, widget=ManyOptionsSelect
    )
    qualification = forms.ChoiceField(
        label=_("Highest qualification"),
        required=False,
        widget=ManyOptionsSelect,
        choices=_any(_("Any qualification")) + Member.Qualification.choices,
    )
    stage = forms.ChoiceField(
        label=_("Career stage"),
        required=False,
        widget=ManyOptionsSelect,
        choices=_any(_("Any career stage")) + Member.CareerStage.choices,
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, widget=ManyOptionsSelect)
    freshness = forms.ChoiceField(
        label=_("Yearly check"),
        required=False,
        widget=ManyOptionsSelect,
        choices=_any(_("Current or stale")) + Freshness.choices,
    )

    def __init__(self, *args, scope: StaffScope = HEADQUARTERS, **kwargs):
        """`scope`: the countries offered are those it covers (the results are
        scoped by members_visible_to whatever is chosen)."""
        super().__init__(*args, **kwargs)
        key = ("staff-search-taxonomy", get_language())
        taxonomy = taxonomy_copy(key, _search_taxonomy) or _search_taxonomy()
        # The code-to-id maps spare queries at filtering.
        self._field_ids = taxonomy.field_ids
        self._subfield_ids = taxonomy.subfield_ids
        self._cluster_ids = taxonomy.cluster_ids
        self._engagement_ids = taxonomy.engagement_ids
        self._sdg_ids = taxonomy.sdg_ids
        for name, choices in taxonomy.choices.items():
            self.fields[name].choices = choices
        self.fields["country"].choices = _any(_("Any country")) + [
            (code, name) for code, name in countries if scope.covers(code)
        ]

    def clean_q(self) -> str:
        # Longer text is cut rather than refused: the page always answers.
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]

    def filters(self) -> MemberFilters:
        """The cleaned values as selector filters (call after is_valid())."""
        data = self.cleaned_data
        status = data["status"]
        if status == STATUS_CONFIRMED:
            statuses = CONFIRMED_STATUSES
        elif status == STATUS_ALL:
            statuses = ()
        else:
            statuses = (status,)
        return MemberFilters(
            text=data["q"],
            field_id=self._field_ids.get(data["field"]),
            subfield_id=self._subfield_ids.get(data["subfield"]),
            cluster_id=self._cluster_ids.get(data["cluster"]),
            country=data["country"],
            sector=data["sector"],
            engagement_type_id=self._engagement_ids.get(data["engagement"]),
            sdg_id=self._sdg_ids.get(data["sdg"]),
            qualification=data["qualification"],
            career_stage=data["stage"],
            statuses=statuses,
            freshness=data["freshness"],
        )

    def filter_values(self) -> dict[str, str]:
        """The filters in use, as URL parameters: what an export log records."""
        return {name: self.cleaned_data[name] for name in FILTER_NAMES if self.cleaned_data[name]}


def search_form_data(params) -> dict[str, str]:
    """Form data from GET parameters (or command options), status defaulting."""
    data = {name: params.get(name, "") or "" for name in FILTER_NAMES}
    data["status"] = data["status"] or STATUS_CONFIRMED
    return data
