"""An export profile's value rules, applied in SQL to the staged text before it is typed.

The staged table keeps one row per data line in file order (its rowid gives the line), so
rules never delete or reorder rows: a skipped row is marked with its reason and left out
when the rows are typed, continuation rows take the value above, and a line number within
a document is counted in file order. Every value comes from the file, bound or quoted as a
literal by DuckDB's own quoting; column names are the staging table's own (`c0`, `c1`, ...).
"""

from __future__ import annotations

from analytics.ingest.profiles import ATTACHED, LINE, Profile
from analytics.store.schema import TABLES

SKIP = "takt_skip"  # the reason a row is skipped; NULL for rows that are read
LINE_SOURCE = "takt_line"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def apply(cur, table: str, profile: Profile, headers: list[str]) -> dict[str, str]:
    """Rewrite the staged text by the profile's rules; the extra sources (column -> staged
    column) it adds, e.g. the line number within a document."""
    col = {h: f"c{i}" for i, h in enumerate(headers)}
    for header in profile.fill_down:
        _fill_down(cur, table, col[header])
    for header, other in profile.or_else.items():
        cur.execute(
            f"UPDATE {table} SET {col[header]} = {col[other]} "
            f"WHERE coalesce(trim({col[header]}), '') = ''"
        )
    for header, sep in profile.cut.items():
        c = col[header]
        cur.execute(
            f"UPDATE {table} SET {c} = trim(split_part(trim({c}), {_literal(sep)}, 1)) "
            f"WHERE contains(trim({c}), {_literal(sep)})"
        )
    for header, meanings in profile.values.items():
        _translate(cur, table, col[header], meanings)
    for header in profile.durations:
        _durations(cur, table, col[header])
    for header, (when, value) in profile.negate.items():
        cur.execute(
            f"UPDATE {table} SET {col[header]} = '-' || trim({col[header]}) "
            f"WHERE lower(trim({col[when]})) = {_literal(value.lower())}"
        )
    _mark_skipped(cur, table, profile, col)
    if profile.continues:
        _continue(cur, table, profile.continues, col)
    extra = _defaults(cur, table, profile, col)
    for column, headers_of in profile.joined.items():
        extra[column] = _joined(cur, table, column, [col[h] for h in headers_of])
    for column, plus in profile.date_plus.items():
        extra[column] = _date_plus(cur, table, column, plus, col)
    if LINE in profile.columns:
        _number_lines(cur, table, col[profile.line_of])
        extra[profile.columns[LINE]] = LINE_SOURCE
    return extra


def _fill_down(cur, table: str, c: str) -> None:
    cur.execute(f"""
        UPDATE {table} SET {c} = above.v FROM (
            SELECT rowid AS rid, last_value(nullif(trim({c}), '') IGNORE NULLS)
                OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS v
            FROM {table}) AS above
        WHERE {table}.rowid = above.rid AND coalesce(trim({table}.{c}), '') = ''""")


def _translate(cur, table: str, c: str, meanings: dict[str, str]) -> None:
    """Codes to their meaning (`L` -> cancelled, `Q2` -> receiving), case-insensitively."""
    cases = " ".join(
        f"WHEN lower(trim({c})) = {_literal(code.lower())} THEN {_literal(meaning)}"
        for code, meaning in meanings.items()
    )
    cur.execute(f"UPDATE {table} SET {c} = CASE {cases} ELSE {c} END")


def _durations(cur, table: str, c: str) -> None:
    """A date formula (`2W`, `10D`, `1M`, `1Y`) as days; a month counts 30, a year 365."""
    days = (
        f"CASE upper(regexp_extract(trim({c}), '^(\\d+)\\s*([DWMQYdwmqy])$', 2)) "
        "WHEN 'D' THEN 1 WHEN 'W' THEN 7 WHEN 'M' THEN 30 WHEN 'Q' THEN 91 WHEN 'Y' THEN 365 END"
    )
    number = f"try_cast(regexp_extract(trim({c}), '^(\\d+)\\s*[DWMQYdwmqy]$', 1) AS INTEGER)"
    cur.execute(
        f"UPDATE {table} SET {c} = CAST({number} * {days} AS VARCHAR) "
        f"WHERE regexp_full_match(trim({c}), '\\d+\\s*[DWMQYdwmqy]')"
    )


