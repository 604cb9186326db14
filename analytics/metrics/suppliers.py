"""Small pure helpers behind the Suppliers (Establish) page.

The SQL models compute every figure; these only reshape their rows for a chart or a table
(a Pareto's running share, one sparkline per supplier, which supplier to open first), so
the page stays free of grouping logic and the shaping is tested with hand-worked numbers.
"""

from __future__ import annotations

from collections.abc import Iterable


def pareto(rows: Iterable[dict], label: str, value: str) -> list[dict]:
    """Rows sorted by `value` descending (ties by label) with share and cumulative share.

    Rows whose value is unknown or not positive are left out: they neither add to the
    total nor take a bar, as in METRICS.md section 4's Pareto.
    """
    kept = [r for r in rows if r.get(value) is not None and r[value] > 0]
    kept.sort(key=lambda r: (-r[value], str(r[label])))
    total = sum(r[value] for r in kept)
    out, running = [], 0.0
    for r in kept:
        running += r[value]
        out.append(
            {
                label: r[label],
                value: r[value],
                "share": r[value] / total,
                "cumulative_share": running / total,
            }
        )
    return out


def vital_few(rows: list[dict]) -> int:
    """How many leading Pareto rows reach 80% of the total (including the one that does)."""
    for i, r in enumerate(rows, start=1):
        if r["cumulative_share"] >= 0.8 - 1e-12:
            return i
    return len(rows)


def otif_sparklines(series_rows: Iterable[dict]) -> dict[str, list[float]]:
    """Each supplier's OTIF rates oldest bucket first, from `supplier_series` rows.

    Buckets without due lines have no row and so no point: a sparkline joins the months
    that had deliveries due, it never draws a 0% that did not happen.
    """
    ordered = sorted(series_rows, key=lambda r: (r["supplier"], r["bucket"]))
    lines: dict[str, list[float]] = {}
    for r in ordered:
        lines.setdefault(r["supplier"], []).append(float(r["otif_rate"]))
    return lines


def default_detail(scorecard_rows: list[dict], preferred: str | None) -> str | None:
    """The supplier the detail view opens on: the sidebar's choice, else the worst score.

    The lowest score is the one a purchasing meeting needs to talk about; suppliers
    without a score come after every scored one in `scorecard` order, so they are skipped.
    """
    names = [r["supplier"] for r in scorecard_rows]
    if preferred in names:
        return preferred
    scored = [r["supplier"] for r in scorecard_rows if r.get("score") is not None]
    if scored:
        return scored[-1]
    return names[0] if names else None


GRADES = ("A", "B", "C", "D")
PERCENT_COLUMNS = ("otif_rate", "on_time_rate", "in_full_rate", "early_rate", "spend_share")
SCORECARD_COLUMNS = (
    "score_rank",
    "supplier",
    "grade",
    "score",
    "otif_trend",
    *PERCENT_COLUMNS[:4],
    "due_lines",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "lead_time_cv",
    "lead_time_p95_days",
    "lateness_mean_days",
    "defect_ppm",
    "spend",
    "spend_share",
    "late_open_lines",
    "customer_lines_hit",
    "value_hit",
)


def scorecard_table(rows: list[dict], sparklines: dict[str, list[float]]) -> list[dict]:
    """Scorecard rows as the page shows them: rates in percent (0-100), one OTIF trend each.

    Percent rather than fractions because the table's own percent format shows two
    decimals; the downloaded table keeps the same numbers under labels that say "%".
    """
    out = []
    for r in rows:
        row = {c: r.get(c) for c in SCORECARD_COLUMNS}
        row["otif_trend"] = sparklines.get(r["supplier"], [])
        for c in PERCENT_COLUMNS:
            row[c] = None if r.get(c) is None else 100.0 * r[c]
        out.append(row)
    return out


def grade_counts(rows: list[dict]) -> dict[str, int]:
    """How many suppliers hold each grade (A to D); unscored suppliers are not counted."""
    counts = dict.fromkeys(GRADES, 0)
    for r in rows:
        if r.get("grade") in counts:
            counts[r["grade"]] += 1
    return counts


def trend_grain(start, end) -> str:
    """Weekly points for a short period (up to 120 days), monthly ones otherwise.

    A quarter by month gives three points, too few to see a trend; a year by week gives
    52 noisy ones per supplier.
    """
    if start is None or end is None:
        return "month"
    return "week" if (end - start).days + 1 <= 120 else "month"


def late_open_total(rows: list[dict]) -> int:
    """Late open PO lines over all suppliers of the scorecard: what purchasing must chase."""
    return sum(r.get("late_open_lines") or 0 for r in rows)


def with_customer_hits(rows: list[dict], hits: Iterable[dict]) -> list[dict]:
    """Scorecard rows with the customer lines and value their misses hit (section 12).

    A supplier with no traced miss hit 0 lines and 0 value: nothing is unknown about that.
    A hit line without a value (no price, no cost) leaves value_hit None for its supplier.
    """
    by_supplier = {h["supplier"]: h for h in hits}
    out = []
    for r in rows:
        hit = by_supplier.get(r["supplier"])
        lines = int(hit["customer_lines_hit"]) if hit else 0
        value = (None if hit["value_hit"] is None else float(hit["value_hit"])) if hit else 0.0
        out.append({**r, "customer_lines_hit": lines, "value_hit": value})
    return out
