"""Stored per-line facts give exactly what the models compute from the canonical tables."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import KPI_KEYS, compute_kpis
from analytics.models import materialize
from analytics.models.compose import compose, duckdb_dialect, parameters
from analytics.models.params import Scope, resolve
from analytics.store.settings import set_setting


def _kpis_without_marts(store, scope: Scope) -> dict:
    with store.connect() as cur:
        sql = duckdb_dialect(compose("kpi_overview"))
        params = resolve(cur, scope)
        row = cur.execute(sql, {k: params[k] for k in parameters(sql)})
        names = [d[0] for d in row.description]
        values = dict(zip(names, row.fetchone(), strict=True))
    return {k: values[k] for k in KPI_KEYS}


@pytest.mark.parametrize(
    "scope",
    [
        Scope(),
        Scope(start=date(2026, 1, 1), end=date(2026, 6, 30)),
        Scope(supplier="Delta Machining Inc."),
    ],
)
def test_marts_and_models_agree_on_the_demo(demo, scope):
    # the Pull list's inputs are stored for the default period only (measured over it)
    other_period = {"buffer_inputs", "pull_positions", "supplier_pull_figures"}
    expected = set(materialize.FACTS) - (other_period if scope.start else set())
    with demo.connect() as cur:
        assert materialize.usable(cur, resolve(cur, scope)) == expected
    assert compute_kpis(demo, **vars(scope)) == pytest.approx(
        _kpis_without_marts(demo, scope), rel=1e-12, nan_ok=True
    )


def test_marts_are_not_used_when_they_would_be_wrong(demo):
    with demo.connect() as cur:
        early = resolve(cur, Scope(as_of=date(2026, 6, 30)))
        # receipts after 2026-06-30 exist, so the stored line facts do not answer as of then
        # and the stock position was stored for the default as-of only
        assert materialize.usable(cur, early) == {"dim_sku", "receipt_facts", "snapshot_facts"}
        changed = {**resolve(cur), "late_tol": 3}
        assert "po_line_facts" not in materialize.usable(cur, changed)


def test_a_settings_change_without_refresh_falls_back_to_the_models(store):
    from tests.conftest import insert
    from tests.metrics.test_figures_delivery import MARCH, line

    insert(store, "deliveries", line("A", 10, "03-10", "03-01", "03-12", 10))
    materialize.refresh_store(store)
    assert compute_kpis(store, **MARCH)["on_time_rate"] == 0.0
    with store.connect() as cur:
        set_setting(cur, "late_tolerance_days", 2)
    assert compute_kpis(store, **MARCH)["on_time_rate"] == 1.0  # 03-12 is within P + 2


def test_stored_facts_answer_the_default_as_of_with_lines_promised_ahead(open_lines_ahead):
    """The default as-of is the latest event, so no stored fact holds an event after it:
    every fact answers, and gives what the models give (OTIF 1/2, see tests/conftest.py)."""
    materialize.refresh_store(open_lines_ahead)
    with open_lines_ahead.connect() as cur:
        params = resolve(cur)
        assert params["as_of"] == date(2024, 3, 10)
        assert materialize.usable(cur, params) == set(materialize.FACTS)
    k = compute_kpis(open_lines_ahead)
    assert k == pytest.approx(_kpis_without_marts(open_lines_ahead, Scope()), nan_ok=True)
    assert k["otif_rate"] == 0.5


# -- incremental refresh -------------------------------------------------------------------
# Ten PO lines of Acme, ordered 02-01, promised 02-10, 10 units at 2.5 each received 02-09
# (on time, in full): PO1-PO4 of SKU1, PO5-PO9 of SKU2, PO10 of SKU3.
TEN_LINES = [
    f"PO{i},1,G{i},Acme,SKU{1 if i <= 4 else 2 if i <= 9 else 3},"
    "2024-02-01,2024-02-10,10,2024-02-09,10,2.5"
    for i in range(1, 11)
]
# Touches two lines: a second receipt of 5 on PO2 (02-11, a day late) and a new line PO11
# received 03-25, five days after its promise. Every cost stays 2.5: no sku's cost moves.
TWO_LINES = [
    "PO2,1,G2b,Acme,SKU1,2024-02-01,2024-02-10,10,2024-02-11,5,2.5",
    "PO11,1,G11,Acme,SKU2,2024-03-01,2024-03-20,10,2024-03-25,10,2.5",
]
ORDERS = (
    "Sales Order,Line,Customer,Product,Order Date,Requested Delivery Date,Ship Date,"
    "Quantity,Shipped Qty,Unit Price\n"
    "SO1,1,Zeta,SKU9,2024-02-05,2024-02-10,2024-02-10,5,5,9\n"
)


def _facts(store) -> dict[str, list[tuple]]:
    with store.connect() as cur:
        return {
            name: sorted(cur.execute(f"SELECT * FROM mart_{name}").fetchall(), key=repr)
            for name in materialize.FACTS
        }


def _builds(store) -> dict[str, tuple]:
    with store.connect() as cur:
        rows = cur.execute(
            "SELECT name, built_version, how, lines, appended FROM fact_builds"
        ).fetchall()
    return {name: tuple(rest) for name, *rest in rows}


def _same_as_a_full_rebuild(store) -> None:
    incremental = _facts(store)
    materialize.refresh_store(store, full=True)
    assert _facts(store) == incremental


@pytest.fixture
def ten_lines(store):
    from tests.conftest import csv_text, load

    assert load(store, "ten.csv", csv_text(*TEN_LINES)).status == "imported"
    return store


def test_a_load_of_orders_leaves_the_delivery_facts_untouched(ten_lines):
    from tests.conftest import load

    before, facts = _builds(ten_lines), _facts(ten_lines)
    assert load(ten_lines, "orders.csv", ORDERS).status == "imported"
    after = _builds(ten_lines)
    # the new sku SKU9 enters the sku dimension, but no PO line or receipt has it
    assert after["po_line_facts"] == before["po_line_facts"]
    assert after["receipt_facts"] == before["receipt_facts"]
    assert after["snapshot_facts"] == before["snapshot_facts"]
    assert after["order_line_facts"][1:3] == ("rebuilt", None)
    new = _facts(ten_lines)
    assert new["po_line_facts"] == facts["po_line_facts"]
    assert [r[:2] for r in new["order_line_facts"]] == [("SO1", "1")]
    with ten_lines.connect() as cur:  # kept facts are current: pages read them
        assert materialize.usable(cur, resolve(cur)) == set(materialize.FACTS)
    _same_as_a_full_rebuild(ten_lines)


def test_a_deliveries_load_rebuilds_only_the_lines_it_touched(ten_lines):
    from tests.conftest import csv_text, load

    facts = _facts(ten_lines)
    report = load(ten_lines, "two.csv", csv_text(*TWO_LINES))
    assert (report.inserted, report.import_id) == (2, 2)
    builds = _builds(ten_lines)
    assert builds["po_line_facts"][1:3] == ("lines", 2)
    assert builds["receipt_facts"][1:3] == ("lines", 2)
    with ten_lines.connect() as cur:
        po2, po11 = cur.execute(
            "SELECT delivered_qty, on_time_qty, receipts, last_receipt, is_on_time, is_otif, "
            "over_qty, lateness_days, lead_time_days FROM mart_po_line_facts "
            "WHERE po_number IN ('PO2', 'PO11') ORDER BY po_number DESC"
        ).fetchall()
    # PO2: 10 on 02-09 (on time) + 5 on 02-11: 15 delivered, 10 of them on time (OTIF by
    # quantity), last receipt a day after the promise (not on time), 5 over.
    assert po2 == (15.0, 10.0, 2, date(2024, 2, 11), False, True, 5.0, 1, 10)
    # PO11: promised 03-20, received 03-25: five days late, 24 days from the order.
    assert po11 == (10.0, 0.0, 1, date(2024, 3, 25), False, False, 0.0, 5, 24)
    untouched = [r for r in _facts(ten_lines)["po_line_facts"] if r[0] not in ("PO2", "PO11")]
    assert untouched == [r for r in facts["po_line_facts"] if r[0] != "PO2"]
    _same_as_a_full_rebuild(ten_lines)


def test_an_undo_rebuilds_the_lines_it_put_back(ten_lines):
    from analytics.ingest import undo_import
    from tests.conftest import csv_text, load

    facts = _facts(ten_lines)
    load(ten_lines, "two.csv", csv_text(*TWO_LINES))
    materialize.refresh_store(ten_lines, full=True)  # sorted: no line written out of order
    undo_import(ten_lines, 2)
    assert _builds(ten_lines)["po_line_facts"][1:3] == ("lines", 2)
    assert _facts(ten_lines) == facts


def test_an_orders_load_rebuilds_only_the_customer_lines_it_touched(ten_lines):
    """Ten open customer lines of SKU1 stored; a second file ships SO2 (10 units on 02-12,
    requested 02-10: two days late, not OTIF) and adds SO11, shipped on time and complete."""
    from tests.conftest import load

    delivery_facts = _builds(ten_lines)["po_line_facts"]
    head = ORDERS.splitlines()[0]
    ten = [f"SO{i},1,Zeta,SKU1,2024-02-01,2024-02-10,,10,,5" for i in range(1, 11)]
    load(ten_lines, "ten.csv", "\n".join([head, *ten]) + "\n")
    facts = _facts(ten_lines)["order_line_facts"]
    two = [
        "SO2,1,Zeta,SKU1,2024-02-01,2024-02-10,2024-02-12,10,10,5",
        "SO11,1,Zeta,SKU1,2024-02-01,2024-02-10,2024-02-10,10,10,5",
    ]
    load(ten_lines, "two.csv", "\n".join([head, *two]) + "\n")
    builds = _builds(ten_lines)
    assert builds["order_line_facts"][1:3] == ("lines", 2)
    assert builds["po_line_facts"] == delivery_facts
    with ten_lines.connect() as cur:
        got = cur.execute(
            "SELECT order_number, shipped_units, filled_qty, is_complete, is_otif "
            "FROM mart_order_line_facts WHERE order_number IN ('SO2', 'SO11') "
            "ORDER BY order_number"
        ).fetchall()
    assert got == [("SO11", 10.0, 10.0, True, True), ("SO2", 10.0, 10.0, True, False)]
    untouched = [r for r in _facts(ten_lines)["order_line_facts"] if r[0] not in ("SO2", "SO11")]
    assert untouched == [r for r in facts if r[0] != "SO2"]
    _same_as_a_full_rebuild(ten_lines)


def test_a_dimension_change_rebuilds_the_lines_of_its_skus(ten_lines):
    """An item master naming SKU3's category changes one sku: only PO10 holds it."""
    from tests.conftest import load

    load(ten_lines, "items.csv", "sku,description,category\nSKU3,Nut,Fasteners\n")
    builds = _builds(ten_lines)
    assert builds["dim_sku"][1] == "rebuilt"
    assert builds["po_line_facts"][1:3] == ("lines", 1)
    assert builds["receipt_facts"][1:3] == ("lines", 1)
    with ten_lines.connect() as cur:
        assert cur.execute(
            "SELECT po_number, category FROM mart_po_line_facts WHERE category IS NOT NULL"
        ).fetchall() == [("PO10", "Fasteners")]
    _same_as_a_full_rebuild(ten_lines)


