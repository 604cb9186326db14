"""What the Data page shows about an upload and the import history, as plain frames.

The page only reads widgets and renders; the shaping lives here so it is tested without a
browser: the header-mapping table and back, the detected format, the preview, the errors,
the rejected rows of the original file, and the history with labels a manager reads.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd

from analytics.store.schema import TABLES

IGNORE = "(ignore)"
MAX_REJECTED_ROWS = 100_000
DATE_ORDERS = {"dayfirst": "Day first (31/12/2024)", "monthfirst": "Month first (12/31/2024)"}
DATE_ORDER_SEEN = {
    "iso": "year first (2024-12-31)",
    "dayfirst": "day first (31/12/2024)",
    "monthfirst": "month first (12/31/2024)",
    "ambiguous": "ambiguous, choose below",
    "mixed": "mixed, choose below",
    None: "no dates found",
}
HISTORY_LABELS = {
    "import_id": "ID",
    "file_name": "File",
    "kind": "Table",
    "imported_at": "Imported at",
    "status": "Status",
    "rows_read": "Read",
    "inserted": "Inserted",
    "updated": "Updated",
    "rejected": "Rejected",
    "message": "Message",
}

csv.field_size_limit(sys.maxsize)


def kind_label(kind: str | None) -> str:
    return TABLES[kind].label if kind in TABLES else "(unknown)"


def column_options(kind: str) -> list[str]:
    """The canonical columns a header of this kind may map to, then the choice to ignore it."""
    return [c.name for c in TABLES[kind].columns] + [IGNORE]


def mapping_frame(inspection) -> pd.DataFrame:
    """One row per header: the header, the column it maps to, and its first value as a hint."""
    first = inspection.preview[0] if inspection.preview else []
    return pd.DataFrame(
        {
            "header": inspection.headers,
            "column": [inspection.mapping.get(h) or IGNORE for h in inspection.headers],
            "example": [first[i] if i < len(first) else "" for i in range(len(inspection.headers))],
        }
    )


def mapping_from_frame(frame: pd.DataFrame) -> dict[str, str]:
    """The editor's table back to the importer's mapping; an ignored header maps to ''."""
    return {
        str(h): ("" if pd.isna(c) or c == IGNORE else str(c))
        for h, c in zip(frame["header"], frame["column"], strict=True)
    }


def doubly_mapped(mapping: dict[str, str]) -> dict[str, list[str]]:
    """Columns that more than one header maps to: the importer would keep only one of them."""
    headers_of: dict[str, list[str]] = {}
    for header, column in mapping.items():
        if column:
            headers_of.setdefault(column, []).append(header)
    return {c: hs for c, hs in headers_of.items() if len(hs) > 1}


def same_mapping(explicit: dict[str, str], found: dict[str, str | None]) -> bool:
    return all((found.get(h) or "") == c for h, c in explicit.items())


def format_frame(inspection) -> pd.DataFrame:
    """The detected format, one fact per row, so every value is shown as inert text."""
    facts = {
        "Encoding": inspection.encoding,
        "Delimiter": inspection.delimiter_name,
        "Decimal comma": "yes" if inspection.decimal_comma else "no",
        "Date order": DATE_ORDER_SEEN.get(inspection.date_order, str(inspection.date_order)),
        "Size": human_size(inspection.size),
        "Columns": f"{len(inspection.headers)}",
    }
    return pd.DataFrame({"what": list(facts), "value": list(facts.values())})


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return ""


def preview_frame(inspection, rows: int = 10) -> pd.DataFrame:
    """The first rows under their headers; short rows padded, long rows cut, so it always fits."""
    width = len(inspection.headers)
    body = [(list(r) + [""] * width)[:width] for r in inspection.preview[:rows]]
    frame = pd.DataFrame(body, columns=range(width), dtype="str")
    frame.columns = inspection.headers
    return frame


def needs_date_choice(inspection, report=None) -> bool:
    if report is not None and report.needs_date_order:
        return True
    return inspection is not None and inspection.date_order in ("ambiguous", "mixed")


def report_counts(report) -> dict[str, int]:
    """The counts the Data page shows; a dry run's say what an import would do."""
    if report.status == "dry run":
        return {
            "Read": report.rows_read,
            "Would insert": report.inserted,
            "Would update": report.updated,
            "Would reject": report.rejected,
        }
    return {
        "Read": report.rows_read,
        "Inserted": report.inserted,
        "Updated": report.updated,
        "Rejected": report.rejected,
    }


