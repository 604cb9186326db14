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