def test_a_settings_change_rebuilds_only_the_facts_that_bind_it(ten_lines):
    from analytics.metrics.planning import save_settings

    before = _builds(ten_lines)
    save_settings(ten_lines, {"late_tolerance_days": 1})
    after = _builds(ten_lines)
    assert after["po_line_facts"][1] == after["order_line_facts"][1] == "rebuilt"
    assert after["receipt_facts"] == before["receipt_facts"]
    assert after["dim_sku"] == before["dim_sku"]
    _same_as_a_full_rebuild(ten_lines)


def test_a_refresh_that_never_ran_is_caught_up_by_the_next_write(ten_lines):
    """What a kill between an import's commit and its refresh leaves: the data committed,
    the record of its changes with it, the facts stale (not used: pages read the tables).
    The next write's refresh rebuilds the lines of both."""
    from tests.conftest import csv_text, load

    load(ten_lines, "two.csv", csv_text(*TWO_LINES), refresh_marts=False)
    with ten_lines.connect() as cur:
        assert materialize.usable(cur, resolve(cur)) == set()
        assert cur.execute("SELECT count(*) FROM changed_lines").fetchone()[0] == 2
    load(ten_lines, "orders.csv", ORDERS)
    assert _builds(ten_lines)["po_line_facts"][1:3] == ("lines", 2)
    with ten_lines.connect() as cur:
        assert cur.execute("SELECT count(*) FROM changes").fetchone()[0] == 0
        delivered = cur.execute(
            "SELECT delivered_qty FROM mart_po_line_facts WHERE po_number = 'PO2'"
        ).fetchone()
    assert delivered == (15.0,)
    _same_as_a_full_rebuild(ten_lines)


