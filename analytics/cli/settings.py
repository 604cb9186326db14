"""`currency`: the money unit every figure is converted into and shown in."""

from __future__ import annotations

from analytics.metrics.figures import currency
from analytics.metrics.planning import save_currency
from analytics.store.connection import Store


def cmd_currency(args, parser) -> int:
    """Print the currency setting, or set it (an ISO 4217 code) and rebuild the stored facts."""
    store = Store(args.db)
    if args.code is None:
        print(currency(store))
        return 0
    try:
        changed = save_currency(store, args.code)
    except ValueError as exc:
        parser.error(str(exc))
    code = currency(store)
    print(f"currency set to {code}" if changed else f"currency is already {code}")
    return 0
