"""`export` and `rollup`: the canonical tables, and the per-line facts, rollups and
scorecards computed from them, as Parquet for a data lake."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analytics.models.params import Scope
from analytics.scale.lake import export_parquet
from analytics.scale.rollup import RollupError, run
from analytics.store.connection import default_db_path


def cmd_rollup(args, parser) -> int:
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


def cmd_export(args, parser) -> int:
    counts = export_parquet(args.db or default_db_path(), args.out_dir)
    for name, rows in counts.items():
        print(f"{name:<11} {rows:>12,} rows  {Path(args.out_dir) / name}")
    return 0
