"""The demo's demand forecasts, fitted once and shipped beside its sample files.

Fitting every demo series takes statsforecast about half a minute on 2 CPUs, which the
first start must not wait for. The fitted rows of the `forecasts` table are kept in
`data/sample/forecasts.parquet`; building the demo store inserts them, and the forecast
batch then refits only the series whose fingerprint (as_of and every week) no longer
matches, so a changed demo is still forecast right, only slower. After changing the
sample files, write the file again: `python -m analytics.demo.load`.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from analytics.demo.generate import SAMPLE_DIR
from analytics.forecast.batch import ARROW_SCHEMA

FORECASTS = SAMPLE_DIR / "forecasts.parquet"


def insert_shipped(store, path: Path = FORECASTS) -> int:
    """Put the shipped forecasts into a store being built; the rows inserted."""
    if not path.exists():
        return 0
    table = pq.read_table(path, schema=ARROW_SCHEMA)
    with store.writer() as cur:
        cur.register("shipped_forecasts", table)
        try:  # a demo loaded again keeps no row of the last fit beside a shipped one
            cur.execute(
                "DELETE FROM forecasts AS f USING shipped_forecasts AS s "
                "WHERE f.sku = s.sku AND f.site = s.site"
            )
            cur.execute("INSERT INTO forecasts BY NAME SELECT * FROM shipped_forecasts")
        finally:
            cur.unregister("shipped_forecasts")
    return table.num_rows
