"""Writing checked rows: defaults, rejections, the upsert and its history, in one transaction.

The canonical tables carry no PRIMARY KEY index (at 10M lines it made loading six times
slower); the natural key is kept unique here instead: duplicates inside a file are
rejected, and an incoming key replaces the stored row of that key. Every replaced row is
copied to `<table>__prior` first, so undo can restore it exactly.
"""

from __future__ import annotations

from analytics.store.schema import DATE, NUMBER, TABLES
from analytics.store.version import LINE_KEYS, bump_version, record_change


def already_imported(cur, sha256: str):
    """(import_id, imported_at) of a live import of the same bytes, or None."""
    return cur.execute(
        """
        SELECT import_id, imported_at FROM imports
        WHERE sha256 = ? AND status = 'imported' ORDER BY import_id LIMIT 1""",
        [sha256],
    ).fetchone()


def apply_defaults(cur, kind: str, typed: str, mapped: set[str]) -> None:
    """Defaults applied after parsing, so a bad value is rejected rather than defaulted."""
    for col in TABLES[kind].columns:
        if col.type == NUMBER and col.default is not None and col.name in mapped:
            cur.execute(
                f"UPDATE {typed} SET {col.name} = {float(col.default)} WHERE r_{col.name} IS NULL"
            )
        if col.type == DATE and col.default is not None and col.name in mapped:
            # an empty rates valid_from: the undated rate (a key column is never null)
            cur.execute(
                f"UPDATE {typed} SET {col.name} = DATE '{col.default}' WHERE r_{col.name} IS NULL"
            )
    if kind != "defects":
        return
    cur.execute(f"""
        UPDATE {typed} SET stage = CASE
            WHEN stage IS NOT NULL THEN lower(trim(stage))
            WHEN supplier IS NOT NULL THEN 'receiving' ELSE 'production' END""")
    # `site` came later: it joins the hash only when set (concat_ws skips a NULL), so a
    # defect without a site keeps the id earlier imports gave it.
    values = ", ".join(
        f"nullif({c.name}, '')" if c.name == "site" else f"coalesce(CAST({c.name} AS VARCHAR), '')"
        for c in TABLES[kind].columns
        if c.name != "defect_id"
    )
    cur.execute(
        f"UPDATE {typed} SET defect_id = md5(concat_ws('|', {values})) WHERE defect_id IS NULL"
    )


def find_errors(cur, kind: str, tag: str, checks) -> None:
    """Fill err_<tag> with one row per broken rule: ord, column, raw value, reason."""
    typed = f"typed_{tag}"
    parts = [
        f"SELECT ord, '{col}' AS col, CAST(r_{col} AS VARCHAR) AS value, "
        f"'{reason}' AS reason FROM {typed} WHERE {cond}"
        for col, cond, reason in checks
    ]
    parts.append(_duplicate_keys(kind, typed))
    if kind == "deliveries":
        parts += _split_receipt_conflicts(typed)
    cur.execute(f"CREATE TEMP TABLE err_{tag} AS " + " UNION ALL ".join(parts))


def _duplicate_keys(kind: str, typed: str) -> str:
    key = TABLES[kind].key
    shown = " || ', ' || ".join(f"'{k}=' || coalesce(CAST({k} AS VARCHAR), '')" for k in key)
    return f"""
        SELECT ord, '{key[0]}', {shown},
               'duplicate key: ' || count(*) OVER w || ' rows of this file have it'
        FROM {typed} WINDOW w AS (PARTITION BY {", ".join(key)})
        QUALIFY count(*) OVER w > 1"""


def _split_receipt_conflicts(typed: str) -> list[str]:
    """Receipts of one PO line must agree on its ordered quantity, in the file and stored."""
    within = f"""
        SELECT ord, 'ordered_qty', r_ordered_qty,
               'receipts of this PO line disagree on ordered_qty ('
               || min(ordered_qty) OVER w || ' vs ' || max(ordered_qty) OVER w || ')'
        FROM {typed} WINDOW w AS (PARTITION BY po_number, po_line)
        QUALIFY min(ordered_qty) OVER w <> max(ordered_qty) OVER w"""
    # An explicit ANTI JOIN, not NOT EXISTS: DuckDB then builds its hash table on the
    # (usually few) conflicting rows instead of on the whole file (2.5 s at 10M lines).
    stored = f"""
        SELECT t.ord, 'ordered_qty', t.r_ordered_qty,
               'ordered_qty ' || t.ordered_qty || ' disagrees with ' || d.ordered_qty
               || ' already stored for this PO line (receipt ' || d.receipt_id || ')'
        FROM {typed} t JOIN deliveries d
          ON d.po_number = t.po_number AND d.po_line = t.po_line
        ANTI JOIN {typed} t2 ON t2.po_number = d.po_number
          AND t2.po_line = d.po_line AND t2.receipt_id = d.receipt_id
        WHERE d.ordered_qty <> t.ordered_qty"""
    return [within, stored]


