"""The rollup job on DuckDB: every table it writes from the demo's Parquet lake is compared
with what the app computes from the embedded database for the same parameters.

The lake itself: tests/scale/test_lake.py; serving the job's output: test_serving.py; the
`rollup` and `export` commands: tests/cli/test_rollup.py.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import pytest

from analytics.metrics import figures
from analytics.models.params import Scope
from analytics.scale import rollup
from analytics.scale.lake import export_parquet
from analytics.scale.rollup import MANIFEST, RollupError
from analytics.scale.serving import RollupStore
from analytics.store.settings import set_currency
from tests.conftest import insert
from tests.demo_files import counted_po_lines, demo_otif
from tests.rollup_helpers import close_enough, read_table


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
    # the demo's headline figure, 89.2%, as pandas works it out from the sample files
    assert round(got["otif_rate"], 4) == round(demo_otif(), 4)


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
    assert got["otif_rate"] != pytest.approx(demo_otif(), abs=1e-4)


def test_the_job_judges_as_of_the_latest_event_not_a_promise(open_lines_ahead, tmp_path):
    """Open lines promised 03-20 and 04-30 and a customer line requested 05-15 do not move
    the job's as-of past the last receipt, 03-10 (tests/conftest.py): OTIF 1/2, and the
    stored outcomes hold no event after it, so the KPIs are read from them."""
    open_lines_ahead.close()  # the export opens the file itself
    export_parquet(open_lines_ahead.path, tmp_path / "lake")
    manifest = rollup.run("duckdb", tmp_path / "lake", tmp_path / "out")
    assert manifest["params"]["as_of"] == "2024-03-10"
    assert manifest["marts"]["po_line_facts"]["valid_from"] == "2024-03-10"
    columns, rows = read_table(tmp_path / "out" / "kpis")
    got = dict(zip(columns, rows[0], strict=True))
    assert (got["due_lines"], got["otif_rate"]) == (2, 0.5)


def test_the_job_converts_into_the_exported_currency_and_serving_keeps_it(store, tmp_path):
    """Base USD; a receipt of 10 at 2.00 EUR with EUR 1.10 (= 22.00 USD) and one of 10 at
    3.00 in the base (blank = USD): spend 52.00, as the app computes it."""
    receipt = {"supplier": "Acme", "sku": "S1", "order_date": date(2024, 3, 1)}
    receipt |= {"promised_date": date(2024, 3, 10), "ordered_qty": 10, "received_qty": 10}
    receipt |= {"received_date": date(2024, 3, 9)}
    insert(
        store,
        "deliveries",
        {**receipt, "po_number": "A", "unit_cost": 2.0, "currency": "EUR"},
        {**receipt, "po_number": "B", "unit_cost": 3.0},
    )
    insert(store, "rates", {"currency": "EUR", "valid_from": date(1900, 1, 1), "rate": 1.10})
    with store.connect() as cur:
        set_currency(cur, "USD")
    (acme,) = figures.scorecard(store)
    assert acme["spend"] == pytest.approx(52.0)
    store.close()
    export_parquet(store.path, tmp_path / "lake")
    manifest = rollup.run("duckdb", tmp_path / "lake", tmp_path / "out")
    assert manifest["params"]["currency"] == "USD"
    columns, rows = read_table(tmp_path / "out" / "supplier_scorecard")
    assert dict(zip(columns, rows[0], strict=True))["spend"] == pytest.approx(52.0)
    served = RollupStore(tmp_path / "out")
    assert figures.currency(served) == "USD"


def test_a_missing_table_folder_is_an_empty_table(lake, tmp_path):
    partial = tmp_path / "lake"
    shutil.copytree(lake, partial, ignore=shutil.ignore_patterns("defects"))
    manifest = rollup.run("duckdb", partial, tmp_path / "out")
    columns, rows = read_table(tmp_path / "out" / "kpis")
    got = dict(zip(columns, rows[0], strict=True))
    assert got["defect_ppm"] == 0
    assert manifest["tables"]["po_line_facts"]["rows"] == counted_po_lines()  # from the file


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


NEW_COLUMNS = {
    "deliveries": "site, status",
    "orders": "site, status",
    "defects": "site",
    "inventory": "site",
}


def test_a_lake_exported_before_sites_and_statuses_existed_still_rolls_up(
    demo, rollups, lake, tmp_path
):
    """A lake written by an older export has no `site` or `status` column: both read as
    missing (one site, nothing cancelled). Without the demo's cancelled lines (an older
    export had no way to say so), every figure of all sites is what the full lake gives."""
    old = tmp_path / "lake"
    shutil.copytree(lake, old)
    con = duckdb.connect()
    for table, new in NEW_COLUMNS.items():
        part = old / table / "part-0.parquet"
        kept = "coalesce(status, '') <> 'cancelled'" if "status" in new else "true"
        con.execute(
            f"copy (select * exclude ({new}) from read_parquet('{part}') where {kept}) "
            f"to '{part}.old' (format parquet)"
        )
        (old / table / "part-0.parquet.old").replace(part)
    assert "site" not in read_table(old / "inventory")[0]
    rollup.run("duckdb", old, tmp_path / "out")
    assert read_table(tmp_path / "out" / "kpis") == read_table(rollups / "kpis")
    served = RollupStore(tmp_path / "out")  # its canonical views read the old lake
    try:
        one_site = {**figures.choices(demo), "sites": figures.choices(served)["sites"]}
        assert figures.choices(served) == one_site and len(one_site["sites"]) < 2
        assert figures.overview(served, Scope(sku="SKU-10001")) == figures.overview(
            demo, Scope(sku="SKU-10001")
        )
    finally:
        served.close()
