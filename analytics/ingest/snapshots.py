"""Inventory snapshots from stock exports that are not one snapshot row per line.

Applied to the typed rows of one import (after `cast.typed_query`, before the checks):
- the snapshot date: the date the user gives (MB52 and Odoo quants carry none; never today),
  or the file's latest date (a stock ledger's balances stand on its last day);
- sums and ratios across headers (MB52's on-hand = unrestricted + in QI + blocked; a unit cost
  = value / quantity, unknown when the quantity is 0). Each part is typed from the staged text
  with the casting helpers of `cast`, so the file's number format (decimal comma, '2,125.00')
  is read exactly as in any other column, and an unreadable part is rejected under its header;
- ledgers: the lines of one key (date, sku, site, location) become one row, each column the
  sum of its lines or the last line's (by date, then file position). A line that cannot be
  read is reported at its own line; its key's row is then rejected too, at that same line.
  An aggregated row otherwise reports the line of its key's first line in the file.
"""

from __future__ import annotations

from datetime import date

from analytics.ingest.cast import number_expr, raw_expr
from analytics.ingest.profiles import GIVEN, LATEST, SNAPSHOT, Profile
from analytics.store.schema import NUMBER, TABLES


def part_columns(profile: Profile, headers: list[str]) -> dict[str, str]:
    """header -> staged column (c<i>) of every header a sum or a ratio reads."""
    wanted = {h for hs in (*profile.sums.values(), *profile.ratios.values()) for h in hs}
    return {h: f"c{i}" for i, h in enumerate(headers) if h in wanted}


def shown_as(profile: Profile | None, headers: list[str]) -> dict[str, str]:
    """How a computed column or a typed part is named in a rejection: by its headers."""
    if profile is None:
        return {}
    shown = {c: h for h, c in part_columns(profile, headers).items()}
    shown.update({c: " + ".join(hs) for c, hs in profile.sums.items()})
    shown.update({c: f"{v} / {q}" for c, (v, q) in profile.ratios.items()})
    if profile.snapshot_date == GIVEN:
        shown[SNAPSHOT] = "snapshot date (given)"
    return shown


def derive(cur, tag: str, inspection, decimal_comma: bool) -> list[tuple]:
    """Fill the snapshot date, sums and ratios of the typed rows; the checks of their parts."""
    typed, staged, profile = f"typed_{tag}", f"stg_{tag}", inspection.profile
    headers, given = inspection.headers, inspection.snapshot_date
    if profile.snapshot_date == GIVEN:
        cur.execute(f"UPDATE {typed} SET {SNAPSHOT} = ?, r_{SNAPSHOT} = ?", [given, str(given)])
    parts = part_columns(profile, headers)
    for c in parts.values():
        _type_part(cur, typed, staged, c, decimal_comma)
    for column, hs in profile.sums.items():
        cs = [parts[h] for h in hs if h in parts]
        total = " + ".join(f"coalesce({c}, 0)" for c in cs)
        anything = " OR ".join(f"r_{c} IS NOT NULL" for c in cs)
        raw = ", ".join(f"r_{c}" for c in cs)
        cur.execute(
            f"UPDATE {typed} SET {column} = CASE WHEN {anything} THEN {total} END, "
            f"r_{column} = nullif(concat_ws(' + ', {raw}), '')"
        )
    for column, (value, qty) in profile.ratios.items():
        if value not in parts or qty not in parts:
            continue
        v, q = parts[value], parts[qty]
        cur.execute(
            f"UPDATE {typed} SET {column} = CASE WHEN {q} <> 0 THEN {v} / {q} END, "
            f"r_{column} = CASE WHEN {q} <> 0 THEN r_{v} || ' / ' || r_{q} END"
        )
    return [(c, f"r_{c} IS NOT NULL AND {c} IS NULL", "not a number") for c in parts.values()]