def _mark_skipped(cur, table: str, profile: Profile, col: dict[str, str]) -> None:
    cur.execute(f"ALTER TABLE {table} ADD COLUMN {SKIP} VARCHAR")
    for keep in profile.keep:
        headers = [col[h] for h in (keep.header, *keep.also)]
        if keep.values:
            allowed = ", ".join(_literal(v.lower()) for v in keep.values)
            wrong = " AND ".join(
                f"lower(trim(coalesce({c}, ''))) NOT IN ({allowed})" for c in headers
            )
        else:
            wrong = " AND ".join(f"coalesce(trim({c}), '') = ''" for c in headers)
        cur.execute(
            f"UPDATE {table} SET {SKIP} = {_literal(keep.reason)} WHERE {SKIP} IS NULL AND {wrong}"
        )


def _number_lines(cur, table: str, document: str) -> None:
    cur.execute(f"ALTER TABLE {table} ADD COLUMN {LINE_SOURCE} VARCHAR")
    cur.execute(f"""
        UPDATE {table} SET {LINE_SOURCE} = CAST(n.line AS VARCHAR) FROM (
            SELECT rowid AS rid, row_number() OVER (PARTITION BY {document} ORDER BY rowid) AS line
            FROM {table} WHERE {SKIP} IS NULL) AS n
        WHERE {table}.rowid = n.rid""")


def _date_plus(cur, table: str, column: str, plus, col: dict[str, str]) -> str:
    """A staged text column `takt_<column>`: the date plus the days, as an ISO date."""
    target = f"takt_{column}"
    allowed = ", ".join(_literal(v.lower()) for v in plus.values)
    date = f"try_cast(trim({col[plus.date]}) AS DATE)"
    days = f"try_cast(trim({col[plus.days]}) AS INTEGER)"
    cur.execute(f"ALTER TABLE {table} ADD COLUMN {target} VARCHAR")
    cur.execute(
        f"UPDATE {table} SET {target} = CAST({date} + {days} AS VARCHAR) "
        f"WHERE lower(trim({col[plus.when]})) IN ({allowed})"
    )
    return target


def per_unit(cur, typed: str, staged: str, profile: Profile, headers: list[str]) -> None:
    """Prices quoted per 10, 100 or 1,000 units, divided down to one unit. A price unit is
    a whole number, so its separators are dropped ('1.000' is a thousand, in any locale)."""
    for column, header in profile.per.items():
        c = f"c{headers.index(header)}"
        unit = f"try_cast(regexp_replace(trim({staged}.{c}), '[.,]', '', 'g') AS DOUBLE)"
        cur.execute(
            f"UPDATE {typed} SET {column} = {column} / {unit} FROM {staged} "
            f"WHERE {typed}.ord = {staged}.rowid + 1 AND {unit} > 0"
        )


def _joined(cur, table: str, column: str, parts: list[str]) -> str:
    """A staged column `takt_<column>`: the parts joined by '/' ('5000000201/1')."""
    target = f"takt_{column}"
    cur.execute(f"ALTER TABLE {table} ADD COLUMN {target} VARCHAR")
    cur.execute(f"UPDATE {table} SET {target} = concat_ws('/', {', '.join(parts)})")
    return target


def attached_columns(profile: Profile) -> list[str]:
    """What a receipt takes from its PO line: the columns the export does not carry."""
    have = {c.name for c in TABLES[profile.kind].columns}
    carried = set(profile.columns.values()) | set(profile.joined)
    return [c for c in ATTACHED if c in have and (c not in carried or c in profile.attach_by)]


UNKNOWN_LINE = "a receipt of an unknown PO line: import its purchase order lines first (or with it)"


