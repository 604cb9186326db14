"""A receipt's rejected quantity, written as a receiving defect by the receipt's own import.

METRICS.md 1a: received_qty is the accepted quantity; a rejected quantity becomes a defect
(stage `receiving`, the given reason or `rejected at receipt`) linked to the PO, counted
once. A profile asks for it with `AlsoDefect` (the header of the quantity, the stage, the
cause). The defect is written in the receipt's transaction under the same import id, so
undoing the import removes it and a dry run writes none. Its id is the receipt's natural
key and the tag (`MAT-PRE-2024-00021/PUR-ORD-2024-00011/2/rejected`): the same receipt in
a second export finds its defect instead of adding it again. Only an accepted receipt
carries one; a receipt that is rejected (an unknown PO line, a bad value) adds none.
"""

from __future__ import annotations

from analytics.ingest.cast import number_expr, raw_expr
from analytics.ingest.upsert import replace_rows
from analytics.store.schema import NUMBER, SQL_TYPES, TABLES

QTY = "takt_also_qty"  # the typed quantity; its text is r_takt_also_qty


def read_quantity(cur, tag: str, profile, headers: list[str], comma: bool) -> bool:
    """The quantity's text and number on each typed row, cast as the file writes numbers;
    False when the profile writes no defects or the file lacks the quantity's column (a
    Report View export without Rejected Quantity is read as receipts alone)."""
    if not (profile and profile.also_defect and profile.also_defect.qty in headers):
        return False
    typed, staged = f"typed_{tag}", f"stg_{tag}"
    cur.execute(f"ALTER TABLE {typed} ADD COLUMN r_{QTY} VARCHAR")
    cur.execute(f"ALTER TABLE {typed} ADD COLUMN {QTY} DOUBLE")
    raw = raw_expr(f"{staged}.c{headers.index(profile.also_defect.qty)}", NUMBER)
    cur.execute(f"UPDATE {typed} SET r_{QTY} = {raw} FROM {staged} WHERE ord = {staged}.rowid + 1")
    cur.execute(f"UPDATE {typed} SET {QTY} = {number_expr(f'r_{QTY}', comma)}")
    cur.execute(f"UPDATE {typed} SET {QTY} = NULL WHERE NOT isfinite({QTY})")
    return True


def find_errors(cur, tag: str, profile) -> None:
    """A quantity that is not a number rejects its receipt: the defect cannot be read."""
    cur.execute(
        f"INSERT INTO err_{tag} SELECT ord, ?, r_{QTY}, 'not a number' FROM typed_{tag} "
        f"WHERE r_{QTY} IS NOT NULL AND {QTY} IS NULL",
        [profile.also_defect.qty],
    )


def writer(tag: str, profile):
    """What the upsert calls in its transaction: write(cur, import_id) -> counts."""
    return lambda cur, import_id: write(cur, tag, profile.also_defect, import_id)


def write(cur, tag: str, also, import_id: int) -> dict[str, int]:
    """The defects of the accepted receipts whose quantity is above zero; their counts
    (a defect already stored with the same values is unchanged, not added again)."""
    typed, err, rows = f"typed_{tag}", f"err_{tag}", f"also_{tag}"
    given = {
        "defect_id": "concat_ws('/', receipt_id, po_number, po_line, ?)",
        "date": "received_date",
        "sku": "sku",
        "supplier": "supplier",
        "po_number": "po_number",
        "stage": "?",
        "cause": "?",
        "qty": QTY,
        "site": "site",
    }  # every other column of the defects table is empty (cost: the sku's unit cost)
    select = ", ".join(
        f"{given[c.name]} AS {c.name}"
        if c.name in given
        else f"CAST(NULL AS {SQL_TYPES[c.type]}) AS {c.name}"
        for c in TABLES["defects"].columns
    )
    cur.execute(
        f"""
        CREATE TEMP TABLE {rows} AS
        SELECT ord, {select}
        FROM {typed} WHERE {QTY} > 0 AND ord NOT IN (SELECT ord FROM {err})""",
        [also.tag, also.stage, also.cause],
    )
    inserted, updated, unchanged = replace_rows(cur, "defects", rows, f"alsomatch_{tag}", import_id)
    cur.execute(f"DROP TABLE {rows}")
    cur.execute(f"DROP TABLE alsomatch_{tag}")
    return {
        "defects_added": inserted,
        "defects_updated": updated - unchanged,
        "defects_unchanged": unchanged,
    }
