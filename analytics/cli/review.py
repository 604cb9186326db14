"""`actions` and `spc`: verified improvement actions and control limits of a series."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

from analytics.cli.figures import format_value
from analytics.cli.stores import open_store
from analytics.metrics import figures
from analytics.metrics.registry import KPIS
from analytics.review.actions import action_effects, scope_label
from analytics.review.spc import RULE_NAMES, flag_rules, laney_p, p_chart, u_chart, xmr

ACTION_KEYS = ("before", "after", "change", "p_value", "verdict")


def cmd_actions(args, parser) -> int:
    store = open_store(args)
    rows = [
        {
            "title": a["title"],
            "kpi": a["kpi"],
            "scope": scope_label(a),
            "start_date": a["start_date"].isoformat(),
            "status": a["status"],
            **{key: a[key] for key in ACTION_KEYS},
        }
        for a in action_effects(store)
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no actions yet")
    money = figures.currency(store)
    for r in rows:
        unit = KPIS[r["kpi"]].unit
        p_value = "" if r["p_value"] is None else f", p = {r['p_value']:.3g}"
        print(f"{r['start_date']}  [{r['status']}] {r['title']}  ({r['kpi']}, {r['scope']})")
        print(
            f"  before {format_value(r['before'], unit, money)} -> after "
            f"{format_value(r['after'], unit, money)}: {r['verdict']}{p_value}"
        )
    return 0


class SeriesError(ValueError):
    """A problem in the user's series file, naming the line and column."""


def cmd_spc(args, parser) -> int:
    path = Path(args.file)
    if not path.is_file():
        parser.error(f"no such file: {path}")
    try:
        if args.chart in ("p", "laney"):
            events, sizes = read_series(path, ("defectives", "size"))
            points = (p_chart if args.chart == "p" else laney_p)(events, sizes)
        elif args.chart == "u":
            events, sizes = read_series(path, ("events", "size"))
            points = u_chart(events, sizes)
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
    extra = {"sigma_z": points[0].sigma_z or 1.0} if args.chart == "laney" else {}
    if args.json:
        keys = ("index", "value", "ucl", "lcl", "rules")
        out = [{k: getattr(p, k) for k in keys} for p in points]
        body = {"chart": args.chart, "center": center, **extra, "points": out}
        print(json.dumps(body, indent=2))
        return 0
    sigma_z = f", sigma_z {extra['sigma_z']:.4g}" if extra else ""
    print(
        f"{args.chart} chart, centre {center:.6g}{sigma_z}, rules {', '.join(map(str, args.rules))}"
    )
    print(f"{'#':>4} {'value':>12} {'lcl':>12} {'ucl':>12}  rules broken")
    for p in points:
        broken = "; ".join(f"{r}: {RULE_NAMES[r]}" for r in p.rules)
        print(f"{p.index:>4} {p.value:>12.6g} {p.lcl:>12.6g} {p.ucl:>12.6g}  {broken}")
    return 0


def read_series(path: Path, columns: tuple[str, ...]) -> tuple[list[float], ...]:
    """The named number columns of a CSV (headers matched ignoring case and spaces)."""
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
            if columns == ("events", "size"):
                check_rate(path, reader.line_num, *numbers)
            for values, number in zip(found, numbers, strict=True):
                values.append(number)
    if not found[0]:
        raise SeriesError(f"{path}: no data rows")
    return tuple(found)


def series_number(path: Path, line: int, row: list[str], header: list[str], column: str):
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


def check_rate(path: Path, line: int, events: float, size: float) -> None:
    """A u chart needs size > 0 and events >= 0 on every line."""
    if size <= 0:
        raise SeriesError(f"{path}: line {line}, column 'size': {size:g} is not above 0")
    if events < 0:
        raise SeriesError(f"{path}: line {line}, column 'events': {events:g} is below 0")
