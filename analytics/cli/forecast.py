"""`forecast`: demand forecasts and their backtest accuracy per sku (METRICS.md section 14).

`forecast --refresh` runs the forecast batch alone (for nightly scripts), with a progress bar
on stderr; without it the stored forecasts are printed, least trustworthy first, as CSV
(one column per week ahead) or JSON.
"""

from __future__ import annotations

import json
import sys

from analytics.cli.figures import write_csv
from analytics.forecast.batch import refresh
from analytics.forecast.stored import forecast_rows, weeks_ahead
from analytics.models.params import Scope
from analytics.store.connection import Store

ACCURACY = ("model", "history_weeks", "intermittent", "wape", "bias", "naive_wape", "fva")


def cmd_forecast(args, parser) -> int:
    store = Store(args.db)
    if args.refresh:
        done = refresh(store, progress=progress_bar(sys.stderr), force=args.all)
        print(
            f"forecasts as of {done.as_of}: {done.refitted} refitted, {done.unchanged} "
            f"unchanged, {done.removed} removed ({done.series} sku-site series)"
        )
        return 0
    rows = forecast_rows(store, Scope(sku=args.sku, category=args.category, site=args.site))
    if args.format == "json":
        print(json.dumps([as_json(r, args.horizon) for r in rows], indent=2, default=str))
    else:
        write_csv([as_csv(r, args.horizon) for r in rows], sys.stdout)
    return 0


def as_json(row: dict, horizon: int) -> dict:
    weeks = weeks_ahead(row, horizon)
    return {
        "sku": row["sku"],
        "site": row["site"],
        "as_of": row["as_of"].isoformat(),
        **{k: row[k] for k in ACCURACY},
        "weeks": [{**w, "week_end": w["week_end"].isoformat()} for w in weeks],
    }


def as_csv(row: dict, horizon: int) -> dict:
    out = {"sku": row["sku"], "site": row["site"], "as_of": row["as_of"].isoformat()}
    out |= {k: row[k] for k in ACCURACY}
    for w in weeks_ahead(row, horizon):
        out[f"week_{w['week']}"] = w["forecast"]
        out[f"week_{w['week']}_lo"] = w["lo"]
        out[f"week_{w['week']}_hi"] = w["hi"]
    return out


def progress_bar(stream, width: int = 30):
    """A text bar redrawn in place: `[#####.....] 1,250/5,000 series`."""

    def show(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        stream.write(f"\r[{bar}] {done:,}/{total:,} series")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
