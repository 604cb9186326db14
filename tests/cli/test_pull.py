"""`replenish` as a script calls it: the hand-made plant of tests/metrics/test_replenish.py."""

from __future__ import annotations

import csv
import io
import json

import pytest

from analytics.cli.main import STATUSES as CLI_STATUSES
from analytics.metrics.replenish import FIELDS, STATUSES
from analytics.store.connection import Store
from tests.conftest import cli
from tests.metrics.test_replenish import fill

AS_OF = ["--as-of", "2024-06-30"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("cli-pull") / "takt.duckdb", lock_timeout=20)
    fill(store)
    store.close()
    return store.path


def test_json_is_one_object_per_sku_and_site_most_urgent_first(db):
    done = cli("replenish", "--db", db, *AS_OF, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["sku"], r["site"]) for r in rows] == [
        ("FAR", ""), ("SPIKE", ""), ("BOX", ""), ("LATE", ""), ("TWO", "2000"),
        ("TWO", "1000"), ("ONE", ""),
    ]  # fmt: skip
    assert all(list(r) == list(FIELDS) for r in rows)
    spike = rows[1]
    assert (spike["on_hand"], spike["qualified_demand"], spike["net_flow"]) == (30, 26, 4)
    assert (spike["suggested_qty"], spike["container_qty"], spike["supplier"]) == (40, 10, "Bolt")
    assert spike["top_of_green"] == pytest.approx(38)
    one = rows[-1]
    assert one["status"] == "not enough data"
    assert one["safety_stock"] is None and one["suggested_qty"] is None


def test_status_filter_and_csv(db):
    done = cli("replenish", "--db", db, *AS_OF, "--status", "red,yellow")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["sku"], r["status"], r["suggested_qty"]) for r in rows] == [
        ("FAR", "red", "35.0"),
        ("SPIKE", "red", "40.0"),
        ("BOX", "yellow", "40.0"),
        ("LATE", "yellow", "21.0"),
        ("TWO", "yellow", "8.0"),
    ]


def test_site_filter_and_a_wrong_status(db):
    done = cli("replenish", "--db", db, *AS_OF, "--site", "2000", "--format", "json")
    assert [(r["sku"], r["net_flow"], r["status"]) for r in json.loads(done.stdout)] == [
        ("TWO", 7, "yellow")
    ]
    wrong = cli("replenish", "--db", db, "--status", "purple")
    assert wrong.returncode == 2 and "unknown status 'purple'" in wrong.stderr


def test_the_parser_knows_the_statuses_of_the_list():
    """main.py keeps its own copy so `--help` does not load the metric models."""
    assert CLI_STATUSES == STATUSES
