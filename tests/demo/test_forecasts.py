"""The demo's shipped forecasts: in step with the sample files, so the first start fits none."""

from __future__ import annotations

import pyarrow.parquet as pq

from analytics.demo.forecasts import FORECASTS, insert_shipped
from analytics.demo.load import load_demo
from analytics.forecast.batch import refresh
from tests.conftest import rows


def test_the_shipped_forecasts_match_the_sample_files(store):
    """Built with the shipped file, no series is refitted: every stored row is the shipped
    one (same fitted time). When the sample files change, this fails until the file is
    written again (`python -m analytics.demo.load`)."""
    load_demo(store)
    shipped = pq.read_table(FORECASTS).to_pylist()
    stored = rows(store, "select sku, site, model, computed_at from forecasts order by sku, site")
    assert len(stored) == len(shipped) > 300
    assert stored == [(r["sku"], r["site"], r["model"], r["computed_at"]) for r in shipped]
    assert refresh(store).refitted == 0


def test_a_shipped_row_that_no_longer_matches_is_refitted(store, tmp_path):
    # one shipped row with a wrong fingerprint: that series alone is fitted again
    load_demo(store)
    table = pq.read_table(FORECASTS)
    fingerprints = table.column("fingerprint").to_pylist()
    fingerprints[0] = "stale"
    at = table.schema.get_field_index("fingerprint")
    pq.write_table(table.set_column(at, "fingerprint", [fingerprints]), tmp_path / "f.parquet")
    with store.writer() as cur:
        cur.execute("delete from forecasts")
    assert insert_shipped(store, tmp_path / "f.parquet") == len(fingerprints)
    result = refresh(store)
    assert (result.refitted, result.unchanged) == (1, len(fingerprints) - 1)
