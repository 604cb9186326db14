"""`forecast` as a nightly script calls it: the batch alone, then the stored forecasts."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from tests.conftest import cli
from tests.forecast.test_batch import AS_OF, order


def test_refresh_then_csv_and_json(store):
    from tests.conftest import insert

    insert(store, "orders", *(order(f"S{k}", "STEADY", AS_OF - timedelta(days=7 * k), 10)
                              for k in range(40)))  # fmt: skip
    store.close()
    done = cli("forecast", "--refresh", "--db", store.path)
    assert done.returncode == 0, done.stderr
    assert "1 refitted, 0 unchanged, 0 removed" in done.stdout
    assert "1/1 series" in done.stderr  # the progress bar
    out = cli("forecast", "--db", store.path, "--horizon", "2")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0])[-6:] == [
        "week_1", "week_1_lo", "week_1_hi", "week_2", "week_2_lo", "week_2_hi"
    ]  # fmt: skip
    assert (rows[0]["sku"], rows[0]["model"], rows[0]["wape"], rows[0]["week_2"]) == (
        "STEADY", "Naive", "0.0", "10.0"
    )  # fmt: skip
    js = json.loads(cli("forecast", "--db", store.path, "--format", "json").stdout)
    assert js[0]["as_of"] == "2024-06-30" and len(js[0]["weeks"]) == 13
    assert js[0]["weeks"][0] == {
        "week": 1, "week_end": "2024-07-07", "forecast": 10.0, "lo": 10.0, "hi": 10.0
    }  # fmt: skip


def test_horizon_outside_1_to_13_is_a_usage_error(store):
    done = cli("forecast", "--db", store.path, "--horizon", "14")
    assert done.returncode == 2 and "expected 1 to 13 weeks" in done.stderr
