"""`report`: the Review page's meeting report written to a file, without a browser.

The same `analytics.review.meeting.gather` and `analytics.charts.report.review_report` the
page's download button runs, on the view given by the options, so a scheduled job can put
the minutes' figures in the team's folder before the meeting.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from analytics.charts.report import review_report
from analytics.cli.stores import open_store
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope, resolve, scope_text
from analytics.review.meeting import gather
from analytics.review.view import ReviewView


def cmd_report(args, parser) -> int:
    if args.kpi not in KPIS:
        parser.error(f"unknown KPI {args.kpi!r}; the KPIs are {', '.join(KPIS)}")
    out = Path(args.out)
    if not out.parent.is_dir():
        parser.error(f"no such folder for --out: {out.parent}")
    scope = Scope(
        args.start, args.end, args.as_of, args.supplier, args.sku, args.category, args.site
    )
    view = ReviewView(kpi=args.kpi, scope=scope, by=args.by, node=args.node, rules=args.rules)
    store = open_store(args)
    try:
        html = report_html(store, view)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    out.write_text(html, encoding="utf-8")
    print(f"wrote {out} ({len(html.encode('utf-8')):,} bytes)")
    return 0


def report_html(store, view: ReviewView) -> str:
    """The meeting report as the Review page builds it, period dates filled in."""
    with store.connect() as cur:
        params = resolve(cur, view.scope)
    text = scope_text(replace(view.scope, start=params["start"], end=params["end"]))
    return review_report(gather(store, view), text)
