"""The command line: `python -m analytics COMMAND`, for nightly imports and scripting.

Exit codes: 0 success (rejected rows are allowed and reported), 1 when a file was refused
whole or an undo was refused, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from analytics.db import Store, StoreBusy, default_db_path

SHOWN_ERRORS = 20


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics", description="Takt: JIT inventory analytics."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="import CSV exports into the database")
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument(
        "--kind",
        choices=["deliveries", "orders", "defects", "inventory", "items"],
        help="table kind (default: from headers)",
    )
    load.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=COLUMN",
        help="map a header onto a canonical column (repeatable)",
    )
    order = load.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_true", help="read 01/02/2024 as 1 Feb")
    order.add_argument("--monthfirst", action="store_true", help="read 01/02/2024 as 2 Jan")
    load.add_argument("--json", action="store_true", help="print a JSON report")
    imports = sub.add_parser("imports", help="list the import history")
    imports.add_argument("--json", action="store_true")
    undo = sub.add_parser("undo", help="undo one import")
    undo.add_argument("import_id", type=int, metavar="IMPORT_ID")
    sub.add_parser("demo", help="load the bundled demo data (replacing what is there)")
    kpis = sub.add_parser("kpis", help="the headline KPIs of a period")
    kpis.add_argument("--json", action="store_true", help="print one JSON object")
    for name, helptext in (
        ("suppliers", "the supplier scorecard"),
        ("skus", "pull-system sizing per sku"),
        ("waste", "the seven-wastes ledger"),
    ):
        table = sub.add_parser(name, help=helptext)
        table.add_argument("--format", choices=["csv", "json"], default="csv")
    for name in ("kpis", "suppliers", "skus", "waste"):
        add_scope_arguments(sub.choices[name])
    actions = sub.add_parser("actions", help="improvement actions and their verified effect")
    actions.add_argument("--json", action="store_true", help="print a JSON list")
    export = sub.add_parser("export", help="write the canonical tables for a data lake")
    export.add_argument("out_dir", metavar="OUT_DIR", help="one folder per table is written here")
    export.add_argument("--format", choices=["parquet"], default="parquet")
    for command in sub.choices.values():
        command.add_argument(
            "--db",
            default=None,
            metavar="PATH",
            help=f"database file (default: $TAKT_DB or {default_db_path()})",
        )
    rollup = sub.add_parser(
        "rollup", help="compute per-line outcomes, rollups and scorecards as Parquet"
    )
    rollup.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    rollup.add_argument(
        "--master", metavar="URL", help="Spark master, e.g. spark://host:7077 (default local[*])"
    )
    rollup.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, e.g. spark.driver.memory=4g (repeatable)",
    )
    rollup.add_argument("--input", required=True, metavar="PATH", help="one folder per table")
    rollup.add_argument("--output", required=True, metavar="PATH", help="where rollups go")
    add_scope_arguments(rollup, filters=False)
    rollup.add_argument("--json", action="store_true", help="print the manifest as JSON")
    spc = sub.add_parser("spc", help="control limits and rule breaks of a series in a CSV file")
    spc.add_argument("file", metavar="FILE", help="CSV with defectives,size (p) or value (xmr)")
    spc.add_argument("--chart", choices=["p", "xmr"], required=True)
    spc.add_argument(
        "--rules",
        type=rule_list,
        default=(1,),
        metavar="1,2,3,4",
        help="Western Electric rules to flag (default: 1)",
    )
    spc.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def rule_list(text: str) -> tuple[int, ...]:
    from analytics.spc import RULE_NAMES

    try:
        rules = tuple(int(part) for part in text.split(","))
    except ValueError:
        rules = ()
    if not rules or not set(rules) <= set(RULE_NAMES):
        raise argparse.ArgumentTypeError(f"rules are numbers 1 to 4 joined by commas, not {text!r}")
    return rules


def add_scope_arguments(parser, filters: bool = True) -> None:
    parser.add_argument("--start", type=iso_date, metavar="DATE", help="first day of the period")
    parser.add_argument("--end", type=iso_date, metavar="DATE", help="last day of the period")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="judge as of this date (default: the latest date in the data)",
    )
    if not filters:
        return
    parser.add_argument("--supplier", metavar="S", help="only this supplier")
    parser.add_argument("--sku", metavar="S", help="only this sku")
    parser.add_argument("--category", metavar="C", help="only skus of this category")


def iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from exc


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = {
        "load": cmd_load,
        "imports": cmd_imports,
        "undo": cmd_undo,
        "demo": cmd_demo,
        "kpis": cmd_kpis,
        "suppliers": cmd_table,
        "skus": cmd_table,
        "waste": cmd_table,
        "actions": cmd_actions,
        "spc": cmd_spc,
        "export": cmd_export,
        "rollup": cmd_rollup,
    }[args.command]
    try:
        return handler(args, parser)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def parse_mapping(pairs: list[str], parser) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, column = pair.partition("=")
        if not sep or not header.strip():
            parser.error(f"--map expects HEADER=COLUMN, got {pair!r}")
        mapping[header.strip()] = column.strip()
    return mapping


def cmd_load(args, parser) -> int:
    from analytics.ingest import import_file
    from analytics.ingest.reader import MAX_LOAD_BYTES
    from analytics.marts import refresh_store

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
    for file in files:
        report = import_file(
            store,
            file.resolve(),
            display_name=str(file),
            kind=args.kind,
            mapping=mapping or None,
            date_order=date_order,
            refresh_marts=False,
        )
        reports.append(report)
        if not args.json:
            print_report(report)
    if any(r.status == "imported" for r in reports):
        refresh_store(store)
    if args.json:
        print(json.dumps([r.to_json() for r in reports], indent=2, default=str))
    return 1 if any(r.status == "refused" for r in reports) else 0


def print_report(report) -> None:
    if report.status != "imported":
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
    print(f"{report.file} -> {report.kind} ({details}): import #{report.import_id}")
    print(
        f"  read {report.rows_read}, inserted {report.inserted}, updated {report.updated} "
        f"({report.unchanged} unchanged), rejected {report.rejected}"
    )
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
    from analytics.ingest import list_imports

    rows = list_imports(Store(args.db))
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
    from analytics.ingest import UndoRefused, undo_import

    try:
        print(undo_import(Store(args.db), args.import_id))
    except UndoRefused as exc:
        print(f"undo refused: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_demo(args, parser) -> int:
    from analytics.sample import load_demo

    reports = load_demo(Store(args.db), replace=True)
    for report in reports:
        print_report(report)
    return 1 if any(r.status == "refused" for r in reports) else 0


def scope_of(args):
    from analytics.kpis import Scope

    return Scope(args.start, args.end, args.as_of, args.supplier, args.sku, args.category)


def cmd_kpis(args, parser) -> int:
    from analytics.kpis import compute_kpis
    from analytics.metrics import KPIS

    scope = scope_of(args)
    try:
        values = compute_kpis(Store(args.db), **vars(scope))
    except ValueError as exc:
        parser.error(str(exc))
    if args.json:
        print(json.dumps(values, indent=2))
        return 0
    for key, value in values.items():
        kpi = KPIS[key]
        print(f"{kpi.label:<32} {format_value(value, kpi.unit)}")
    return 0


def format_value(value, unit: str) -> str:
    if value is None:
        return "no data"
    return {
        "rate": f"{value:.1%}",
        "days": f"{value:,.1f} days",
        "ppm": f"{value:,.0f} ppm",
        "money": f"{value:,.2f}",
        "ratio": f"{value:,.2f}",
        "index": f"{value:.3f}",
    }[unit]


def cmd_table(args, parser) -> int:
    from analytics import kpis

    fetch = {"suppliers": kpis.scorecard, "skus": kpis.sku_sizing, "waste": kpis.waste}
    try:
        rows = fetch[args.command](Store(args.db), scope_of(args))
    except ValueError as exc:
        parser.error(str(exc))
    if args.format == "json":
        print(json.dumps(rows, indent=2, default=str))
    else:
        write_csv(rows, sys.stdout)
    return 0


def write_csv(rows: list[dict], stream) -> None:
    """CSV for spreadsheets: text cells that a spreadsheet would run as formulas are defused."""
    import csv

    from analytics.export import neutralise

    if not rows:
        return
    writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})


ACTION_KEYS = ("before", "after", "change", "p_value", "verdict")


def cmd_actions(args, parser) -> int:
    from analytics.actions import action_effects, scope_label
    from analytics.metrics import KPIS

    rows = [
        {
            "title": a["title"],
            "kpi": a["kpi"],
            "scope": scope_label(a),
            "start_date": a["start_date"].isoformat(),
            "status": a["status"],
            **{key: a[key] for key in ACTION_KEYS},
        }
        for a in action_effects(Store(args.db))
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no actions yet")
    for r in rows:
        unit = KPIS[r["kpi"]].unit
        p_value = "" if r["p_value"] is None else f", p = {r['p_value']:.3g}"
        print(f"{r['start_date']}  [{r['status']}] {r['title']}  ({r['kpi']}, {r['scope']})")
        print(
            f"  before {format_value(r['before'], unit)} -> after "
            f"{format_value(r['after'], unit)}: {r['verdict']}{p_value}"
        )
    return 0


class SeriesError(ValueError):
    """A problem in the user's series file, naming the line and column."""


