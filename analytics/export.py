"""CSV downloads that are safe to open in a spreadsheet.

Imported text is stored verbatim, so a cell such as `=HYPERLINK(...)` or `@SUM(...)` comes
back out in every export. Spreadsheets run such cells as formulas (CSV injection), so text
cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`, which
makes Excel and LibreOffice show them as text. Numbers stay numbers: numeric columns are
written untouched, and a text cell that is only a plain number (`-5`, `+1.25`) is left alone
because a spreadsheet reads it as that number and nothing else.

pandas is imported by the functions that are given a frame (so it is loaded already), not
with the module: `neutralise` serves the meeting report and the signals panel's page
names on the Overview, whose first cards need no pandas (issue 16).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def neutralise(value):
    """A text cell a spreadsheet would run as a formula, made inert; anything else as it is."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralised(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose header and text cells are neutralised; numeric and date columns untouched."""
    from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

    out = df.copy()
    out.columns = [neutralise(str(c)) for c in df.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if is_numeric_dtype(col) or is_datetime64_any_dtype(col):
            continue
        out.isetitem(i, col.map(neutralise, na_action="ignore"))
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), CRLF lines, no index."""
    text = neutralised(df).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, sheet: str = "Takt") -> bytes:
    """An .xlsx with the same neutralised cells; xlsxwriter told never to make formulas or links."""
    from pandas import ExcelWriter

    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        neutralised(df).to_excel(xl, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
