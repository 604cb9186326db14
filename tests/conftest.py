"""Shared fixtures: a throwaway database per test and helpers to write upload files."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.ingest import import_file
from analytics.store.connection import Store
from analytics.store.schema import TABLES

TODAY = date(2024, 12, 31)
HEADER = (
    "PO Number,Line,GRN,Vendor,Material,PO Date,Delivery Date,Quantity,"
    "Receipt Date,Received Qty,Net Price"
)
GOOD_ROWS = [
    "PO1,1,G1,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-09,100,2.5",
    "PO2,1,G2,Acme,SKU2,2024-02-01,2024-02-12,50,2024-02-15,50,4",
    "PO3,1,,Bolt Co,SKU1,2024-03-01,2024-03-20,10,,,2.5",
]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "takt.duckdb", lock_timeout=20)
    yield s
    s.close()


def write(store, name: str, content, encoding: str = "utf-8"):
    """Write an upload into the store's upload folder, as the Data page does."""
    path = store.spool_dir / name
    data = content if isinstance(content, bytes) else content.encode(encoding)
    path.write_bytes(data)
    return path


def csv_text(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def load(store, name: str, content, encoding="utf-8", **kwargs):
    kwargs.setdefault("today", TODAY)
    return import_file(store, write(store, name, content, encoding), display_name=name, **kwargs)


def snapshot(store) -> dict:
    """Every canonical table, its undo copies and the history, in a comparable form."""
    out = {}
    with store.connect() as cur:
        for name in TABLES:
            for table in (name, f"{name}__prior"):
                out[table] = sorted(map(repr, cur.execute(f"SELECT * FROM {table}").fetchall()))
        out["imports"] = cur.execute("SELECT import_id, status FROM imports ORDER BY 1").fetchall()
    return out


def rows(store, sql: str, params=()):
    with store.connect() as cur:
        return cur.execute(sql, list(params)).fetchall()


@pytest.fixture
def loaded(store):
    """A store already holding three good delivery lines (import #1)."""
    report = load(store, "base.csv", csv_text(*GOOD_ROWS))
    assert report.status == "imported" and report.inserted == 3
    return store


def insert(store, table: str, *records: dict) -> None:
    """Put hand-written rows straight into a canonical table (metric tests need no CSV)."""
    columns = [c.name for c in TABLES[table].columns]
    defaults = {c.name: c.default for c in TABLES[table].columns}
    with store.connect() as cur:
        for record in records:
            unknown = set(record) - set(columns)
            assert not unknown, f"not columns of {table}: {unknown}"
            values = [record.get(c, defaults[c]) for c in columns]
            marks = ", ".join("?" for _ in columns)
            cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def d(text: str):
    """'03-12' -> date(2024, 3, 12): fixtures read like a calendar."""
    month, day = text.split("-")
    return date(2024, int(month), int(day))


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The bundled demo data in a database of its own, loaded once per test run."""
    from analytics.demo.load import load_demo

    s = Store(tmp_path_factory.mktemp("demo") / "demo.duckdb", lock_timeout=20)
    reports = load_demo(s)
    assert all(r.status == "imported" and r.rejected == 0 for r in reports)
    yield s
    s.close()


@pytest.fixture(scope="session")
def lake(demo, tmp_path_factory):
    """The demo exported as a Parquet lake (one folder per table), as the rollup job reads."""
    from analytics.scale.lake import export_parquet

    out = tmp_path_factory.mktemp("lake")
    demo.close()  # the export opens the file itself
    export_parquet(demo.path, out)
    return out


@pytest.fixture(scope="session")
def rollups(lake, tmp_path_factory):
    """The rollup job's output on DuckDB over that lake."""
    from analytics.scale import rollup

    out = tmp_path_factory.mktemp("rollups")
    rollup.run("duckdb", lake, out)
    return out
