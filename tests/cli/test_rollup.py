"""`python -m analytics export --format parquet` and `rollup`, on the demo and its lake."""

from __future__ import annotations

import re

from analytics.cli.main import main
from tests.demo_files import counted_po_lines, demo_rows


def test_export_from_the_command_line(demo, tmp_path, capsys):
    demo.close()
    assert main(["export", "--format", "parquet", "--db", demo.path, str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"deliveries         {demo_rows()['deliveries']:,} rows" in out
    assert (tmp_path / "orders" / "part-0.parquet").is_file()
    assert not list(tmp_path.rglob("*.tmp"))


def test_rollup_from_the_command_line(lake, tmp_path, capsys):
    code = main(["rollup", "--input", str(lake), "--output", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "30 tables in" in out and "as of 2026-10-31" in out  # 4 the Pull list's inputs
    # one row per PO line that is not cancelled, as pandas counts them in the SAP file
    assert re.search(rf"po_line_facts +{counted_po_lines():,} rows  line outcomes", out)
    assert f"TAKT_ROLLUPS={tmp_path}" in out
    assert main(["rollup", "--input", str(tmp_path / "x"), "--output", str(tmp_path)]) == 1
    assert "error: input folder" in capsys.readouterr().err
