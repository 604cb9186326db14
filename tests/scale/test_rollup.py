"""The Parquet export, the rollup job on DuckDB, and the dashboard serving its output read-only.

The demo is exported as a lake, the job runs over it, and every table it writes is compared
with what the app computes from the embedded database for the same parameters.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from analytics.metrics import figures
from analytics.models.materialize import usable
from analytics.models.params import Scope, resolve
from analytics.scale import rollup
from analytics.scale.rollup import MANIFEST, RollupError
from analytics.scale.serving import ReadOnlyStore, RollupStore
from analytics.store.connection import Store
from analytics.store.schema import TABLES
from tests.conftest import APP
from tests.rollup_helpers import read_table

DEMO_ROWS = {"deliveries": 6803, "orders": 11316, "defects": 930, "inventory": 30654, "items": 285}


def close_enough(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def test_export_writes_one_folder_per_table_with_the_canonical_columns(lake):
    assert sorted(p.name for p in lake.iterdir()) == sorted([*TABLES, "settings"])
    for name, table in TABLES.items():
        columns, rows = read_table(lake / name)
        assert columns == [c.name for c in table.columns]
        assert len(rows) == DEMO_ROWS[name]
    _, settings = read_table(lake / "settings")
    assert dict(settings)["late_tolerance_days"] == 0.0
    assert len(settings) == 17


def test_export_from_the_command_line(demo, tmp_path, capsys):
    demo.close()
    assert main(["export", "--format", "parquet", "--db", demo.path, str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "deliveries         6,803 rows" in out
    assert (tmp_path / "orders" / "part-0.parquet").is_file()
    assert not list(tmp_path.rglob("*.tmp"))


def test_duckdb_job_gives_the_apps_kpis(demo, rollups):
    manifest = json.loads((rollups / MANIFEST).read_text())
    assert manifest["params"]["as_of"] == "2026-10-31"
    assert manifest["params"]["start"] == "2025-11-01"
    columns, rows = read_table(rollups / "kpis")
    (row,) = rows
    got = dict(zip(columns, row, strict=True))
    expected = figures.overview(demo)
    for key in figures.KPI_KEYS:
        assert close_enough(got[key], expected[key]), key
    assert round(got["otif_rate"], 4) == 0.9117  # the demo's headline figure


def test_duckdb_job_gives_the_apps_trends_and_scorecards(demo, rollups):
    for model, table, sort_key in (
        ("series_delivery", "delivery_weekly", "bucket"),
        ("series_quality", "quality_monthly", "bucket"),
    ):
        grain = "week" if table.endswith("weekly") else "month"
        expected = figures.series(demo, model, grain)
        columns, rows = read_table(rollups / table)
        got = sorted((dict(zip(columns, r, strict=True)) for r in rows), key=lambda r: r[sort_key])
        assert len(got) == len(expected) == (53 if grain == "week" else 12)
        for g, e in zip(got, expected, strict=True):
            assert all(close_enough(g[k], e[k]) for k in e), (table, g["bucket"])
    expected = {r["supplier"]: r for r in figures.scorecard(demo)}
    columns, rows = read_table(rollups / "supplier_scorecard")
    assert len(rows) == len(expected) == 40
    for r in rows:
        got = dict(zip(columns, r, strict=True))
        assert all(close_enough(got[k], expected[got["supplier"]][k]) for k in got)


def test_job_with_an_earlier_as_of_does_not_use_outcomes_judged_later(demo, lake, tmp_path):
    """Per-line outcomes are stored as of the end of the data; an earlier as-of must not
    read them (a receipt after the as-of has not happened yet)."""
    as_of = date(2026, 6, 30)
    manifest = rollup.run("duckdb", lake, tmp_path, scope=Scope(as_of=as_of))
    assert manifest["params"]["as_of"] == "2026-06-30"
    columns, rows = read_table(tmp_path / "kpis")
    got = dict(zip(columns, rows[0], strict=True))
    expected = figures.overview(demo, Scope(as_of=as_of))
    assert got["due_lines"] == expected["due_lines"]
    for key in figures.KPI_KEYS:
        assert close_enough(got[key], expected[key]), key
    assert got["otif_rate"] != pytest.approx(0.9117, abs=1e-4)


def test_a_missing_table_folder_is_an_empty_table(lake, tmp_path):
    partial = tmp_path / "lake"
    shutil.copytree(lake, partial, ignore=shutil.ignore_patterns("defects"))
    manifest = rollup.run("duckdb", partial, tmp_path / "out")
    columns, rows = read_table(tmp_path / "out" / "kpis")
    got = dict(zip(columns, rows[0], strict=True))
    assert got["defect_ppm"] == 0
    assert manifest["tables"]["po_line_facts"]["rows"] == 6121


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp, lake: (tmp / "nowhere", tmp / "out"), "does not exist"),
        (lambda tmp, lake: (tmp, tmp.with_name(tmp.name + "-out")), "holds none of the table"),
        (lambda tmp, lake: (lake, lake / "rollups"), "must not be the input folder"),
        (lambda tmp, lake: (f"file://{lake}", tmp), "need --engine spark"),
    ],
)
def test_bad_job_arguments_get_a_clear_error(lake, tmp_path, make, message):
    source, target = make(tmp_path, lake)
    with pytest.raises(RollupError, match=message):
        rollup.run("duckdb", source, target)


def test_rollup_from_the_command_line(lake, tmp_path, capsys):
    code = main(["rollup", "--input", str(lake), "--output", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "26 tables in" in out and "as of 2026-10-31" in out
    assert re.search(r"po_line_facts +6,121 rows  line outcomes", out)
    assert f"TAKT_ROLLUPS={tmp_path}" in out
    assert main(["rollup", "--input", str(tmp_path / "x"), "--output", str(tmp_path)]) == 1
    assert "error: input folder" in capsys.readouterr().err


# -- serving ------------------------------------------------------------------------------
@pytest.fixture
def served(rollups, monkeypatch):
    monkeypatch.setenv("TAKT_ROLLUPS", str(rollups))
    store = Store.shared()
    yield store
    store.close()
    Store._registry.pop(store.path, None)


def test_served_rollups_answer_every_figure_from_the_stored_outcomes(demo, served):
    assert isinstance(served, RollupStore)
    with served.connect() as cur:
        assert usable(cur, resolve(cur)) == {
            "dim_sku",
            "receipt_facts",
            "snapshot_facts",
            "po_line_facts",
            "order_line_facts",
            "sku_stock",
        }
    expected = figures.overview(demo)
    got = figures.overview(served)
    assert all(close_enough(got[k], expected[k]) for k in expected)
    supplier = figures.scorecard(demo)[0]["supplier"]
    scope = Scope(supplier=supplier)
    assert figures.compute_kpis(served, supplier=supplier) == pytest.approx(
        figures.compute_kpis(demo, supplier=supplier), rel=1e-9, nan_ok=True
    )
    assert figures.series(served, "series_delivery", "week", scope) == figures.series(
        demo, "series_delivery", "week", scope
    )
    assert figures.choices(served) == figures.choices(demo)
    assert figures.waste(served) == figures.waste(demo)


def test_served_rollups_refuse_every_write(served):
    from analytics.demo.load import ensure_demo
    from analytics.metrics.targets import get_targets

    with pytest.raises(ReadOnlyStore, match="read-only"), served.writer():
        pass
    assert ensure_demo(served) is False
    assert get_targets(served) is not None  # reading still works


def test_serving_needs_a_finished_job_and_a_readable_lake(rollups, lake, tmp_path):
    with pytest.raises(RollupError, match="no finished rollups"):
        RollupStore(tmp_path)
    moved = tmp_path / "moved"
    shutil.copytree(rollups, moved / "rollups")
    manifest = json.loads((moved / "rollups" / MANIFEST).read_text())
    manifest["input"] = str(tmp_path / "gone")
    (moved / "rollups" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(RollupError, match="set TAKT_LAKE"):
        RollupStore(moved / "rollups")
    store = RollupStore(moved / "rollups", lake_dir=lake)
    assert round(figures.overview(store)["otif_rate"], 4) == 0.9117
    store.close()


def test_the_app_opens_on_served_rollups(rollups, demo, monkeypatch):
    monkeypatch.setenv("TAKT_ROLLUPS", str(rollups))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    otif = next(m for m in at.metric if m.label == "Supplier OTIF")
    assert otif.value == "91.2%"
    for page in ("pages/suppliers.py", "pages/waste.py", "pages/data.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    # the Data page: which job made the figures, no uploader, no undo, no demo reload
    assert [h.value for h in at.header] == ["Served rollups"]
    assert not at.get("file_uploader") and not at.button
    tables = at.dataframe[0].value
    assert len(tables) == 26
    assert tables.set_index("Table").loc["po_line_facts", "Rows"] == 6121
    facts = at.table[0].value
    assert facts.loc["Computed by", "Value"] == "duckdb"
    assert facts.loc["As of", "Value"] == "2026-10-31"
    Store._registry.pop(str(rollups), None)


def test_the_sidebar_says_where_served_figures_come_from(served):
    from analytics.store.freshness import freshness, freshness_lines

    lines = freshness_lines(freshness(served))
    assert lines[0].startswith("Rollups by duckdb, ") and lines[0].endswith(" UTC (read-only)")
    assert lines[1] == "Deliveries 6,803 · to 2026-10-31"