def cmd_spc(args, parser) -> int:
    from analytics.spc import RULE_NAMES, flag_rules, p_chart, xmr

    path = Path(args.file)
    if not path.is_file():
        parser.error(f"no such file: {path}")
    try:
        if args.chart == "p":
            events, sizes = read_series(path, ("defectives", "size"))
            points = p_chart(events, sizes)
        else:
            (values,) = read_series(path, ("value",))
            if len(values) < 2:
                raise SeriesError(f"{path}: an XmR chart needs at least 2 values")
            points = xmr(values)
    except SeriesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    flag_rules(points, args.rules)
    center = points[0].center
    if args.json:
        keys = ("index", "value", "ucl", "lcl", "rules")
        out = [{k: getattr(p, k) for k in keys} for p in points]
        print(json.dumps({"chart": args.chart, "center": center, "points": out}, indent=2))
        return 0
    print(f"{args.chart} chart, centre {center:.6g}, rules {', '.join(map(str, args.rules))}")
    print(f"{'#':>4} {'value':>12} {'lcl':>12} {'ucl':>12}  rules broken")
    for p in points:
        broken = "; ".join(f"{r}: {RULE_NAMES[r]}" for r in p.rules)
        print(f"{p.index:>4} {p.value:>12.6g} {p.lcl:>12.6g} {p.ucl:>12.6g}  {broken}")
    return 0


