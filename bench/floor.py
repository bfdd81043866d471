"""The physical floor of the export: the same CSV made by PostgreSQL alone.

`floor_select_sql()` is one SELECT that produces, cell for cell, what the
portal's export writes for the default search (confirmed members: submitted or
verified), in member id order: the same 45 columns as registry.export.COLUMNS,
choice labels and country names instead of codes (CASE and a VALUES list),
ISO 8601 times in UTC, yes/no, the five many-to-many columns aggregated in SQL
with the same labels, ordering and "; " separator (correlated ARRAY
subqueries, the shape the portal's query uses), and the same formula
neutralisation of free-text cells. The harness runs it as
`COPY (...) TO STDOUT WITH CSV` through psql and checks, on the warm-up run,
that every parsed row equals the portal's.

What the floor does not do: the byte-order mark and the header row (a few
hundred bytes), and it quotes empty strings ("") where Python's csv module
writes nothing; both parse to the same cells.
"""

from django.utils import translation
from django_countries import countries

from registry.models import CONFIRMED_STATUSES, Member


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _neutral(expression: str) -> str:
    # registry.export.neutralise_cell: a cell starting with = + - @ tab or
    # carriage return (or a full-width form), possibly after white space or
    # quotes, gets a leading single quote.
    return (
        f"(CASE WHEN {expression} ~ E'^[[:space:]\"'']*[=+@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20-]' "
        f"THEN '''' || {expression} ELSE {expression} END)"
    )


def _choice(column: str, choices) -> str:
    branches = " ".join(
        f"WHEN {_literal(value)} THEN {_literal(label)}" for value, label in choices.choices
    )
    return f"(CASE {column} {branches} ELSE {column} END)"