def attach(cur, typed: str, profile: Profile) -> None:
    """Give each receipt the PO line it belongs to (stored, or earlier in the same load): a
    receipt carries no ordered quantity or promised date. Matched by PO number and line, or
    by PO number and sku when the export has no line number. A receipt that finds no line
    keeps its blanks and is rejected (UNKNOWN_LINE)."""
    by = profile.attach_by
    take = [c for c in attached_columns(profile) if c not in by]
    if "po_line" not in by:
        take.append("po_line")
    fill = [
        f"{c} = coalesce(nullif({typed}.{c}, ''), l.{c})"
        if c == "site"
        else f"{c} = l.{c}"
        if c == "po_line"
        else f"{c} = coalesce({typed}.{c}, l.{c})"
        for c in take
    ]
    picked = ", ".join(f"any_value({c}) AS {c}" for c in take)
    on = " AND ".join(f"{typed}.{c} = l.{c}" for c in by)
    cur.execute(f"ALTER TABLE {typed} ADD COLUMN takt_attached BOOLEAN DEFAULT false")
    cur.execute(f"""
        UPDATE {typed} SET {", ".join(fill)}, takt_attached = true FROM (
            SELECT {", ".join(by)}, {picked} FROM deliveries
            WHERE ordered_qty IS NOT NULL GROUP BY {", ".join(by)}) AS l
        WHERE {on}""")


def skipped(cur, table: str) -> dict[str, int]:
    """Rows left out, by reason (continuation rows are part of the row above, not skipped)."""
    return dict(
        cur.execute(
            f"SELECT {SKIP}, count(*) FROM {table} WHERE {SKIP} IS NOT NULL AND {SKIP} <> ? "
            "GROUP BY 1 ORDER BY 1",
            [JOINED],
        ).fetchall()
    )


# --- Continuation rows and defaults -------------------------------------------------------

JOINED = "takt_joined"  # the SKIP mark of a continuation row: read as part of the row above
HEAD = "takt_head"


def joined(cur, table: str) -> int:
    """Continuation rows whose value went to the row above."""
    return cur.execute(f"SELECT count(*) FROM {table} WHERE {SKIP} = ?", [JOINED]).fetchone()[0]


def _continue(cur, table: str, rule, col: dict[str, str]) -> None:
    """Append each continuation row's value to its head, the nearest row above that is not
    a continuation, then mark it JOINED. A continuation with no row above stays a row."""
    value = col[rule.header]  # every other cell, the key's among them, is blank
    blank = [f"coalesce(trim({c}), '') = ''" for h, c in col.items() if h != rule.header]
    is_cont = " AND ".join([*blank, f"coalesce(trim({value}), '') <> ''"])
    cur.execute(f"ALTER TABLE {table} ADD COLUMN {HEAD} BIGINT")
    cur.execute(f"""
        UPDATE {table} SET {HEAD} = h.head FROM (
            SELECT rid, cont, max(CASE WHEN NOT cont THEN rid END)
                OVER (ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS head
            FROM (SELECT rowid AS rid, {is_cont} AS cont FROM {table})) AS h
        WHERE {table}.rowid = h.rid AND h.cont AND h.head IS NOT NULL""")
    cur.execute(f"""
        UPDATE {table} SET {value} = concat_ws({_literal(rule.sep)},
            nullif(trim({table}.{value}), ''), tail.v) FROM (
            SELECT {HEAD} AS head, string_agg(trim({value}), {_literal(rule.sep)} ORDER BY rowid)
                AS v FROM {table} WHERE {HEAD} IS NOT NULL GROUP BY 1) AS tail
        WHERE {table}.rowid = tail.head""")
    cur.execute(f"UPDATE {table} SET {SKIP} = ? WHERE {HEAD} IS NOT NULL", [JOINED])


def _defaults(cur, table: str, profile: Profile, col: dict[str, str]) -> dict[str, str]:
    """A column's value where the export has none: its header's blank cells, or a staged
    column `takt_<column>` holding the value when no header fills it."""
    header_of = {c: h for h, c in profile.columns.items() if h in col}
    extra = {}
    for column, value in profile.defaults.items():
        if column in header_of:
            c = col[header_of[column]]
            cur.execute(
                f"UPDATE {table} SET {c} = {_literal(value)} WHERE coalesce(trim({c}), '') = ''"
            )
        else:
            extra[column] = f"takt_{column}"
            cur.execute(
                f"ALTER TABLE {table} ADD COLUMN {extra[column]} VARCHAR DEFAULT {_literal(value)}"
            )
    return extra
