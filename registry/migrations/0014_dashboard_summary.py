"""The staff dashboard's summary: exact member counts kept by PostgreSQL triggers.

registry_dashboardcount (the DashboardCount model) holds, by status and
country of residence, how many members have each value of each facet the
dashboard shows. On PostgreSQL, statement-level triggers with transition
tables on registry_member and its four relation tables add and subtract in
the same transaction as the write, whoever writes (the services, the admin,
COPY in the bulk loader, raw SQL), so the summary is exact at every commit;
this migration fills it from the rows already there. On any other database
the table stays empty and the dashboard counts on demand.

Why triggers rather than the services: the bulk loader writes by COPY and a
summary that a single forgotten write path leaves stale is worse than none.

* The relation triggers lock the members they count (FOR SHARE), so a
  member's status or country changing in a concurrent transaction is seen
  either before or after, never half.
* A member's id never changes (Django never updates a primary key); a
  relation row is always written after its member, as every writer does.
* The month of registration is taken in settings.TIME_ZONE as it is when
  this migration runs, like TruncMonth; after changing the setting, run
  `SELECT registry_dashboard_refill()` (or migrate back and forth).
"""

from django.conf import settings
from django.db import migrations, models

SUMMARY = "registry_dashboardcount"
# Facet -> (relation table, column of the target's id).
RELATIONS = {
    "cluster": ("registry_member_clusters", "expertisecluster_id"),
    "engagement": ("registry_member_engagement_types", "engagementtype_id"),
    "sdg": ("registry_member_sdgs", "sdg_id"),
    "project": ("registry_member_international_projects", "internationalproject_id"),
}
# The member columns the summary depends on, as "p_<name>" in the sources below.
COLUMNS = {
    "status": "status",
    "country": "country",
    "subfield": "primary_subfield_id",
    "sector": "sector",
    "stage": "career_stage",
    "qualification": "highest_qualification",
    "gender": "gender",
    "created_at": "created_at",
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(alias: str, prefix: str) -> str:
    return ", ".join(f"{alias}.{column} AS {prefix}{name}" for name, column in COLUMNS.items())


def _member_deltas(source: str, p: str, sign: int, zone: str) -> str:
    """One row per member of `source` and facet of the member table."""
    return f"""
        SELECT f.facet, s.{p}status AS status, s.{p}country AS country, f.value, {sign} AS n
        FROM {source} AS s CROSS JOIN LATERAL (VALUES
            ('subfield', coalesce(s.{p}subfield::text, '')),
            ('sector', s.{p}sector),
            ('stage', s.{p}stage),
            ('qualification', s.{p}qualification),
            ('gender', s.{p}gender),
            ('month', to_char(s.{p}created_at AT TIME ZONE {_literal(zone)}, 'YYYY-MM-01'))
        ) AS f(facet, value)"""


RELATION_ROWS = " UNION ALL ".join(
    f"SELECT member_id, '{facet}' AS facet, {column}::text AS value FROM {table}"
    for facet, (table, column) in RELATIONS.items()
)


def _member_relation_deltas(source: str, p: str, sign: int, where: str = "TRUE") -> str:
    """One row per relation row of the members of `source`."""
    return f"""
        SELECT r.facet, s.{p}status, s.{p}country, r.value, {sign}
        FROM {source} AS s JOIN ({RELATION_ROWS}) AS r ON r.member_id = s.id
        WHERE {where}"""


def _relation_deltas(facet: str, column: str, rows: str, sign: int) -> str:
    # Locking the members orders this count after a concurrent change of
    # their status or country (see the module's docstring). The members are
    # found by their ids (an index lookup whatever the planner guesses of the
    # transition table, which has no statistics): a semi-join could become a
    # scan of the member table for every row of a large COPY.
    return f"""
        SELECT '{facet}', m.status, m.country, r.{column}::text, {sign}
        FROM {rows} AS r JOIN (
            SELECT id, status, country FROM registry_member
            WHERE id = ANY (ARRAY(SELECT DISTINCT member_id FROM {rows})) FOR SHARE
        ) AS m ON m.id = r.member_id"""


def _upsert(*deltas: str) -> str:
    # Keys in one order in every statement: concurrent writers lock summary
    # rows in the same order.
    union = " UNION ALL ".join(deltas)
    return f"""
        INSERT INTO {SUMMARY} AS c (facet, status, country, value, members)
        SELECT facet, status, country, value, sum(n) FROM ({union}) AS d(facet, status, country, value, n)
        GROUP BY facet, status, country, value
        HAVING sum(n) <> 0
        ORDER BY facet, status, country, value
        ON CONFLICT (facet, status, country, value)
        DO UPDATE SET members = c.members + EXCLUDED.members"""


def _function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        f"BEGIN\n{body};\nRETURN NULL;\nEND\n$body$"
    )