def test_line_facts_are_stored_by_quarter_then_supplier(store):
    """Within a quarter of promised dates one supplier's lines sit together, so a drill into
    one supplier reads a few row groups; quarters stay in date order for period filters."""
    from tests.conftest import csv_text, load

    rows = [
        "P1,1,G1,Zeta,S1,2024-01-02,2024-01-10,5,2024-01-10,5,1",
        "P2,1,G2,Acme,S1,2024-01-02,2024-02-10,5,2024-02-10,5,1",
        "P3,1,G3,Zeta,S1,2024-04-02,2024-04-05,5,2024-04-05,5,1",
        "P4,1,G4,Acme,S1,2024-04-02,2024-06-10,5,2024-06-10,5,1",
        "P5,1,G5,Acme,S1,2024-01-02,2024-03-01,5,2024-03-01,5,1",
    ]
    load(store, "q.csv", csv_text(*rows))
    with store.connect() as cur:
        stored = cur.execute("SELECT po_number FROM mart_po_line_facts ORDER BY rowid").fetchall()
    # Q1: Acme P2 (02-10), P5 (03-01), then Zeta P1; Q2: Acme P4, then Zeta P3
    assert [r[0] for r in stored] == ["P2", "P5", "P1", "P4", "P3"]


def test_lines_written_out_of_order_are_sorted_again_past_a_quarter(ten_lines):
    """Each partial rebuild writes its lines at the end; 1 + 1 of 10 lines stay under a
    quarter (2.5), a third line does not: the fact is rebuilt whole and sorted again."""
    from tests.conftest import csv_text, load

    def receipt(po: str, grn: str) -> str:
        return f"{po},1,{grn},Acme,SKU1,2024-02-01,2024-02-10,10,2024-02-11,1,2.5"

    load(ten_lines, "a.csv", csv_text(receipt("PO1", "A1")))
    assert _builds(ten_lines)["po_line_facts"][1:] == ("lines", 1, 1)
    load(ten_lines, "b.csv", csv_text(receipt("PO2", "B1")))
    assert _builds(ten_lines)["po_line_facts"][1:] == ("lines", 1, 2)
    load(ten_lines, "c.csv", csv_text(receipt("PO3", "C1")))
    assert _builds(ten_lines)["po_line_facts"][1:] == ("rebuilt", None, 0)
    _same_as_a_full_rebuild(ten_lines)


