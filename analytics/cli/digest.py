"""`digest`: the signals new since a moment, for cron and chat; sent once, exit 1 if any.

Notifications go through apprise (mail, Teams, Slack, webhooks: one URL each). The URLs
come from `--notify` or the TAKT_NOTIFY environment variable (space- or comma-separated),
never from the database, so a shared store cannot redirect alerts. A run stores the keys it
reported; a notification that fails stores nothing, so the next run sends it again.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import timedelta

import apprise

from analytics.charts.digest import digest_html, digest_text, heading
from analytics.review.signals import (
    as_of_date,
    last_run_as_of,
    record_run,
    signals,
    unreported,
)
from analytics.store.connection import Store

DEFAULT_DAYS = 7  # without --since: the week ending at the as-of date


def cmd_digest(args, parser) -> int:
    store = Store(args.db)
    try:
        return digest(store, args)
    finally:
        store.close()


def digest(store: Store, args) -> int:
    as_of = as_of_date(store)
    if as_of is None:
        print("no data yet: nothing to digest", file=sys.stderr)
        return 0
    since = args.since or (args.since_last and last_run_as_of(store))
    since = since or as_of - timedelta(days=DEFAULT_DAYS)
    new = unreported(store, signals(store, since, rules=args.rules))
    print(render(args.format, new, since, as_of), end="")
    urls = notify_urls(args.notify)
    if new and urls and not send(urls, new, since, as_of):
        print(
            "error: a notification could not be sent; nothing was marked as sent", file=sys.stderr
        )
        return 3
    record_run(store, since, as_of, new)
    return 1 if new else 0


def render(fmt: str, new: list[dict], since, as_of) -> str:
    if fmt == "json":
        body = {"since": since.isoformat(), "as_of": as_of.isoformat(), "signals": new}
        return json.dumps(body, indent=2) + "\n"
    if fmt == "html":
        return digest_html(new, since, as_of)
    return digest_text(new, since, as_of)


def notify_urls(given: list[str]) -> list[str]:
    """--notify URLs, else those of TAKT_NOTIFY."""
    if given:
        return given
    return [u for u in re.split(r"[\s,]+", os.environ.get("TAKT_NOTIFY", "")) if u]


def send(urls: list[str], new: list[dict], since, as_of) -> bool:
    """One notification with the text digest to every URL; True when all were sent."""
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            print(f"error: not a notification URL apprise knows: {url}", file=sys.stderr)
            return False
    body = digest_text(new, since, as_of)
    return bool(sender.notify(title=heading(len(new), since, as_of), body=body))