def _trigger(name: str, event: str, table: str, referencing: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )


def _statements(zone: str) -> tuple[list[str], list[str]]:
    """(forward, backward) SQL."""
    new = f"(SELECT m.id, {_columns('m', 'p_')} FROM new_rows AS m)"
    old = f"(SELECT m.id, {_columns('m', 'p_')} FROM old_rows AS m)"
    changed_key = ", ".join(f"o.{column}" for column in COLUMNS.values())
    changed_new = ", ".join(f"n.{column}" for column in COLUMNS.values())
    # Members whose counted columns changed, old values as o_*, new as n_*.
    moved = (
        f"(SELECT o.id, {_columns('o', 'o_')}, {_columns('n', 'n_')} "
        "FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
        f"WHERE ({changed_key}) IS DISTINCT FROM ({changed_new}))"
    )
    relocated = "(s.o_status, s.o_country) IS DISTINCT FROM (s.n_status, s.n_country)"
    member = {
        "insert": (
            "INSERT",
            "REFERENCING NEW TABLE AS new_rows",
            _upsert(_member_deltas(new, "p_", 1, zone)),
        ),
        "update": (
            "UPDATE",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            _upsert(
                _member_deltas(moved, "o_", -1, zone),
                _member_deltas(moved, "n_", 1, zone),
                _member_relation_deltas(moved, "o_", -1, relocated),
                _member_relation_deltas(moved, "n_", 1, relocated),
            ),
        ),
        # Relation rows still there (deleted after their member, which
        # deferred foreign keys allow) leave the summary with the member;
        # their own deletion then finds no member and subtracts nothing.
        "delete": (
            "DELETE",
            "REFERENCING OLD TABLE AS old_rows",
            _upsert(_member_deltas(old, "p_", -1, zone), _member_relation_deltas(old, "p_", -1)),
        ),
        "truncate": ("TRUNCATE", "", f"DELETE FROM {SUMMARY}"),
    }
    forward, backward = [], []
    triggers = [
        ("registry_member", f"registry_dashboard_member_{event}", spec)
        for event, spec in member.items()
    ]
    for facet, (table, column) in RELATIONS.items():
        relation = {
            "insert": (
                "INSERT",
                "REFERENCING NEW TABLE AS new_rows",
                _upsert(_relation_deltas(facet, column, "new_rows", 1)),
            ),
            "delete": (
                "DELETE",
                "REFERENCING OLD TABLE AS old_rows",
                _upsert(_relation_deltas(facet, column, "old_rows", -1)),
            ),
            "update": (
                "UPDATE",
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
                _upsert(
                    _relation_deltas(facet, column, "old_rows", -1),
                    _relation_deltas(facet, column, "new_rows", 1),
                ),
            ),
            "truncate": ("TRUNCATE", "", f"DELETE FROM {SUMMARY} WHERE facet = '{facet}'"),
        }
        triggers += [
            (table, f"registry_dashboard_{facet}_{event}", spec) for event, spec in relation.items()
        ]
    refill = _upsert(
        _member_deltas(
            f"(SELECT m.id, {_columns('m', 'p_')} FROM registry_member AS m)", "p_", 1, zone
        ),
        _member_relation_deltas(
            f"(SELECT m.id, {_columns('m', 'p_')} FROM registry_member AS m)", "p_", 1
        ),
    )
    forward.append(
        "CREATE OR REPLACE FUNCTION registry_dashboard_refill() RETURNS void LANGUAGE plpgsql "
        f"AS $body$\nBEGIN\nLOCK TABLE registry_member, {', '.join(t for t, _c in RELATIONS.values())} "
        f"IN SHARE MODE;\nTRUNCATE {SUMMARY};\n{refill};\nEND\n$body$"
    )
    for table, name, (event, referencing, body) in triggers:
        forward.append(_function(name, body))
        forward.append(_trigger(name, event, table, referencing))
        backward.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        backward.append(f"DROP FUNCTION IF EXISTS {name}()")
    forward.append("SELECT registry_dashboard_refill()")
    backward.append("DROP FUNCTION IF EXISTS registry_dashboard_refill()")
    return forward, backward


def _run(direction: int):
    def run(apps, schema_editor):
        # PostgreSQL only, like 0004: elsewhere the dashboard counts on demand.
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in _statements(settings.TIME_ZONE)[direction]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_taxonomy_urdu"),
    ]

    operations = [
        migrations.CreateModel(
            name="DashboardCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.CharField(max_length=16)),
                ("status", models.CharField(max_length=12)),
                ("country", models.CharField(max_length=2)),
                ("value", models.CharField(blank=True, max_length=16)),
                ("members", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("facet", "status", "country", "value"), name="dashboard_count_key"
                    )
                ],
            },
        ),
        migrations.RunPython(_run(0), _run(1), elidable=False),
    ]
