"""The demo data: deterministic, in real ERP shapes, with the stories the pages will tell.

Every check recomputes its figure from the generated frames with plain pandas, so a change
to the generator that breaks a story (the unreliable suppliers, the quality fix, dead stock)
fails here rather than on a screenshot.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest
from scipy.stats import mannwhitneyu

from analytics.demo.days import HISTORY_START
from analytics.demo.files import FILES, SAMPLE_FILES, write_sample
from analytics.demo.generate import (
    END,
    QUALITY_CAUSE,
    QUALITY_FIX_DATE,
    QUALITY_SUPPLIER,
    SAMPLE_DIR,
    START,
    SUPPLIERS,
    UNRELIABLE_SUPPLIERS,
    generate,
)
from analytics.demo.load import _empty, load_demo
from analytics.demo.plant import demo_columns
from analytics.ingest import data_version
from analytics.store.connection import Store
from analytics.store.schema import TABLES
from tests.pandas_reference import _kept_by_date

END_TS, FIX_TS = pd.Timestamp(END), pd.Timestamp(QUALITY_FIX_DATE)
DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def frames():
    return generate()


def po_lines(deliveries: pd.DataFrame) -> pd.DataFrame:
    """One row per PO line, METRICS section 3 with zero tolerances and as_of = END. Cancelled
    lines are left out; reversals and returns net per date, last in first out (section 1a,
    by the pandas reference's stack, not the SQL): `receipts` counts the dates that keep
    quantity, `first` and `last` are the first and last of them."""
    keys = ["po_number", "po_line"]
    d = deliveries[deliveries.status != "cancelled"]
    dated = d[d.received_date.notna()].groupby([*keys, "received_date"]).received_qty.sum()
    dated = dated.reset_index()
    kept = []
    for _key, g in dated.groupby(keys, sort=False):
        kept += _kept_by_date(list(g.received_date), list(g.received_qty))
    dated["kept"] = kept
    kept = dated[dated.kept > 0]
    promised = d.groupby(keys).promised_date.first()[pd.MultiIndex.from_frame(kept[keys])]
    kept = kept.assign(on_time=kept.kept.where(kept.received_date <= promised.to_numpy(), 0))
    per_line = kept.groupby(keys)
    lines = d.groupby(keys).agg(
        supplier=("supplier", "first"), sku=("sku", "first"), qty=("ordered_qty", "first"),
        promised=("promised_date", "first"), ordered=("order_date", "first"),
    )  # fmt: skip
    lines["delivered"] = per_line.kept.sum().reindex(lines.index, fill_value=0.0)
    lines["on_time_qty"] = per_line.on_time.sum().reindex(lines.index, fill_value=0.0)
    lines["first"] = per_line.received_date.min().reindex(lines.index)
    lines["last"] = per_line.received_date.max().reindex(lines.index)
    lines["receipts"] = per_line.size().reindex(lines.index, fill_value=0)
    complete = lines.delivered >= lines.qty
    lines["due"] = (lines.promised <= END_TS) & (complete | (lines.promised < END_TS))
    lines["otif"] = lines.on_time_qty >= lines.qty
    return lines


def test_generation_is_deterministic(frames):
    again = generate()
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, again[name])
    assert not generate(seed=8)["orders"].equals(frames["orders"])


def test_write_sample_reproduces_the_committed_files(tmp_path):
    sizes = write_sample(tmp_path)
    assert list(sizes) == list(SAMPLE_FILES)
    for name in SAMPLE_FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name
    # twice the customer lines since the Pull list's zones needed them (docs/metrics.md)
    assert sum(sizes.values()) < 7_500_000


def test_counts_and_date_span(frames):
    d, o, inv = frames["deliveries"], frames["orders"], frames["inventory"]
    assert d.supplier.nunique() == len(SUPPLIERS) == 40
    assert set(d.supplier) == {name for _category, name in SUPPLIERS}
    assert inv.sku.nunique() == 300 and set(o.sku) <= set(inv.sku) and set(d.sku) == set(inv.sku)
    assert len(frames["items"]) == 285  # 15 skus left out of the item master on purpose
    assert d.order_date.min() == pd.Timestamp(START)
    assert o.order_date.min() == pd.Timestamp(HISTORY_START)  # two years of weekly demand
    events = [d.received_date, o.shipped_date, frames["defects"].date, inv.date]
    assert max(s.max() for s in events) == END_TS
    # Mondays, and the export's own day (a Saturday), so on-hand is as of END
    days = inv.date.drop_duplicates()
    assert (days[days != END_TS].dt.day_of_week == 0).all() and len(days) == 78 + 1


DEMO_TABLES = [name for name in TABLES if name != "rates"]  # one currency: no rates file


@pytest.mark.parametrize("name", DEMO_TABLES)
def test_natural_keys_are_unique(frames, name):
    assert not frames[name].duplicated(list(TABLES[name].key)).any()
    assert list(frames[name].columns) == demo_columns(name)  # all but currency
    assert "currency" not in demo_columns(name)


@pytest.mark.parametrize("name", DEMO_TABLES)
def test_every_row_passes_the_column_rules(frames, name):
    frame = frames[name]
    for column in (c for c in TABLES[name].columns if c.name in demo_columns(name)):
        values = frame[column.name]
        if column.required:
            assert values.notna().all() and (values.astype(str) != "").all(), column.name
        if column.type == "number" and column.minimum is not None:
            present = values.dropna()
            assert (present > 0).all() if column.strict_minimum else (present >= 0).all()
        if column.type == "date":
            assert values.max() <= pd.Timestamp(2026, 12, 31), column.name


def test_dates_follow_each_other(frames):
    d, o = frames["deliveries"], frames["orders"]
    assert (d.received_date.dropna() >= d.order_date[d.received_date.notna()]).all()
    assert (o.shipped_date.dropna() >= o.order_date[o.shipped_date.notna()]).all()
    assert (d.promised_date >= d.order_date).all()
    assert (o.requested_date >= o.order_date).all()
    assert (d.received_date.isna() == d.received_qty.isna()).all()
    assert (o.shipped_date.isna() == o.shipped_qty.isna()).all()
    assert d.promised_date.max() <= pd.Timestamp(2026, 12, 15)
    for events in (d.received_date, o.shipped_date, frames["defects"].date):
        assert events.max() <= END_TS


def test_split_receipts_agree_and_open_lines_appear_once(frames):
    d = frames["deliveries"]
    per_line = d.groupby(["po_number", "po_line"])
    for column in ("ordered_qty", "promised_date", "supplier", "sku", "order_date"):
        assert (per_line[column].nunique() == 1).all(), column
    open_rows = d[d.receipt_id == ""]
    assert open_rows.received_date.isna().all() and open_rows.received_qty.isna().all()
    assert (per_line.size()[open_rows.set_index(["po_number", "po_line"]).index] == 1).all()
    assert d.receipt_id[d.receipt_id != ""].is_unique


def test_delivery_shapes(frames):
    lines = po_lines(frames["deliveries"])
    received = lines[lines.receipts > 0]
    assert 0.05 < (lines.receipts > 1).mean() < 0.11  # split receipts
    assert 0.02 < (received.delivered > received.qty).mean() < 0.045  # over-deliveries
    assert 0.03 < (received.delivered < received.qty).mean() < 0.07  # under-deliveries
    assert 0.07 < (received["first"] < received.promised - 2 * DAY).mean() < 0.14  # early
    still_open = lines[lines.receipts == 0]
    assert (still_open.promised < END_TS).sum() >= 10  # overdue
    assert (still_open.promised > END_TS).sum() >= 50  # the open order book
    assert (still_open.promised <= END_TS + 45 * DAY).all()
    last_year = frames["deliveries"][frames["deliveries"].received_date > END_TS - 365 * DAY]
    assert 0.3 < (last_year.groupby("sku").supplier.nunique() == 1).mean() < 0.55


def test_unreliable_suppliers_have_low_otif(frames):
    lines = po_lines(frames["deliveries"])
    otif = lines[lines.due].groupby("supplier").otif.mean()
    assert (otif[list(UNRELIABLE_SUPPLIERS)] < 0.7).all()
    assert otif.drop(list(UNRELIABLE_SUPPLIERS)).median() > 0.85
    assert otif.drop([*UNRELIABLE_SUPPLIERS, QUALITY_SUPPLIER]).min() > 0.8


def test_returned_castings_cost_the_quality_supplier_otif_until_the_fix(frames):
    """Porous castings sent back leave their lines short: the quality supplier's OTIF is low
    before the fix and back among the others' after it."""
    lines = po_lines(frames["deliveries"])
    mine = lines[lines.due & (lines.supplier == QUALITY_SUPPLIER)]
    before, after = mine[mine.promised < FIX_TS], mine[mine.promised >= FIX_TS]
    assert len(before) > 100 and len(after) > 100
    assert before.otif.mean() < 0.8 < after.otif.mean()


def quality_rates(frames, cause: str | None = None):
    """The quality supplier's weekly defect qty per delivered qty, by receipt week."""
    d, q = frames["deliveries"], frames["defects"]
    d = d[(d.supplier == QUALITY_SUPPLIER) & d.received_date.notna()]
    q = q[(q.supplier == QUALITY_SUPPLIER) & ((q.cause == cause) if cause else True)]
    week = lambda s: s.dt.to_period("W-SUN").dt.start_time  # noqa: E731
    delivered = d.groupby(week(d.received_date)).received_qty.sum()
    return q.groupby(week(q.date)).qty.sum().reindex(delivered.index, fill_value=0), delivered


def test_quality_cause_vanishes_after_the_fix(frames):
    defective, delivered = quality_rates(frames, QUALITY_CAUSE)
    before, after = delivered.index < FIX_TS, delivered.index >= FIX_TS
    rate_before = defective[before].sum() / delivered[before].sum()
    rate_after = defective[after].sum() / delivered[after].sum()
    assert rate_before > 0.03 and rate_after < 0.2 * rate_before
    defective, delivered = quality_rates(frames)
    weekly = defective / delivered
    assert before.sum() > 30 and after.sum() > 30
    assert mannwhitneyu(weekly[before], weekly[after], alternative="greater").pvalue < 0.001
    top = frames["defects"][frames["defects"].supplier == QUALITY_SUPPLIER].cause.mode()[0]
    assert top == QUALITY_CAUSE


def test_defect_shapes(frames):
    q = frames["defects"]
    assert set(q.stage) == {"receiving", "production", "customer"}
    assert q.cause.nunique() == 8
    assert (q.supplier[q.stage != "receiving"] == "").all()
    assert (q.po_number[q.stage == "receiving"] != "").all()
    assert set(q.po_number[q.po_number != ""]) <= set(frames["deliveries"].po_number)
    assert 0.4 < q.cost.isna().mean() < 0.6


def test_inventory_stories(frames):
    inv, o = frames["inventory"], frames["orders"]
    last = inv[inv.date == inv.date.max()].groupby("sku").on_hand_qty.sum()
    last_demand = o.groupby("sku").order_date.max().reindex(last.index)
    dead = (last > 0) & ~(last_demand > END_TS - 120 * DAY)
    assert 8 <= dead.sum() <= 18
    recent = set(o.sku[o.order_date > END_TS - 30 * DAY])
    stock_outs = last[(last == 0) & last.index.isin(recent)]
    assert 1 <= len(stock_outs) <= 30
    assert set(inv.location) == {"MAIN", "LINESIDE"}
    assert inv.unit_cost.isna().any()  # two skus have no cost but their receipts' prices


def test_item_master_is_imperfect(frames):
    items, lines = frames["items"], po_lines(frames["deliveries"])
    assert items.unit_cost.isna().sum() == 6
    assert set(items.container_qty) <= {5, 10, 20, 25, 50, 100, 200, 250, 500}
    lead = (lines["last"] - lines.ordered).dt.days.groupby(lines.sku).mean()
    plan = items.set_index("sku").planned_lead_time_days
    drift = (lead.reindex(plan.index) - plan).abs() > 0.4 * plan
    assert 0.08 < drift.mean() < 0.2


def test_orders_are_seasonal_and_imperfect(frames):
    o = frames["orders"]
    per_day = o.groupby("order_date").size()
    month = per_day.groupby(per_day.index.month).mean()
    assert month[11] > 1.15 * month[[6, 7, 8]].mean()
    shipped = o[o.shipped_date.notna()]
    assert 0.05 < (shipped.shipped_date > shipped.requested_date).mean() < 0.12
    assert 0.03 < (shipped.shipped_qty < shipped.ordered_qty).mean() < 0.07
    not_shipped = o[o.shipped_date.isna() & (o.status != "cancelled")]
    overdue = not_shipped[not_shipped.requested_date <= END_TS]
    assert 5 < len(overdue) < 80 and overdue.requested_date.min() > END_TS - 30 * DAY
    assert (not_shipped.requested_date > END_TS).sum() > 100  # the open order book


def read_rows(name: str) -> list[list[str]]:
    spec = FILES[name]
    text = (SAMPLE_DIR / name).read_bytes().decode(spec.encoding)  # strict
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=spec.delimiter))


