"""`kpis`, `suppliers`, `skus` and `waste`: the figures of a period, as text, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys

from analytics.cli.stores import open_store
from analytics.export import neutralise
from analytics.metrics import figures
from analytics.metrics.figures import KPI_KEYS, kpis_with_period
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope


def scope_of(args):
    return Scope(
        args.start, args.end, args.as_of, args.supplier, args.sku, args.category, args.site
    )


def cmd_kpis(args, parser) -> int:
    store = open_store(args)
    try:
        values = kpis_with_period(store, scope_of(args))
    except ValueError as exc:
        parser.error(str(exc))
    if args.json:
        print(json.dumps(values, indent=2))
        return 0
    print(f"{'Period':<32} {values['start']} to {values['end']}, as of {values['as_of']}")
    for key in KPI_KEYS:
        kpi = KPIS[key]
        print(f"{kpi.label:<32} {format_value(values[key], kpi.unit, values['currency'])}")
    for r in figures.unconverted_money(store, scope_of(args)):
        print(
            f"{r['rows']:,} {r['table_name']} rows in {r['currency']} have no rate into "
            f"{values['currency']}: left out of the money figures (import a rates file)"
        )
    return 0


def format_value(value, unit: str, currency: str = "EUR") -> str:
    """A figure as plain text: money as '1,234.50 EUR' (the ISO code reads in any terminal)."""
    if value is None:
        return "no data"
    return {
        "rate": f"{value:.1%}",
        "days": f"{value:,.1f} days",
        "ppm": f"{value:,.0f} ppm",
        "money": f"{value:,.2f} {currency}",
        "ratio": f"{value:,.2f}",
        "index": f"{value:.3f}",
    }[unit]


def cmd_table(args, parser) -> int:
    fetch = {"suppliers": figures.scorecard, "skus": figures.sku_sizing, "waste": figures.waste}
    try:
        rows = fetch[args.command](open_store(args), scope_of(args))
    except ValueError as exc:
        parser.error(str(exc))
    if args.format == "json":
        print(json.dumps(rows, indent=2, default=str))
    else:
        write_csv(rows, sys.stdout)
    return 0


def write_csv(rows: list[dict], stream) -> None:
    """CSV for spreadsheets: text cells that a spreadsheet would run as formulas are defused."""
    if not rows:
        return
    writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