def read_series(path: Path, columns: tuple[str, ...]) -> tuple[list[float], ...]:
    """The named number columns of a CSV (headers matched ignoring case and spaces)."""
    import csv

    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in columns if c not in header]
        if missing:
            raise SeriesError(
                f"{path}: missing column {', '.join(map(repr, missing))} "
                f"(expected {','.join(columns)})"
            )
        found: list[list[float]] = [[] for _ in columns]
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            numbers = [series_number(path, reader.line_num, row, header, c) for c in columns]
            if columns == ("defectives", "size"):
                check_proportion(path, reader.line_num, *numbers)
            for values, number in zip(found, numbers, strict=True):
                values.append(number)
    if not found[0]:
        raise SeriesError(f"{path}: no data rows")
    return tuple(found)


def series_number(path: Path, line: int, row: list[str], header: list[str], column: str):
    import math

    i = header.index(column)
    cell = row[i].strip() if i < len(row) else ""
    try:
        number = float(cell)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise SeriesError(f"{path}: line {line}, column {column!r}: {cell!r} is not a number")
    return number


def check_proportion(path: Path, line: int, defectives: float, size: float) -> None:
    """A p-chart needs size > 0 and 0 <= defectives <= size on every line."""
    if size <= 0:
        raise SeriesError(f"{path}: line {line}, column 'size': {size:g} is not above 0")
    if not 0 <= defectives <= size:
        raise SeriesError(
            f"{path}: line {line}, column 'defectives': {defectives:g} is not between 0 and "
            f"the size {size:g}"
        )


def cmd_export(args, parser) -> int:
    from analytics.lake import export_parquet

    counts = export_parquet(args.db or default_db_path(), args.out_dir)
    for name, rows in counts.items():
        print(f"{name:<11} {rows:>12,} rows  {Path(args.out_dir) / name}")
    return 0


def cmd_rollup(args, parser) -> int:
    from analytics.kpis import Scope
    from analytics.rollup import RollupError, run

    def progress(text: str) -> None:
        if not args.json:
            print(f"  {text}", file=sys.stderr, flush=True)

    scope = Scope(args.start, args.end, args.as_of)
    conf = {}
    for pair in args.conf:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            parser.error(f"--conf expects KEY=VALUE, got {pair!r}")
        conf[key.strip()] = value.strip()
    try:
        manifest = run(
            args.engine,
            args.input,
            args.output,
            master=args.master,
            conf=conf,
            scope=scope,
            progress=progress,
        )
    except (RollupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(manifest, indent=2, sort_keys=True))
        return 0
    params = manifest["params"]
    print(
        f"{len(manifest['tables'])} tables in {args.output} ({manifest['engine']}, "
        f"{manifest['seconds']:.1f} s), as of {params['as_of']}, "
        f"period {params['start']} to {params['end']}"
    )
    for name, info in manifest["tables"].items():
        print(f"  {name:<24} {info['rows']:>12,} rows  {info['kind']}")
    output = str(args.output)
    if output.startswith("file://"):
        output = output.removeprefix("file://")
    elif "://" in output:
        print(f"Copy {output} to the dashboard's machine (docs/scale.md), then browse it:")
        output = "LOCAL_COPY"
    print(f"Browse them: TAKT_ROLLUPS={output} streamlit run app.py")
    return 0