@pytest.mark.parametrize("name", list(FILES))
def test_each_file_decodes_with_its_encoding_and_delimiter(frames, name):
    rows = read_rows(name)
    spec = FILES[name]
    assert rows[0] == spec.headers.split(spec.delimiter)
    assert len(rows) - 1 == len(frames[spec.table])
    assert {len(r) for r in rows} == {len(rows[0])}


def test_file_shapes_are_those_of_real_exports():
    raw = {name: (SAMPLE_DIR / name).read_bytes() for name in FILES}
    assert raw["quality_events.csv"].startswith(b"\xff\xfe")
    for name in ("item_master.csv", "quality_events.csv"):
        with pytest.raises(UnicodeDecodeError):
            raw[name].decode("utf-8")
    assert "Ø".encode("cp1252") in raw["item_master.csv"]
    assert "€".encode("cp1252") in raw["item_master.csv"]
    assert not raw["customer_orders.csv"].startswith(b"\xef\xbb\xbf")
    sap = read_rows("deliveries_sap.csv")[1:]
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+,\d{2}", r[10]) for r in sap)  # 1.234,56
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", r[7]) for r in sap)  # 1.200 pieces
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", r[5]) for r in sap)
    assert any(r[2] == "" and r[8] == "" and r[9] == "" for r in sap)  # open lines
    us_dates = [r[1].split("/") for r in read_rows("quality_events.csv")[1:]]
    assert all(int(m) <= 12 for m, _d, _y in us_dates)
    assert any(int(d) > 12 for _m, d, _y in us_dates)  # so month-first is decidable
    assert b'"Harper, Lowe & Sons Ltd"' in raw["customer_orders.csv"]  # quoted comma
    assert b'"Schlauch 1/2"" PVC, Rolle' in raw["item_master.csv"]  # quoted quote


