"""Deciding how a file writes its dates and numbers, from its values, as the text path reads it.

The head's sample decides what the Data page shows before an import (`sample_date_order`);
the import decides again from every staged value: day-first or month-first when the values
prove it (refusing a file that mixes them, asking when none can tell), and a decimal comma
or point (`cast.decide_decimal_comma`).
"""

from __future__ import annotations

from analytics.ingest import snapshots
from analytics.ingest.cast import date_order_sql, decide_date_order, decide_decimal_comma
from analytics.ingest.results import ImportRefused
from analytics.store.schema import DATE, NUMBER


def sample_date_order(values: list[str]) -> str:
    pairs = [v.split("/") for v in values if v.count("/") == 2 and v[:4].count("/")]
    nums = [(int(a), int(b)) for a, b, _ in pairs if a.isdigit() and b.isdigit()]
    if not nums:
        dotted = any(v.count(".") == 2 and v.replace(".", "").isdigit() for v in values)
        return "dayfirst" if dotted else "iso"
    return decide_date_order(len(nums), max(a for a, _ in nums), max(b for _, b in nums))


def decide_dates(cur, tag, name, table, sources, date_order):
    cols = [sources[c.name] for c in table.columns if c.type == DATE and c.name in sources]
    if not cols:
        return date_order or "iso"
    count, max_a, max_b, b_when_a, a_when_b = cur.execute(
        date_order_sql(f"stg_{tag}", cols)
    ).fetchone()
    found = decide_date_order(count, max_a, max_b)
    if date_order in ("dayfirst", "monthfirst"):
        return date_order
    if found == "mixed":
        raise ImportRefused(
            name,
            "the dates mix day-first and month-first values (e.g. "
            f"{max_a}/{b_when_a}/… and {a_when_b}/{max_b}/…); fix "
            "the export or choose the order explicitly",
        )
    if found == "ambiguous":
        exc = ImportRefused(
            name,
            "every date could be day-first or month-first (e.g. "
            "01/02/2024); choose day-first or month-first (on the command line: --dayfirst "
            "or --monthfirst)",
        )
        exc.needs_date_order = True
        raise exc
    return found


def decide_numbers(cur, tag, table, sources, inspection) -> bool:
    cols = [sources[c.name] for c in table.columns if c.type == NUMBER and c.name in sources]
    if inspection.profile is not None:  # the headers a sum or a ratio reads
        cols += snapshots.part_columns(inspection.profile, inspection.headers).values()
    if not cols:
        return False
    union = " UNION ALL ".join(
        f"SELECT {c} AS v FROM stg_{tag} WHERE contains({c}, ',') OR contains({c}, '.')"
        for c in cols
    )
    values = [r[0] for r in cur.execute(f"SELECT v FROM ({union}) LIMIT 5000").fetchall()]
    return decide_decimal_comma(values, inspection.delimiter)
