"""`replenish`: what to order now (METRICS.md section 11), as CSV or JSON for a buyer's script.

The rows and their order are the Pull page's; each carries section 11's names only, null
where there is not enough data.
"""

from __future__ import annotations

import json
import sys

from analytics.cli.figures import scope_of, write_csv
from analytics.cli.stores import open_store
from analytics.metrics.replenish import named, replenishment


def cmd_replenish(args, parser) -> int:
    try:
        rows = replenishment(open_store(args), scope_of(args), status=args.status)
    except ValueError as exc:
        parser.error(str(exc))
    plain = [named(r) for r in rows]
    if args.format == "json":
        print(json.dumps(plain, indent=2))
    else:
        write_csv(plain, sys.stdout)
    return 0
