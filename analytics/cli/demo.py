"""`demo`: load the bundled demo plant again, replacing what the store holds."""

from __future__ import annotations

from analytics.cli.data import print_report
from analytics.demo.load import load_demo
from analytics.store.connection import Store


def cmd_demo(args, parser) -> int:
    reports = load_demo(Store(args.db), replace=True)
    for report in reports:
        print_report(report)
    return 1 if any(r.status == "refused" for r in reports) else 0
