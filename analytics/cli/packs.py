"""`suppliers`: the scorecard as CSV or JSON, or with `--pack DIR` one offline HTML page per
supplier (the Suppliers page's "Download pack"), to mail to each supplier."""

from __future__ import annotations

import sys
from pathlib import Path

from analytics.charts.pack import file_name, supplier_pack
from analytics.cli.figures import cmd_table, scope_of
from analytics.cli.stores import open_store
from analytics.review.pack import gather_packs


def cmd_suppliers(args, parser) -> int:
    if not args.pack:
        return cmd_table(args, parser)
    folder = Path(args.pack)
    if not folder.is_dir():
        parser.error(f"no such folder for --pack: {folder}")
    store = open_store(args)
    try:
        packs = gather_packs(store, scope_of(args))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for rank, pack in enumerate(packs, start=1):
        path = folder / file_name(rank, pack.supplier)
        path.write_text(supplier_pack(pack), encoding="utf-8")
        print(path)
    return 0
