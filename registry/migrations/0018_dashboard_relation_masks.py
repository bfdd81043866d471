"""The staff dashboard's relation masks: each member's taxonomy ids beside its columns.

A filtered dashboard page counts the members it shows by engagement type,
SDG, international project and cluster. Reading the four relation tables
for that (up to two million rows each at 10^6 members) made those pages the
slowest of the portal (BENCHMARKS.md). On PostgreSQL this migration gives
every member four bigint columns, one per relation, whose bit n is set when
the member has the target whose id is n (ids 0 to 62: higher ids are
counted from the relation table, see registry.selectors.dashboard.postgres),
and a covering index with them, so that one index-only pass over the
filtered members counts every figure of the page.

* Statement-level triggers on the relation tables set and clear the bits in
  the same transaction as every write, whoever writes (the services, the
  admin, COPY, raw SQL), like the summary of migration 0014: the masks are
  exact at every commit. Setting or clearing bits (never recomputing them)
  keeps concurrent writers right: a relation row is unique, and UPDATE works
  on the latest version of the member's row.
* The triggers are named registry_dashboard_mask_* so that a bulk load that
  pauses the summary's triggers (registry.db.postgres.
  dashboard_summary_rebuilt_after) pauses these too: the demo seed writes
  the masks with the members (registry.demo.postgres). After any other load
  made with the triggers off, run `SELECT registry_dashboard_masks_refill()`.
* The columns are not in the Django model, like search_vector (0004): the
  model never writes them, so a member saved from an older copy in memory
  cannot undo a relation change; only the dashboard's PostgreSQL selector
  reads them.
* The covering index replaces member_dashboard_idx (0008), keyed by country
  first so that a Mission's or a country's page reads its own members only.

Other databases get neither the columns nor the index: the dashboard counts
on demand there (and loses the old index, which SQLite built on status only).
"""

from django.db import migrations

MEMBER = "registry_member"
# Mask column -> (relation table, column of the target's id).
MASKS = {
    "engagement_mask": ("registry_member_engagement_types", "engagementtype_id"),
    "sdg_mask": ("registry_member_sdgs", "sdg_id"),
    "project_mask": ("registry_member_international_projects", "internationalproject_id"),
    "cluster_mask": ("registry_member_clusters", "expertisecluster_id"),
}
# Bit n of a mask stands for the target whose id is n, for these ids.
LAST_BIT = 62
INDEX = "member_dashboard_masks_idx"
INDEX_SQL = (
    f"CREATE INDEX {INDEX} ON {MEMBER} (country, status) INCLUDE (id, primary_subfield_id, "
    "sector, career_stage, highest_qualification, gender, created_at, "
    f"{', '.join(MASKS)})"
)


def _bits(rows: str, column: str) -> str:
    """member_id and the bits of its targets among `rows`."""
    return (
        f"SELECT member_id, bit_or(1::bigint << {column}::int) AS bits FROM {rows} "
        f"WHERE {column} BETWEEN 0 AND {LAST_BIT} GROUP BY member_id"
    )


def _change(mask: str, column: str, rows: str, *, set_bits: bool) -> str:
    # The members are found by their ids (an index lookup whatever the planner
    # guesses of a transition table, as in 0014); a member already deleted in
    # this transaction is simply not found.
    new_value = f"m.{mask} | d.bits" if set_bits else f"m.{mask} & ~d.bits"
    return (
        f"UPDATE {MEMBER} AS m SET {mask} = {new_value} FROM ({_bits(rows, column)}) AS d "
        f"WHERE m.id = ANY (ARRAY(SELECT DISTINCT member_id FROM {rows})) "
        f"AND m.id = d.member_id AND m.{mask} <> {new_value}"
    )


def _refill() -> str:
    """Set the masks of every member whose masks differ from its relation rows.

    One UPDATE for the four masks: each updated member is a new row version
    with an entry in every index of the table.
    """
    joins = " ".join(
        f"LEFT JOIN ({_bits(table, column)}) AS {mask} ON {mask}.member_id = o.id"
        for mask, (table, column) in MASKS.items()
    )
    computed = ", ".join(f"coalesce({mask}.bits, 0) AS {mask}" for mask in MASKS)
    stored = ", ".join(f"o.{mask}" for mask in MASKS)
    fresh = ", ".join(f"coalesce({mask}.bits, 0)" for mask in MASKS)
    return f"""
        UPDATE {MEMBER} AS m SET {", ".join(f"{mask} = d.{mask}" for mask in MASKS)}
        FROM (
            SELECT o.id, {computed} FROM {MEMBER} AS o {joins}
            WHERE ({stored}) IS DISTINCT FROM ({fresh})
        ) AS d
        WHERE m.id = d.id"""


def _function(name: str, body: list[str]) -> str:
    statements = ";\n".join(body)
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        f"BEGIN\n{statements};\nRETURN NULL;\nEND\n$body$"
    )


def _statements() -> tuple[list[str], list[str]]:
    """(forward, backward) SQL."""
    forward = [
        f"ALTER TABLE {MEMBER} "
        + ", ".join(f"ADD COLUMN {mask} bigint NOT NULL DEFAULT 0" for mask in MASKS)
    ]
    backward = []
    for mask, (table, column) in MASKS.items():
        relation = mask.removesuffix("_mask")
        events = {
            "insert": (
                "INSERT",
                "REFERENCING NEW TABLE AS new_rows",
                [_change(mask, column, "new_rows", set_bits=True)],
            ),
            "delete": (
                "DELETE",
                "REFERENCING OLD TABLE AS old_rows",
                [_change(mask, column, "old_rows", set_bits=False)],
            ),
            "update": (
                "UPDATE",
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
                [
                    _change(mask, column, "old_rows", set_bits=False),
                    _change(mask, column, "new_rows", set_bits=True),
                ],
            ),
            "truncate": (
                "TRUNCATE",
                "",
                [f"UPDATE {MEMBER} SET {mask} = 0 WHERE {mask} <> 0"],
            ),
        }
        for event, (when, referencing, body) in events.items():
            name = f"registry_dashboard_mask_{relation}_{event}"
            forward.append(_function(name, body))
            forward.append(
                f"CREATE TRIGGER {name} AFTER {when} ON {table} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
            backward.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            backward.append(f"DROP FUNCTION IF EXISTS {name}()")
    tables = ", ".join(table for table, _column in MASKS.values())
    forward.append(
        "CREATE OR REPLACE FUNCTION registry_dashboard_masks_refill() RETURNS void "
        f"LANGUAGE plpgsql AS $body$\nBEGIN\nLOCK TABLE {MEMBER}, {tables} IN SHARE MODE;\n"
        f"{_refill()};\nEND\n$body$"
    )
    # Filled before the index is built: one index build instead of an entry per update.
    forward.append("SELECT registry_dashboard_masks_refill()")
    forward.append(INDEX_SQL)
    backward.append("DROP FUNCTION IF EXISTS registry_dashboard_masks_refill()")
    backward.append(f"DROP INDEX IF EXISTS {INDEX}")
    backward.append(f"ALTER TABLE {MEMBER} " + ", ".join(f"DROP COLUMN {mask}" for mask in MASKS))
    return forward, backward


def _run(direction: int):
    def run(apps, schema_editor):
        # PostgreSQL only, like 0004 and 0014: elsewhere the dashboard counts on demand.
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in _statements()[direction]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0017_search_filter_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="member", name="member_dashboard_idx"),
        migrations.RunPython(_run(0), _run(1), elidable=False),
    ]
