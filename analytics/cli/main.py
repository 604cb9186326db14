"""The command line: `python -m analytics COMMAND`, for nightly imports and scripting.

Exit codes: 0 success (rejected rows are allowed and reported), 1 when a file was refused
whole or an undo was refused, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from datetime import date

from analytics.review.spc import RULE_NAMES
from analytics.store.connection import StoreBusy, default_db_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics", description="Takt: JIT inventory analytics."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="import CSV exports into the database")
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument(
        "--kind",
        choices=["deliveries", "orders", "defects", "inventory", "items", "rates"],
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
    load.add_argument(
        "--snapshot-date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date a stock export without dates was exported (SAP MB52, Odoo stock quants, "
        "Business Central item ledger entries); such a file is refused without it",
    )
    load.add_argument("--json", action="store_true", help="print a JSON report")
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="read, check and count everything, then write nothing (receipts attach only to "
        "PO lines already stored)",
    )
    imports = sub.add_parser("imports", help="list the import history")
    imports.add_argument("--json", action="store_true")
    undo = sub.add_parser("undo", help="undo one import")
    undo.add_argument("import_id", type=int, metavar="IMPORT_ID")
    demo = sub.add_parser(
        "demo", help="build the demo plant's own store again (beside the user's store)"
    )
    demo.add_argument(
        "--move-out",
        action="store_true",
        help="undo the demo's imports in the user's store (put there by an earlier Takt); "
        "the user's own imports stay",
    )
    money = sub.add_parser(
        "currency", help="print the money unit, or set it (an ISO 4217 code such as EUR or USD)"
    )
    money.add_argument("code", nargs="?", metavar="CODE", help="the new currency (default: print)")
    kpis = sub.add_parser("kpis", help="the headline KPIs of a period")
    kpis.add_argument("--json", action="store_true", help="print one JSON object")
    for name, helptext in (
        ("suppliers", "the supplier scorecard"),
        ("skus", "pull-system sizing per sku"),
        ("waste", "the seven-wastes ledger"),
    ):
        table = sub.add_parser(name, help=helptext)
        table.add_argument("--format", choices=["csv", "json"], default="csv")
    sub.choices["suppliers"].add_argument(
        "--pack",
        metavar="DIR",
        help="write one offline HTML pack per supplier into DIR instead of the table",
    )
    replenish = sub.add_parser("replenish", help="what to order now, per sku and site")
    replenish.add_argument("--format", choices=["csv", "json"], default="csv")
    replenish.add_argument(
        "--status",
        type=status_list,
        metavar="red,yellow",
        help="only these statuses (red, yellow, green, over, 'not enough data')",
    )
    for name in ("kpis", "suppliers", "skus", "waste", "replenish"):
        add_scope_arguments(sub.choices[name])
    forecast = sub.add_parser("forecast", help="demand forecast and its accuracy, per sku")
    forecast.add_argument("--format", choices=["csv", "json"], default="csv")
    forecast.add_argument(
        "--horizon", type=horizon_weeks, default=13, metavar="WEEKS", help="weeks ahead (1-13)"
    )
    forecast.add_argument("--sku", metavar="S", help="only this sku")
    forecast.add_argument("--category", metavar="C", help="only skus of this category")
    forecast.add_argument("--site", metavar="S", help="only this site (plant or warehouse)")
    forecast.add_argument(
        "--refresh",
        action="store_true",
        help="refit the skus whose orders changed and store the forecasts (the batch step)",
    )
    forecast.add_argument("--all", action="store_true", help="with --refresh: refit every sku")
    actions = sub.add_parser("actions", help="improvement actions and their verified effect")
    actions.add_argument("--json", action="store_true", help="print a JSON list")
    export = sub.add_parser("export", help="write the canonical tables for a data lake")
    export.add_argument("out_dir", metavar="OUT_DIR", help="one folder per table is written here")
    export.add_argument("--format", choices=["parquet"], default="parquet")
    add_digest_parser(sub)
    add_report_parser(sub)
    for command in sub.choices.values():
        command.add_argument(
            "--db",
            default=None,
            metavar="PATH",
            help=f"database file (default: $TAKT_DB or {default_db_path()})",
        )
    for name in ("imports", "kpis", "suppliers", "skus", "waste", "actions", "replenish", "report"):
        sub.choices[name].add_argument(
            "--demo",
            action="store_true",
            help="read the demo plant's own store (read-only) instead of the user's",
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
    spc.add_argument(
        "file",
        metavar="FILE",
        help="CSV with defectives,size (p, laney), events,size (u) or value (xmr)",
    )
    spc.add_argument(
        "--chart",
        choices=["p", "laney", "u", "xmr"],
        required=True,
        help="p-chart, Laney p' (p with limits widened by sigma_z), u chart or XmR",
    )
    spc.add_argument(
        "--rules",
        type=rule_list,
        default=(1,),
        metavar="1,2,...,8",
        help="rules to flag: 1-4 Western Electric, 5-8 Nelson's trend, alternation, "
        "hugging and mixture (default: 1)",
    )
    spc.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def add_report_parser(sub) -> None:
    report = sub.add_parser(
        "report", help="the Review page's meeting report as one offline HTML file"
    )
    report.add_argument("--kpi", required=True, metavar="K", help="the KPI under review")
    report.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    report.add_argument(
        "--by",
        choices=["supplier", "cause", "sku", "category", "site"],
        default="supplier",
        help="the drill-down's first grouping (default: supplier)",
    )
    report.add_argument("--node", metavar="NAME", help="drill into this group of --by")
    report.add_argument(
        "--rules", type=rule_list, default=(1,), metavar="1,2,...,8", help="control-chart rules"
    )
    add_scope_arguments(report)


def add_digest_parser(sub) -> None:
    digest = sub.add_parser(
        "digest",
        help="signals new since a moment (exit 1 when there are any); each is reported once",
    )
    since = digest.add_mutually_exclusive_group()
    since.add_argument("--since", type=iso_date, metavar="DATE", help="new since this day")
    since.add_argument(
        "--since-last",
        action="store_true",
        help="new since the as-of date of the last digest (default: the last 7 days)",
    )
    digest.add_argument("--format", choices=["text", "json", "html"], default="text")
    digest.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="URL",
        help="an apprise URL to send the digest to, e.g. mailtos://, slack://, json:// "
        "(repeatable; default: $TAKT_NOTIFY)",
    )
    digest.add_argument(
        "--rules",
        type=rule_list,
        default=(1,),
        metavar="1,2,...,8",
        help="control-chart rules that make a signal (default: 1)",
    )


def rule_list(text: str) -> tuple[int, ...]:
    try:
        rules = tuple(int(part) for part in text.split(","))
    except ValueError:
        rules = ()
    if not rules or not set(rules) <= set(RULE_NAMES):
        raise argparse.ArgumentTypeError(f"rules are numbers 1 to 8 joined by commas, not {text!r}")
    return rules


# analytics.metrics.replenish.STATUSES, copied: parsing must not load the metric models
STATUSES = ("red", "yellow", "green", "over", "not enough data")


def status_list(text: str) -> tuple[str, ...]:
    statuses = tuple(part.strip().lower() for part in text.split(","))
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown status {', '.join(unknown)!r}; choose from {', '.join(STATUSES)}"
        )
    return statuses


def add_scope_arguments(parser, filters: bool = True) -> None:
    parser.add_argument("--start", type=iso_date, metavar="DATE", help="first day of the period")
    parser.add_argument("--end", type=iso_date, metavar="DATE", help="last day of the period")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="judge as of this date (default: the latest event date in the data: "
        "received, shipped, order, defect or snapshot; never a promised date)",
    )
    if not filters:
        return
    parser.add_argument("--supplier", metavar="S", help="only this supplier")
    parser.add_argument("--sku", metavar="S", help="only this sku")
    parser.add_argument("--category", metavar="C", help="only skus of this category")
    parser.add_argument("--site", metavar="S", help="only this site (plant or warehouse)")


def horizon_weeks(text: str) -> int:
    try:
        weeks = int(text)
    except ValueError:
        weeks = 0
    if not 1 <= weeks <= 13:
        raise argparse.ArgumentTypeError(f"expected 1 to 13 weeks, got {text!r}")
    return weeks


def iso_date(text: str):
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from exc


# command -> (module of analytics.cli, function)
COMMANDS = {
    "load": ("data", "cmd_load"),
    "imports": ("data", "cmd_imports"),
    "undo": ("data", "cmd_undo"),
    "demo": ("demo", "cmd_demo"),
    "currency": ("settings", "cmd_currency"),
    "export": ("rollup", "cmd_export"),
    "kpis": ("figures", "cmd_kpis"),
    "suppliers": ("packs", "cmd_suppliers"),
    "skus": ("figures", "cmd_table"),
    "waste": ("figures", "cmd_table"),
    "replenish": ("pull", "cmd_replenish"),
    "forecast": ("forecast", "cmd_forecast"),
    "actions": ("review", "cmd_actions"),
    "spc": ("review", "cmd_spc"),
    "rollup": ("rollup", "cmd_rollup"),
    "digest": ("digest", "cmd_digest"),
    "report": ("report", "cmd_report"),
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    group, name = COMMANDS[args.command]
    # The command's group is imported only now: `spc` or `imports` need neither the
    # metric models (scipy) nor the rollup job (sqlglot), and start in a tenth of a second.
    handler = getattr(importlib.import_module(f"analytics.cli.{group}"), name)
    try:
        return handler(args, parser)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
