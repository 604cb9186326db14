"""Property: any text a user's ERP can put in a field comes back exactly, in every dialect."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.ingest import import_file
from analytics.ingest.cast import NA_TOKENS
from analytics.ingest.reader import _UTF8_SEQUENCE
from analytics.store.connection import Store

HEADER = ["PO Number", "Line", "Vendor", "Material", "PO Date", "Delivery Date", "Quantity"]
DIALECTS = [(",", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-16"), (",", "cp1252"), ("|", "utf-8")]


def _cp1252_safe(text: str) -> bool:
    """Encodable in Windows-1252, and not bytes that also read as UTF-8 (`Â\xa0` is the
    UTF-8 of a no-break space: no reader can tell the two apart)."""
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return _UTF8_SEQUENCE.search(data) is None


field = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip().lower() not in NA_TOKENS)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(field, min_size=1, max_size=5), dialect=st.sampled_from(DIALECTS))
def test_text_fields_round_trip(tmp_path_factory, values, dialect):
    delimiter, encoding = dialect
    if encoding == "cp1252":
        values = [v for v in values if _cp1252_safe(v)] or ["Müller & Söhne"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i, value in enumerate(values):
        writer.writerow([f"PO{i}", "1", value, value, "2024-01-02", "2024-01-09", "5"])
    store = Store(tmp_path_factory.mktemp("prop") / "p.duckdb")
    path = store.spool_dir / "p.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    report = import_file(store, path, today=date(2024, 12, 31))
    assert (report.status, report.inserted, report.rejected) == ("imported", len(values), 0), (
        report.message,
        report.errors[:3],
    )
    with store.connect() as cur:
        got = cur.execute(
            "SELECT supplier, sku FROM deliveries ORDER BY CAST(substr(po_number, 3) AS INT)"
        ).fetchall()
    store.close()
    assert got == [(v, v) for v in values]
