"""CSV downloads: formula-looking text is neutralised, numbers and dates stay as they are."""

import datetime as dt

import pandas as pd
import pytest

from analytics.export import neutralise, to_csv_bytes

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        # plain numbers written as text: a spreadsheet reads them as numbers, nothing else
        ("-5", "-5"),
        ("+1.25", "+1.25"),
        ("-1,5", "-1,5"),
        ("-1e5", "-1e5"),
        # not starting with a trigger
        ("Acme = best", "Acme = best"),
        ("a-b", "a-b"),
        ("", ""),
        (None, None),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_to_csv_bytes_exact():
    frame = pd.DataFrame(
        {
            "supplier": ["=cmd()", "Müller GmbH", "-5", None],
            "qty": [-1, 2, 3, 4],
            "cost": [-1.5, 0.25, None, 10.0],
        }
    )
    expected = (
        BOM
        + "supplier,qty,cost\r\n"
        "'=cmd(),-1,-1.5\r\n"
        "Müller GmbH,2,0.25\r\n"
        "-5,3,\r\n"
        ",4,10.0\r\n".encode()
    )
    assert to_csv_bytes(frame) == expected


def test_headers_and_quoted_cells_are_neutralised():
    frame = pd.DataFrame([["@a,b", "x\ny"]], columns=["=evil", "note"])
    assert to_csv_bytes(frame) == BOM + b'\'=evil,note\r\n"\'@a,b","x\ny"\r\n'


def test_mixed_object_column_and_dates_untouched():
    frame = pd.DataFrame(
        {
            "value": pd.Series(["+x", 7, None], dtype=object),
            "day": pd.to_datetime(["2024-01-02", "2024-02-03", None]),
            "date": [dt.date(2024, 1, 2), dt.date(2024, 1, 3), None],
        }
    )
    assert to_csv_bytes(frame) == BOM + (
        b"value,day,date\r\n'+x,2024-01-02,2024-01-02\r\n7,2024-02-03,2024-01-03\r\n,,\r\n"
    )


def test_input_frame_is_not_changed():
    frame = pd.DataFrame({"a": ["=1"]})
    to_csv_bytes(frame)
    assert frame["a"].tolist() == ["=1"]


def test_excel_download_keeps_formulas_as_text_and_numbers_as_numbers():
    import io
    import zipfile

    from analytics.export import to_excel_bytes

    df = pd.DataFrame({"supplier": ['=HYPERLINK("http://x","click")', "Acme"], "qty": [1.5, 2]})
    data = to_excel_bytes(df)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet  # no cell holds a formula
    assert '<t>\'=HYPERLINK("http://x","click")</t>' in strings
    assert "<v>1.5</v>" in sheet  # the number is a number cell