def _iso(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


def _yes_no(column: str) -> str:
    return f"(CASE WHEN {column} THEN 'yes' ELSE 'no' END)"


def _joined(select: str) -> str:
    return f"array_to_string(ARRAY({select}), '; ')"


# Relations aggregated per member: (through table, target table, target id
# column, label, ordering); the same labels and order as the exporter's RELATED.
RELATED_SQL: dict[str, tuple[str, str, str, str, str]] = {}


def _related(through: str, target: str, target_id: str, label: str, ordering: str) -> str:
    RELATED_SQL[through] = (through, target, target_id, label, ordering)
    return _joined(
        f"SELECT {label} FROM {through} r JOIN {target} t ON t.id = r.{target_id} "
        f"WHERE r.member_id = m.id ORDER BY {ordering}"
    )


def _grouped(through: str) -> str:
    _, target, target_id, label, ordering = RELATED_SQL[through]
    return (
        f"SELECT r.member_id, array_to_string(array_agg({label} ORDER BY {ordering}), '; ') AS v "
        f"FROM {through} r JOIN {target} t ON t.id = r.{target_id} GROUP BY r.member_id"
    )


def floor_columns() -> list[tuple[str, str, bool]]:
    """(header, SQL expression, neutralised?) for every exported column, in order."""
    return [
        ("Member ID", "m.id::text", False),
        ("Full name", "m.full_name", True),
        ("E-mail address", "m.email", True),
        ("Phone", "m.phone", True),
        ("Gender", _choice("m.gender", Member.Gender), False),
        ("Country of residence", "cn.name", False),
        ("Country of residence (ISO code)", "m.country", False),
        ("City", "m.city", True),
        ("Connection to the country", _choice("m.connection", Member.Connection), False),
        ("Home province or region", "m.home_region", True),
        (
            "Highest qualification",
            _choice("m.highest_qualification", Member.Qualification),
            False,
        ),
        ("Subject of the qualification", "m.qualification_subject", True),
        ("Institution of the qualification", "m.qualification_institution", True),
        ("Country of the institution", "qcn.name", False),
        ("Country of the institution (ISO code)", "m.qualification_country", False),
        ("Year of the qualification", "m.qualification_year::text", False),
        ("Job title", "m.job_title", True),
        ("Organisation", "m.organisation", True),
        ("Sector", _choice("m.sector", Member.Sector), False),
        ("Career stage", _choice("m.career_stage", Member.CareerStage), False),
        ("Years of experience", "m.years_experience::text", False),
        ("Broad field", "f.code || ' ' || f.name", True),
        ("Main subfield", "s.code || ' ' || s.name", True),
        (
            "Other subfields",
            _related(
                "registry_member_subfields",
                "registry_subfield",
                "subfield_id",
                "t.code || ' ' || t.name",
                "t.position, t.code",
            ),
            True,
        ),
        ("Keywords", "m.keywords", True),
        ("Summary", "m.summary", True),
        ("ORCID iD", "m.orcid", True),
        ("Google Scholar profile", "m.scholar_url", True),
        ("LinkedIn profile", "m.linkedin_url", True),
        ("Website", "m.website_url", True),
        (
            "Engagement types",
            _related(
                "registry_member_engagement_types",
                "registry_engagementtype",
                "engagementtype_id",
                "t.name",
                "t.position, t.name, t.id",
            ),
            True,
        ),
        (
            "Sustainable Development Goals",
            _related(
                "registry_member_sdgs",
                "registry_sdg",
                "sdg_id",
                "'SDG ' || t.number::text || ': ' || t.name",
                "t.number",
            ),
            True,
        ),
        (
            "International projects",
            _related(
                "registry_member_international_projects",
                "registry_internationalproject",
                "internationalproject_id",
                "t.name",
                "t.position, t.name, t.id",
            ),
            True,
        ),
        (
            "Expertise clusters",
            _related(
                "registry_member_clusters",
                "registry_expertisecluster",
                "expertisecluster_id",
                "t.name",
                "t.name",
            ),
            True,
        ),
        ("Collaborations with institutions in the country", "m.home_collaborations", True),
        ("Hours per month", "m.hours_per_month::text", False),
        ("Willing to visit", _yes_no("m.willing_to_visit"), False),
        ("Consent to be contacted", _yes_no("m.consent_contact"), False),
        ("Consent to a public directory", _yes_no("m.consent_directory"), False),
        ("Status", _choice("m.status", Member.Status), False),
        ("Source", _choice("m.source", Member.Source), False),
        ("Registered at", _iso("m.created_at"), False),
        ("E-mail confirmed at", _iso("m.email_confirmed_at"), False),
        ("Reviewed at", _iso("m.reviewed_at"), False),
        ("Updated at", _iso("m.updated_at"), False),
    ]


def exported_where() -> str:
    return "m.status IN ({})".format(", ".join(_literal(s) for s in CONFIRMED_STATUSES))


def floor_select_sql(*, grouped: bool = False) -> str:
    """The SELECT behind the COPY floor (English labels, like the portal's default).

    The inner query computes every value once; the outer one neutralises the
    free-text cells. OFFSET 0 keeps PostgreSQL from merging the two, which
    would copy each many-to-many subquery into the neutralisation test and
    run it twice per row.

    `grouped` aggregates each many-to-many table once, GROUP BY member, and
    joins the results, instead of one correlated subquery per member and
    relation: the same output, a plan for exporting most of the table.
    """
    with translation.override("en"):
        names = ", ".join(f"({_literal(code)}, {_literal(name)})" for code, name in countries)
        columns = floor_columns()
    joins = ""
    if grouped:
        for i, through in enumerate(RELATED_SQL):
            joins += f"  LEFT JOIN ({_grouped(through)}) AS g{i} ON g{i}.member_id = m.id\n"
            columns = [
                (header, f"g{i}.v" if through in sql and "ARRAY(" in sql else sql, neutral)
                for header, sql, neutral in columns
            ]
    inner = ",\n    ".join(f"{sql} AS c{i}" for i, (_, sql, _) in enumerate(columns))
    outer = ",\n  ".join(
        _neutral(f"x.c{i}") if neutral else f"x.c{i}" for i, (_, _, neutral) in enumerate(columns)
    )
    return (
        f"SELECT\n  {outer}\n"
        f"FROM (\n  SELECT\n    {inner}\n"
        "  FROM registry_member m\n"
        "  JOIN registry_subfield s ON s.id = m.primary_subfield_id\n"
        "  JOIN registry_field f ON f.id = s.field_id\n"
        f"  LEFT JOIN (VALUES {names}) AS cn (code, name) ON cn.code = m.country\n"
        f"  LEFT JOIN (VALUES {names}) AS qcn (code, name) ON qcn.code = m.qualification_country\n"
        f"{joins}"
        f"  WHERE {exported_where()}\n"
        "  ORDER BY m.id\n"
        "  OFFSET 0\n"
        ") AS x"
    )


def exported_count_sql() -> str:
    """SELECT count(*) of the exported set: the correctness gate's reference."""
    return f"SELECT count(*) FROM registry_member m WHERE {exported_where()}"