def errors_frame(errors) -> pd.DataFrame:
    return pd.DataFrame(
        [(e.line, e.column, e.value, e.reason) for e in errors],
        columns=["line", "column", "value", "reason"],
    ).astype({"line": "int64", "column": "str", "value": "str", "reason": "str"})


def rejected_rows(path, inspection, errors) -> pd.DataFrame:
    """The rejected records of the original file, each with its line and reasons.

    Line numbers are those the importer reports: the physical line a record starts on,
    header = line 1 (a quoted newline makes a record span lines). Reading streams the file
    and keeps only the wanted records, at most MAX_REJECTED_ROWS.
    """
    reasons: dict[int, list[str]] = {}
    for e in errors:
        reasons.setdefault(e.line, []).append(f"{e.column}: {e.reason}" if e.column else e.reason)
    found = _records_at(Path(path), inspection, set(list(reasons)[:MAX_REJECTED_ROWS]))
    width = len(inspection.headers)
    body = [
        [line, "; ".join(reasons[line]), *(list(found.get(line, [])) + [""] * width)[:width]]
        for line in sorted(reasons)[:MAX_REJECTED_ROWS]
    ]
    frame = pd.DataFrame(body, columns=range(width + 2))
    frame.columns = ["line", "problem", *inspection.headers]
    return frame.astype({"line": "int64"})


def _records_at(path: Path, inspection, lines: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not lines or not path.exists():
        return found
    encoding = inspection.encoding or "utf-8"
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=inspection.delimiter, quotechar='"', doublequote=True)
        next(reader, None)
        previous_end = reader.line_num
        last = max(lines)
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if start in lines:
                found[start] = record
            if start >= last:
                break
    return found


def download_name(file_name: str, what: str = "rejected") -> str:
    """A safe file name for a download, derived from the user's file name (never a path)."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name.lstrip(".") else file_name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-") or "file"
    return f"{stem[:80]}-{what}.csv"


def history_frame(rows: list[dict]) -> pd.DataFrame:
    """The import history, newest first, narrow enough to read without scrolling sideways.

    When an import was undone is folded into its status ('undone 2024-05-02 14:03').
    """
    frame = pd.DataFrame(rows, columns=[*HISTORY_LABELS, "undone_at"])
    frame["kind"] = frame["kind"].map(kind_label)
    frame["status"] = [
        f"{status} {undone:%Y-%m-%d %H:%M}" if status == "undone" and pd.notna(undone) else status
        for status, undone in zip(frame["status"], frame["undone_at"], strict=True)
    ]
    frame = frame.drop(columns="undone_at")
    frame = frame.sort_values("import_id", ascending=False, ignore_index=True)
    return frame.rename(columns=HISTORY_LABELS)


def undoable(rows: list[dict]) -> list[int]:
    """Import ids that may be offered for undo: imported, not undone, newest first."""
    ids = [r["import_id"] for r in rows if r["status"] == "imported" and r["undone_at"] is None]
    return sorted(ids, reverse=True)


def import_choice_label(rows: list[dict], import_id: int) -> str:
    row = next(r for r in rows if r["import_id"] == import_id)
    when = row["imported_at"]
    when = when.strftime("%Y-%m-%d %H:%M") if hasattr(when, "strftime") else str(when)
    return f"#{import_id}  {row['file_name']}  ({when}, {row['inserted']:,} inserted)"
