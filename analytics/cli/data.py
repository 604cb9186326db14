"""`load`, `imports` and `undo`: data in, and the history of what came in."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analytics.cli.stores import open_store
from analytics.forecast.batch import refresh as refresh_forecasts
from analytics.ingest import UndoRefused, import_file, list_imports, load_order, undo_import
from analytics.ingest.reader import MAX_LOAD_BYTES
from analytics.models.materialize import refresh_store
from analytics.store.connection import Store

SHOWN_ERRORS = 20


def parse_mapping(pairs: list[str], parser) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, column = pair.partition("=")
        if not sep or not header.strip():
            parser.error(f"--map expects HEADER=COLUMN, got {pair!r}")
        mapping[header.strip()] = column.strip()
    return mapping


def cmd_load(args, parser) -> int:
    files = [Path(f) for f in args.files]
    for file in files:
        if not file.is_file():
            parser.error(f"no such file: {file}")
    mapping = parse_mapping(args.map, parser)
    date_order = "dayfirst" if args.dayfirst else "monthfirst" if args.monthfirst else None
    store = Store(
        args.db,
        extra_dirs=tuple({str(f.resolve().parent) for f in files}),
        max_import_bytes=MAX_LOAD_BYTES,
    )
    reports = []
    for file in load_order(files):  # receipts after the PO lines they attach to
        report = import_file(
            store,
            file.resolve(),
            display_name=str(file),
            kind=args.kind,
            mapping=mapping or None,
            date_order=date_order,
            refresh_marts=False,
            dry_run=args.dry_run,
            snapshot_date=args.snapshot_date,
        )
        reports.append(report)
        if not args.json:
            print_report(report)
    if any(r.status == "imported" for r in reports):
        refresh_store(store)
        refresh_forecasts(store)  # once per load: refits only the skus whose series changed
    if args.json:
        print(json.dumps([r.to_json() for r in reports], indent=2, default=str))
    return 1 if any(r.status == "refused" for r in reports) else 0


def print_report(report) -> None:
    if report.status not in ("imported", "dry run"):
        print(report.message if report.status == "duplicate" else f"REFUSED {report.message}")
        for error in report.errors[:SHOWN_ERRORS]:
            print(f"  {format_error(report.file, error)}")
        return
    ins = report.inspection
    order = {"dayfirst": "day-first dates", "monthfirst": "month-first dates"}.get(
        ins.date_order, ""
    )
    details = ", ".join(
        x
        for x in (
            ins.encoding,
            ins.delimiter_name,
            "decimal comma" if ins.decimal_comma else "",
            order,
        )
        if x
    )
    done = (
        "DRY RUN, nothing written" if report.status == "dry run" else f"import #{report.import_id}"
    )
    print(f"{report.file} -> {report.kind} ({details}): {done}")
    print(
        f"  read {report.rows_read}, inserted {report.inserted}, updated {report.updated} "
        f"({report.unchanged} unchanged), rejected {report.rejected}"
    )
    for reason, count in report.skipped.items():
        print(f"  skipped {count}: {reason}")
    if report.also:  # rows written to another table: a receipt's rejected quantity
        print("  " + ", ".join(f"{what.replace('_', ' ')} {n}" for what, n in report.also.items()))
    for warning in report.warnings:
        print(f"  warning: {warning}")
    for error in report.errors[:SHOWN_ERRORS]:
        print(f"  {format_error(report.file, error)}")
    if len(report.errors) > SHOWN_ERRORS:
        print(f"  ... and {report.rejected - SHOWN_ERRORS} more rejections (use --json)")


def format_error(file: str, error) -> str:
    column = f", column {error.column!r}" if error.column else ""
    value = f" (value {error.value!r})" if error.value is not None else ""
    return f"{file}: line {error.line}{column}{value}: {error.reason}"


def cmd_imports(args, parser) -> int:
    rows = list_imports(open_store(args))
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    if not rows:
        print("no imports yet")
    for r in rows:
        when = f"{r['imported_at']:%Y-%m-%d %H:%M}"
        state = r["status"] + (f" {r['undone_at']:%Y-%m-%d %H:%M}" if r["undone_at"] else "")
        print(
            f"#{r['import_id']:<4} {when}  {r['kind']:<10} {r['file_name']}  read "
            f"{r['rows_read']}, inserted {r['inserted']}, updated {r['updated']}, "
            f"rejected {r['rejected']}  [{state}]"
        )
    return 0


def cmd_undo(args, parser) -> int:
    try:
        print(undo_import(Store(args.db), args.import_id))
    except UndoRefused as exc:
        print(f"undo refused: {exc}", file=sys.stderr)
        return 1
    return 0