def test_a_fact_an_older_takt_built_answers_nothing_until_rebuilt(ten_lines):
    """After an upgrade that changed a fact's SQL, the store still holds the table the older
    code built (here: a column fewer) with its keys as they were written then (no
    fingerprint). It must not answer a query, and the next refresh builds it again."""
    import json

    february = {"start": date(2024, 2, 1), "end": date(2024, 2, 29)}
    assert compute_kpis(ten_lines, **february)["otif_rate"] == 1.0  # 10 of 10 lines
    with ten_lines.writer() as cur:
        cur.execute("ALTER TABLE mart_po_line_facts DROP COLUMN on_time_qty")
        key = json.loads(
            cur.execute("SELECT params FROM marts WHERE name = 'po_line_facts'").fetchone()[0]
        )
        bound = json.loads(
            cur.execute("SELECT bound FROM fact_builds WHERE name = 'po_line_facts'").fetchone()[0]
        )
        assert (
            key.pop("code") == bound.pop("code") == materialize.compose.fingerprint("po_line_facts")
        )
        cur.execute("UPDATE marts SET params = ? WHERE name = 'po_line_facts'", [json.dumps(key)])
        cur.execute(
            "UPDATE fact_builds SET bound = ? WHERE name = 'po_line_facts'",
            [json.dumps(bound, sort_keys=True)],
        )
    with ten_lines.connect() as cur:
        assert "po_line_facts" not in materialize.usable(cur, resolve(cur))
    # answered from the deliveries table, not the stale fact (which lacks on_time_qty)
    assert compute_kpis(ten_lines, **february)["otif_rate"] == 1.0
    done = materialize.refresh_store(ten_lines)
    assert done["po_line_facts"] == "rebuilt"
    assert done["receipt_facts"] == "kept"
    with ten_lines.connect() as cur:
        assert "po_line_facts" in materialize.usable(cur, resolve(cur))
        assert cur.execute("SELECT sum(on_time_qty) FROM mart_po_line_facts").fetchone()[0] == 100