def test_the_generator_does_not_load_streamlit():
    code = "import sys, analytics.demo.load; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=SAMPLE_DIR.parent.parent)


def test_the_span_is_eighteen_months_with_a_monday_fix():
    assert (START, END, (END - START).days + 1) == (date(2025, 5, 1), date(2026, 10, 31), 549)
    assert QUALITY_FIX_DATE.weekday() == 0 and START < QUALITY_FIX_DATE < END


def table_sums(store) -> dict[tuple[str, str], tuple[int, float]]:
    """Row count and the sum of every number column, per table, as stored."""
    out = {}
    with store.connect() as cur:
        for name, table in TABLES.items():
            for c in table.columns:
                if c.type == "number" and name in DEMO_TABLES:
                    sql = f"select count(*), coalesce(sum({c.name}), 0) from {name}"
                    out[name, c.name] = cur.execute(sql).fetchone()
    return out


def expected_sums(frames) -> dict[tuple[str, str], tuple[int, float]]:
    return {
        (name, c.name): (len(frames[name]), frames[name][c.name].sum())
        for name, table in TABLES.items()
        if name in DEMO_TABLES
        for c in table.columns
        if c.type == "number"
    }


def test_load_demo_imports_every_file_exactly(tmp_path, frames):
    store = Store(tmp_path / "t.duckdb", lock_timeout=20)
    reports = load_demo(store)
    assert [(r.file, r.kind) for r in reports] == list(SAMPLE_FILES.items())
    for r in reports:
        assert (r.status, r.rejected, r.errors) == ("imported", 0, []), r.message
        assert r.rows_read == r.inserted == len(frames[r.kind])
    # Sums catch a misread decimal comma or thousands separator, not just lost rows.
    for key, (rows, total) in table_sums(store).items():
        assert rows == expected_sums(frames)[key][0], key
        assert total == pytest.approx(expected_sums(frames)[key][1], rel=1e-12), key
    assert not list(store.spool_dir.glob("demo-*"))
    store.close()


def test_the_demo_is_emptied_and_loaded_again(tmp_path, frames):
    store = Store(tmp_path / "t.duckdb", lock_timeout=20)
    assert [r.status for r in load_demo(store)] == ["imported"] * 5
    version = data_version(store)
    _empty(store)
    assert data_version(store) == version + 1  # cached pages must not show the old data
    assert table_sums(store)["orders", "ordered_qty"] == (0, 0)
    reports = load_demo(store, replace=True)  # history emptied, so not refused as duplicates
    assert [r.status for r in reports] == ["imported"] * 5
    with store.connect() as cur:
        assert cur.execute("select count(*) from imports").fetchone()[0] == 5
        assert cur.execute("select count(*) from orders").fetchone()[0] == len(frames["orders"])
    store.close()
