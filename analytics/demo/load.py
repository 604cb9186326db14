"""Loading the demo into a store: the sample files through the importer, then the
demo's improvement action to verify.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from analytics.demo.files import SAMPLE_FILES
from analytics.demo.generate import (
    END,
    QUALITY_CAUSE,
    QUALITY_FIX_DATE,
    QUALITY_SUPPLIER,
    SAMPLE_DIR,
)
from analytics.forecast.batch import refresh as refresh_forecasts
from analytics.ingest import import_file
from analytics.models.materialize import refresh_store
from analytics.review.actions import create_action, list_actions
from analytics.store.schema import TABLES
from analytics.store.version import bump_keeping_facts, bump_version


def load_demo(store, replace: bool = False) -> list:
    """Import the sample files; with replace, empty the tables and the history first.

    DuckDB may read only inside the store's upload folder, so each file is copied there,
    imported under its own name, and the copy removed."""
    if replace:
        _empty(store)
    # The importer refuses events after "today"; the demo is complete as of END on any clock.
    today, reports = max(date.today(), END), []
    for name, table in SAMPLE_FILES.items():
        copy = Path(store.spool_dir) / f"demo-{name}"
        shutil.copyfile(SAMPLE_DIR / name, copy)
        try:
            report = import_file(
                store, copy, display_name=name, kind=table, today=today, refresh_marts=False
            )
            reports.append(report)
        finally:
            copy.unlink(missing_ok=True)
    refresh_store(store)
    refresh_forecasts(store)  # every demo sku gets its forecast (METRICS.md 14)
    seed_demo(store, replace=replace)  # the demo's action: the quality fix, to verify
    return reports


def _empty(store) -> None:
    """Forget all data and its history; a write like any other, so the data version moves."""
    with store.writer() as cur:
        for name in TABLES:  # fixed names from the schema, never user input
            cur.execute(f"DELETE FROM {name}")
            cur.execute(f"DELETE FROM {name}__prior")
        cur.execute("DELETE FROM imports")
        bump_version(cur)


def ensure_demo(store) -> bool:
    """Load the demo into a store that has never imported anything; True when it did.

    A read-only store (precomputed rollups) is never given the demo."""
    if store.read_only:
        return False
    with store.connect() as cur:
        if cur.execute("select count(*) from imports").fetchone()[0]:
            return False
    load_demo(store)
    return True


def seed_demo(store, replace: bool = False) -> None:
    """The demo's known story: the porosity fix at the quality supplier, as an action.

    With replace the demo's actions and notes go first (they belong to the demo data);
    otherwise the action is added only when no action has its title yet.
    """
    title = f"{QUALITY_CAUSE} countermeasure at {QUALITY_SUPPLIER}"
    if replace:
        with store.writer() as cur:
            cur.execute("delete from actions")
            cur.execute("delete from notes")
            bump_keeping_facts(cur)
    if any(a["title"] == title for a in list_actions(store)):
        return
    create_action(
        store,
        title=title,
        kpi="defect_ppm",
        scope_kind="supplier",
        scope_value=QUALITY_SUPPLIER,
        start_date=QUALITY_FIX_DATE,
        owner="Quality",
        status="done",
        notes="Degassing and a new gating design; X-ray sampling of every casting lot.",
    )
