"""The demo's sample files as pandas reads them, for tests that expect figures of the demo.

A count or sum a test expects of the loaded demo is taken from the files themselves with
pandas (each file's own encoding and delimiter), never by running Takt's SQL a second time,
and never pasted in: regenerating the demo changes the file and the expectation together.
"""

from __future__ import annotations

import pandas as pd

from analytics.demo.files import FILES
from analytics.demo.generate import SAMPLE_DIR
from analytics.demo.plant import demo_columns
from analytics.store.schema import TABLES
from tests.pandas_reference import kpis_reference

CANCELLED = "cancelled"


def demo_file(table: str) -> pd.DataFrame:
    """The sample file of a canonical table, every value as its text ('' when empty)."""
    name, spec = next((n, s) for n, s in FILES.items() if s.table == table)
    return pd.read_csv(
        SAMPLE_DIR / name,
        sep=spec.delimiter,
        encoding=spec.encoding,
        dtype=str,
        keep_default_na=False,
    )


def demo_rows() -> dict[str, int]:
    """Rows per table, as the files hold them."""
    return {spec.table: len(demo_file(spec.table)) for spec in FILES.values()}


def german_number(text: pd.Series) -> pd.Series:
    """1.234,56 as 1234.56 (the SAP file's German settings)."""
    return pd.to_numeric(text.str.replace(".", "").str.replace(",", "."))


def counted_po_lines() -> int:
    """PO lines of the SAP file that are not cancelled (a line's rows share its status)."""
    d = demo_file("deliveries")
    d = d[d.Status != CANCELLED]
    return len(d.drop_duplicates(["Purchasing Document", "Item"]))


def demo_frames() -> dict[str, pd.DataFrame]:
    """The five tables as the files hold them, read by pandas alone: each file's headers are
    the schema's columns in order, its dates in the file's format, its numbers German in the
    SAP file. What `tests.pandas_reference` computes from these is the demo's figures."""
    out = {}
    for spec in FILES.values():
        frame = demo_file(spec.table)
        frame.columns = demo_columns(spec.table)  # the schema's, but currency (one currency)
        for column in (c for c in TABLES[spec.table].columns if c.name in frame):
            text = frame[column.name]
            if column.type == "date":
                frame[column.name] = pd.to_datetime(text, format=spec.dates, errors="coerce")
            elif column.type == "number":
                frame[column.name] = (
                    german_number(text) if spec.german_numbers else pd.to_numeric(text)
                )
        out[spec.table] = frame
    return out


def demo_otif() -> float:
    """The demo's headline supplier OTIF: the default period and settings."""
    return kpis_reference(demo_frames())["otif_rate"]