def upsert(
    cur,
    kind,
    tag,
    name,
    inspection,
    decimal_comma,
    date_order,
    rows_read,
    rejects,
    dry_run=False,
    also=None,
) -> dict:
    """Insert new keys, replace changed ones (keeping the old version), skip identical ones.
    A dry run does all of it, counts it, and rolls it back. `also(cur, import_id)` writes
    the rows an export adds to another table in the same transaction (a receipt's rejected
    quantity as a defect) and returns its counts."""
    typed, err = f"typed_{tag}", f"err_{tag}"
    rejected = cur.execute(f"SELECT count(DISTINCT ord) FROM {err}").fetchone()[0] + len(rejects)
    # the rows to write; as many as the lines read less those rejected, unless a ledger's
    # lines were aggregated into fewer rows (ingest.snapshots)
    accepted = cur.execute(
        f"SELECT count(*) FROM {typed} WHERE ord NOT IN (SELECT ord FROM {err})"
    ).fetchone()[0]
    if accepted == 0:
        return {
            "status": "refused",
            "inserted": 0,
            "updated": 0,
            "unchanged": 0,
            "rejected": rejected,
            "import_id": None,
            "also": {},
            "message": f"{name}: every row was rejected; nothing was imported",
        }
    cur.execute("BEGIN TRANSACTION")
    try:
        bump_version(cur, changed=())  # first, so the changes are recorded at its version
        import_id = cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]
        rows = f"(SELECT * FROM {typed} WHERE ord NOT IN (SELECT ord FROM {err}))"
        inserted, updated, unchanged = replace_rows(cur, kind, rows, f"match_{tag}", import_id)
        message = (
            f"{name}: {rows_read} rows read, {inserted} inserted, {updated} updated "
            f"({unchanged} unchanged), {rejected} rejected"
        )
        added = also(cur, import_id) if also else {}
        if added:
            message += "; " + ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in added.items())
        cur.execute(
            """
            INSERT INTO imports (import_id, file_name, sha256, kind, imported_at, rows_read,
                inserted, updated, unchanged, rejected, status, message, encoding, delimiter,
                decimal_comma, date_order)
            VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?)""",
            [
                import_id,
                name,
                inspection.sha256,
                kind,
                rows_read,
                inserted,
                updated,
                unchanged,
                rejected,
                message,
                inspection.encoding,
                inspection.delimiter,
                decimal_comma,
                date_order,
            ],
        )
        cur.execute("ROLLBACK" if dry_run else "COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    if dry_run:
        message = f"{message}; a dry run: nothing was written"
    return {
        "status": "dry run" if dry_run else "imported",
        "inserted": inserted,
        "updated": updated,
        "rejected": rejected,
        "unchanged": unchanged,
        "import_id": None if dry_run else import_id,
        "also": added,
        "message": message,
    }


def replace_rows(cur, kind: str, rows: str, match: str, import_id: int) -> tuple[int, int, int]:
    """Write `rows` (a query of `ord` and the table's columns, one row per key) to `kind`
    under `import_id`: a new key is inserted, a changed one replaces the stored row (copied
    to `<kind>__prior` first, for undo), an identical one is left alone. Returns (inserted,
    updated, unchanged); `updated` counts the unchanged too. The change is recorded at the
    current data version, with the PO lines written for deliveries."""
    table = TABLES[kind]
    cols = [c.name for c in table.columns]
    on = " AND ".join(f"d.{k} = a.{k}" for k in table.key)
    same = " AND ".join(f"d.{c} IS NOT DISTINCT FROM a.{c}" for c in cols if c not in table.key)
    cur.execute(f"""
        CREATE TEMP TABLE {match} AS
        SELECT a.ord, d.rowid AS target_rowid, ({same or "true"}) AS same
        FROM {rows} a JOIN {kind} d ON {on}""")
    updated, unchanged = cur.execute(
        f"SELECT count(*), count(*) FILTER (WHERE same) FROM {match}"
    ).fetchone()
    changed = f"SELECT target_rowid FROM {match} WHERE NOT same"
    # by name: a store from before a column was added holds it last (tables.ensure_schema)
    cur.execute(
        f"INSERT INTO {kind}__prior ({', '.join(cols)}, import_id, replaced_by) "
        f"SELECT {', '.join(cols)}, import_id, {import_id} FROM {kind} "
        f"WHERE rowid IN ({changed})"
    )
    cur.execute(f"DELETE FROM {kind} WHERE rowid IN ({changed})")
    col_list = ", ".join(cols)
    # Into an empty table every line is new: its facts are built whole, so listing each line
    # touched (a DISTINCT over the whole file) would only be read to rebuild them all.
    first = not updated and not cur.execute(f"SELECT EXISTS (FROM {kind})").fetchone()[0]
    written = cur.execute(f"""
        INSERT INTO {kind} ({col_list}, import_id)
        SELECT {col_list}, {import_id} FROM {rows} a
        WHERE ord NOT IN (SELECT ord FROM {match} WHERE same)""").fetchone()[0]
    if written:
        touched = f"SELECT {', '.join(LINE_KEYS.get(kind, ()))} FROM {kind} WHERE import_id = ?"
        by_line = kind in LINE_KEYS and not first
        record_change(cur, kind, *((touched, [import_id]) if by_line else ()))
    return written - (updated - unchanged), updated, unchanged


def error_rows(cur, tag: str, cap: int) -> list[tuple]:
    return cur.execute(
        f"SELECT ord, col, value, reason FROM err_{tag} ORDER BY ord, col LIMIT {int(cap)}"
    ).fetchall()
