"""The demo as the CSV files of real ERP exports, in data/sample/.

Each file is written the way its ERP writes it (headers, decimal comma, date order), so the
demo goes through the same importer as a user's files.
Run `python -m analytics.demo.files` to write them again.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from analytics.demo.generate import generate
from analytics.demo.plant import demo_columns
from analytics.demo.samples import FILES, SAMPLE_DIR, SAMPLE_FILES, SampleFile  # noqa: F401 (SAMPLE_FILES: its name here before `samples`)
from analytics.store.schema import TABLES

MONEY = {"unit_cost", "unit_price", "cost"}
_GERMAN = str.maketrans(",.", ".,")


def _number(value: float, money: bool, german: bool) -> str:
    """Quantities whole; money in cents, or to 1/100 cent where the price needs it."""
    if pd.isna(value):
        return ""
    places = (2 if round(value, 2) == value else 4) if money else 0
    if german:  # 1.234,56
        return f"{value:,.{places}f}".translate(_GERMAN)
    return f"{value:.{places}f}"


def _column(values: pd.Series, kind: str, money: bool, spec: SampleFile) -> list[str]:
    if kind == "date":
        return values.dt.strftime(spec.dates).fillna("").tolist()
    if kind == "number":
        return [_number(v, money, spec.german_numbers) for v in values]
    return values.fillna("").astype(str).tolist()


def render(frame: pd.DataFrame, spec: SampleFile) -> bytes:
    """One table as the bytes of its file; csv quotes where a value needs it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=spec.delimiter, lineterminator=spec.newline)
    writer.writerow(spec.headers.split(spec.delimiter))
    columns = [_column(frame[c.name], c.type, c.name in MONEY, spec)
               for c in TABLES[spec.table].columns
               if c.name in demo_columns(spec.table)]  # fmt: skip
    writer.writerows(zip(*columns, strict=True))
    text = buffer.getvalue()
    if spec.encoding == "utf-16":  # spell the byte order out: the same bytes on any machine
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(spec.encoding)


def write_sample(out_dir: Path = SAMPLE_DIR, seed: int = 7) -> dict[str, int]:
    """Write every sample file; returns file name -> size in bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = generate(seed)
    sizes = {}
    for name, spec in FILES.items():
        data = render(frames[spec.table], spec)
        (out_dir / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


if __name__ == "__main__":
    for file_name, size in write_sample().items():
        print(f"{SAMPLE_DIR / file_name}  {size:,} bytes")
