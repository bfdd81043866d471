"""The survey declared once: its sections, in order, and the questions in each.

The public survey form, the profile form (the same form, to edit), the
admin's change form and the services that store the answers all read it: a
new question is a model field and one line here. What a question says lives
on the model field (verbose_name, help_text) and, where the public question
must read differently from the staff label, in registry.forms.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry.models import Member
from registry.selectors.taxonomy import taxonomy_row


@dataclass(frozen=True)
class Question:
    """A question of the survey: a Member field, with how the public form lays it out.

    `layout` holds crispy-forms Field arguments (a template, a wrapper class).
    """

    name: str
    layout: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    title: str | Promise
    questions: tuple[Question, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(question.name for question in self.questions)


def _section(title: str | Promise, *questions: str | Question) -> Section:
    return Section(title, tuple(q if isinstance(q, Question) else Question(q) for q in questions))


# Checkbox lists with short options, shown in columns.
_CHECKBOX_GRID = {"wrapper_class": "checkbox-grid"}

CONSENT = _section(_("Consent"), "consent_processing", "consent_contact", "consent_directory")

SECTIONS: tuple[Section, ...] = (
    _section(
        _("About you"),
        "full_name",
        "email",
        "phone",
        "gender",
        "language",
    ),
    _section(
        _("Where you live and your connection to the country"),
        "country",
        "city",
        "connection",
        "home_region",
    ),
    _section(
        _("Education"),
        "highest_qualification",
        "qualification_subject",
        "qualification_institution",
        "qualification_country",
        "qualification_year",
    ),
    _section(
        _("Current position"),
        "job_title",
        "organisation",
        "sector",
        "career_stage",
        "years_experience",
    ),
    _section(
        _("Expertise"),
        "primary_subfield",
        # Subfields under their broad field, each group opened on demand.
        Question("subfields", {"template": "registry/fields/grouped_checkboxes.html"}),
        "keywords",
        "summary",
    ),
    _section(_("Research identity"), "orcid", "scholar_url", "linkedin_url", "website_url"),
    _section(
        _("How you would like to engage"),
        Question("engagement_types", _CHECKBOX_GRID),
        Question("sdgs", _CHECKBOX_GRID),
        Question("international_projects", _CHECKBOX_GRID),
        "home_collaborations",
        "hours_per_month",
        "willing_to_visit",
    ),
    CONSENT,
)

# What a person may say about themselves, in the survey's order. Everything
# else (status, review, consent records, timestamps) is set by the services.
SURVEY_FIELDS: tuple[str, ...] = tuple(name for section in SECTIONS for name in section.fields)


def _pk(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def survey_answers_to_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """The survey's answers as plain JSON values, to hand to a task or to store.

    Taxonomy rows become their ids (a list of ids for a multiple choice);
    countries and other values become text or numbers.
    """
    answers = {}
    for name, value in data.items():
        model_field = Member._meta.get_field(name)
        if model_field.many_to_many:
            value = sorted(int(_pk(item)) for item in value)
        elif model_field.is_relation:
            value = _pk(value)
        answers[name] = value
    # Lazy translations, countries and dates turn into text on the way.
    return json.loads(json.dumps(answers, cls=DjangoJSONEncoder))


def survey_answers_from_json(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of survey_answers_to_json, ready for registry.services.

    Only survey questions are kept; a single taxonomy choice becomes its row
    (the services take rows there, and ids in multiple choices).
    """
    data = {}
    for name, value in answers.items():
        if name not in SURVEY_FIELDS:
            continue
        model_field = Member._meta.get_field(name)
        if model_field.is_relation and not model_field.many_to_many and value is not None:
            value = taxonomy_row(model_field.related_model, value)
        data[name] = value
    return data
