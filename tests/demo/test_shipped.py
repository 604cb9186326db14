"""The demo plant's own store: built once beside the user's store from the shipped tables,
read-only, rebuilt only when what it is built from changes; the user's store is never
touched; the build loads neither pandas nor pyarrow nor the importer."""

from __future__ import annotations

import math
import os

import duckdb
import pytest

from analytics.demo.samples import SAMPLE_FILES
from analytics.demo.shipped import (
    BASE_TABLES,
    MemoryDemoStore,
    build_demo_file,
    copy_shipped,
    demo_fingerprint,
    ensure_demo_store,
    serve_demo,
    shipped_fingerprint,
)
from analytics.metrics.figures import choices, overview
from analytics.models.params import Scope, period_of, previous_scope, resolve
from analytics.models.stored_figures import lookup
from analytics.scale.serving import ReadOnlyStore
from analytics.store.connection import Store
from analytics.store.freshness import table_counts
from tests.conftest import heavy_modules_after, rows

COLUMNS = (
    "select column_name, data_type from information_schema.columns "
    "where table_name = ? order by ordinal_position"
)


def same(got: list[tuple], expected: list[tuple]) -> bool:
    """Equal rows, floats to 1e-12 of each other: a stored figure's sums of doubles are
    added in whatever order DuckDB's threads meet them, so two builds differ in the last
    bits (22145750.054820985 once, ...0984 the next)."""
    return len(got) == len(expected) and all(
        len(a) == len(b)
        and all(
            math.isclose(x, y, rel_tol=1e-12)
            if isinstance(x, float) and isinstance(y, float)
            else x == y
            for x, y in zip(a, b, strict=True)
        )
        for a, b in zip(got, expected, strict=True)
    )


@pytest.fixture
def demo_file(tmp_path):
    path = tmp_path / "demo.duckdb"
    yield path
    store = Store._registry.pop(str(path), None)
    if store is not None:
        store.close()


def test_the_demo_store_is_built_once_and_read_only(demo_file, demo):
    store = ensure_demo_store(demo_file)
    assert store.built_as() == demo_fingerprint()
    # the same rows as the demo imported into a store of its own (the session fixture)
    assert table_counts(store) == table_counts(demo)
    names = rows(store, "select file_name from imports order by import_id")
    assert [n for (n,) in names] == list(SAMPLE_FILES)
    built = os.stat(demo_file).st_mtime_ns
    store.close()
    assert ensure_demo_store(demo_file) is store  # the shared one, not built again
    assert os.stat(demo_file).st_mtime_ns == built
    with pytest.raises(ReadOnlyStore, match="demo plant"), store.writer():
        pass
    assert sorted(p.name for p in demo_file.parent.iterdir() if "partial" in p.name) == []
    store.close()


def test_a_demo_store_built_from_other_files_is_built_again(demo_file):
    old = Store(demo_file)
    with old.writer() as cur:  # a store whose fingerprint is not today's (older sample files)
        cur.execute("insert into meta values ('demo_build', 1)")
    old.close()
    store = ensure_demo_store(demo_file)
    assert store.built_as() == demo_fingerprint() != 1
    assert table_counts(store)["deliveries"] > 0
    store.close()


def test_the_shipped_demo_tables_are_todays():
    # Written by `python -m analytics.demo.load store`; fails when the sample files or the
    # schema changed and they were not written again (the app would then build the demo).
    assert shipped_fingerprint() == demo_fingerprint()


def test_a_demo_store_from_the_shipped_tables_equals_one_built_from_the_files(tmp_path):
    path, from_files = tmp_path / "demo.duckdb", tmp_path / "from-files.duckdb"
    build_demo_file(path, demo_fingerprint())
    build_demo_file(from_files, demo_fingerprint(), shipped=False)  # not the session's demo,
    shipped = duckdb.connect(str(path), read_only=True)  # which other tests write to
    built = duckdb.connect(str(from_files), read_only=True)
    try:
        for (table,) in built.execute(BASE_TABLES).fetchall():
            columns = built.execute(COLUMNS, [table]).fetchall()
            assert shipped.execute(COLUMNS, [table]).fetchall() == columns, table
            # every row, but the moments of the build (imported_at, created_at, ...)
            kept = ", ".join(f'"{c}"' for c, kind in columns if not kind.startswith("TIMESTAMP"))
            mark = " where name <> 'demo_build'" if table == "meta" else ""  # below
            query = f"select {kept} from {table}{mark} order by all"
            assert same(shipped.execute(query).fetchall(), built.execute(query).fetchall()), table
        assert shipped.execute("select value from meta where name = 'demo_build'").fetchone() == (
            demo_fingerprint(),
        )
    finally:
        shipped.close()
        built.close()