def _type_part(cur, typed: str, staged: str, c: str, decimal_comma: bool) -> None:
    """Typed column `c` and its text `r_c` on the typed rows, as `cast.typed_query` types."""
    cur.execute(f"ALTER TABLE {typed} ADD COLUMN r_{c} VARCHAR")
    cur.execute(f"ALTER TABLE {typed} ADD COLUMN {c} DOUBLE")
    text, number = raw_expr(f"{staged}.{c}", NUMBER), number_expr(f"r_{c}", decimal_comma)
    cur.execute(
        f"UPDATE {typed} SET r_{c} = {text} FROM {staged} WHERE {typed}.ord = {staged}.rowid + 1"
    )
    cur.execute(f"UPDATE {typed} SET {c} = {number}")
    cur.execute(f"UPDATE {typed} SET {c} = NULL WHERE NOT isfinite({c})")


def aggregate(cur, tag: str, kind: str, profile: Profile, checks: list[tuple]) -> list[tuple]:
    """One row per key from a ledger's lines. The checks of what a line holds (a value that
    cannot be typed, a required value missing: those on the raw text `r_*`) run on the
    lines into `lerr_<tag>`; the others are returned, to run on the aggregated rows."""
    typed = f"typed_{tag}"
    on_lines = [c for c in checks if c[1].startswith(f"r_{c[0]} ")]
    parts = [
        f"SELECT ord, '{col}' AS col, CAST(r_{col} AS VARCHAR) AS value, '{reason}' AS reason "
        f"FROM {typed} WHERE {cond}"
        for col, cond, reason in on_lines
    ]
    parts.append("SELECT NULL::BIGINT, NULL, NULL, NULL WHERE false")
    lines = " UNION ALL ".join(parts)
    cur.execute(f"CREATE TEMP TABLE lerr_{tag} AS {lines}")
    cur.execute(f"ALTER TABLE {typed} ADD COLUMN takt_when DATE")
    cur.execute(f"UPDATE {typed} SET takt_when = {SNAPSHOT}")
    if profile.snapshot_date == LATEST:
        cur.execute(f"UPDATE {typed} SET {SNAPSHOT} = (SELECT max({SNAPSHOT}) FROM {typed})")
        cur.execute(f"UPDATE {typed} SET r_{SNAPSHOT} = CAST({SNAPSHOT} AS VARCHAR)")
    table = TABLES[kind]
    last = "(t.takt_when, t.ord)"
    picked = []
    for col in (c.name for c in table.columns if c.name not in table.key):
        if profile.per_key.get(col) == "sum":
            picked += [f"sum({col}) AS {col}", f"CAST(sum({col}) AS VARCHAR) AS r_{col}"]
        else:
            picked += [f"arg_max({col}, {last}) AS {col}", f"arg_max(r_{col}, {last}) AS r_{col}"]
    key, values = ", ".join(table.key), ", ".join(picked)
    key_text = ", ".join(f"min(r_{k}) AS r_{k}" for k in table.key)
    cur.execute(f"""
        CREATE TEMP TABLE agg_{tag} AS
        SELECT coalesce(min(t.ord) FILTER (WHERE b.ord IS NOT NULL), min(t.ord)) AS ord,
               {key}, {key_text}, {values}
        FROM {typed} t LEFT JOIN (SELECT DISTINCT ord FROM lerr_{tag}) b ON b.ord = t.ord
        GROUP BY {key}""")
    cur.execute(f"DROP TABLE {typed}")
    cur.execute(f"ALTER TABLE agg_{tag} RENAME TO {typed}")
    have = {c.name for c in table.columns}
    return [c for c in checks if c not in on_lines and c[0] in have]


def add_line_errors(cur, tag: str) -> None:
    """The ledger lines' own rejections, beside those of the aggregated rows."""
    cur.execute(f"INSERT INTO err_{tag} SELECT * FROM lerr_{tag}")


def snapshot_refusal(profile: Profile | None, given: date | None) -> str | None:
    """Why a file cannot be read without a snapshot date, or None."""
    if profile is None or profile.snapshot_date != GIVEN or given is not None:
        return None
    article = "an" if profile.erp[0].lower() in "aeiou" else "a"
    return (
        f"{article} {profile.name} export carries no snapshot date; give the date the stock "
        "was exported (on the command line: --snapshot-date YYYY-MM-DD)"
    )