def test_a_shipped_file_that_names_no_table_of_the_store_is_refused(tmp_path):
    folder = tmp_path / "shipped"
    folder.mkdir()
    duckdb.sql("copy (select 1 as x) to '" + str(folder / "x; drop table meta.parquet") + "'")
    store = Store(tmp_path / "demo.duckdb")
    with store.connect():
        pass
    store.close()
    with pytest.raises(ValueError, match="has no table 'x; drop table meta'"):
        copy_shipped(tmp_path / "demo.duckdb", folder)


def test_the_shipped_demo_store_answers_the_overviews_cards_from_stored_figures(demo_file):
    # What the Overview asks first (the last 12 months to the latest event, both periods,
    # the weekly trends) is a stored figure of the copied store: a lookup, no model run.
    store = ensure_demo_store(demo_file)
    latest = choices(store)["latest"]
    scope = Scope(*period_of("Last 12 months", latest))
    with store.connect() as cur:
        now = resolve(cur, scope)
        before = resolve(cur, previous_scope(scope, now["start"], now["end"]))
        assert lookup(cur, "kpi_overview", now) == "figure_kpi_overview"
        assert lookup(cur, "kpi_overview", before) == "figure_kpi_overview_previous"
        week = {**now, "grain": "week"}
        assert lookup(cur, "series_delivery", week) == "figure_series_delivery_week"
    store.close()


def test_the_build_from_the_shipped_tables_loads_no_pandas_pyarrow_or_importer(tmp_path):
    # The warm-up thread builds the demo store while the main thread imports the page:
    # pandas and pyarrow (0.4-1.2 s) or the importer there would hold the build back.
    code = (
        "from analytics.demo.shipped import ensure_demo_store\n"
        f"ensure_demo_store({str(tmp_path / 'demo.duckdb')!r}).close()\n"
    )
    assert heavy_modules_after(code) == []
    assert (tmp_path / "demo.duckdb").exists()


def test_the_app_serves_the_shipped_tables_from_memory_until_the_file_is_built(demo_file):
    # a fresh folder: no file is written for the first page; the tables are the file's
    served = serve_demo(demo_file)
    assert isinstance(served, MemoryDemoStore) and not demo_file.exists()
    assert serve_demo(demo_file) is served  # one per path and process
    assert served.built_as() == demo_fingerprint()
    with pytest.raises(ReadOnlyStore, match="demo plant"), served.writer():
        pass
    scope = Scope(*period_of("Last 12 months", choices(served)["latest"]))
    in_memory = (table_counts(served), overview(served, scope))
    Store._registry.pop(str(demo_file))
    built = ensure_demo_store(demo_file)  # what the command line builds
    assert not isinstance(built, MemoryDemoStore)
    assert in_memory == (table_counts(built), overview(built, scope))
    assert in_memory[0]["deliveries"] > 5000
    # once the file is today's, a new process opens it instead of copying again
    built.close()
    Store._registry.pop(str(demo_file))
    assert serve_demo(demo_file).__class__.__name__ == "DemoStore"


def test_a_stale_file_is_left_and_the_shipped_tables_served(demo_file):
    old = Store(demo_file)
    with old.writer() as cur:  # built by an older Takt from other sample files
        cur.execute("insert into meta values ('demo_build', 1)")
    old.close()
    served = serve_demo(demo_file)
    assert isinstance(served, MemoryDemoStore) and served.built_as() == demo_fingerprint()
    assert table_counts(served)["deliveries"] > 0
    served.close()
    left = Store(demo_file)
    assert rows(left, "select value from meta where name = 'demo_build'") == [(1,)]
    left.close()
