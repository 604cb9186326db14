"""`python -m analytics suppliers --pack DIR`: one offline page per supplier."""

from __future__ import annotations

import re

from analytics.charts.pack import file_name
from analytics.metrics.figures import scorecard
from tests.conftest import cli


def test_one_pack_per_supplier_best_first(demo, tmp_path):
    done = cli("suppliers", "--db", demo.path, "--pack", tmp_path)
    assert done.returncode == 0, done.stderr
    names = [r["supplier"] for r in scorecard(demo)]
    expected = [tmp_path / file_name(i, n) for i, n in enumerate(names, start=1)]
    assert done.stdout.split() == [str(p) for p in expected]
    first = expected[0].read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>")
    assert f"<h1>Supplier pack: {names[0]}</h1>" in first
    assert not re.search(r"<script[^>]*\bsrc\s*=", first)  # nothing fetched: opens offline
    for heading in ("Score month by month", "OTIF trend", "Late open lines", "Defects by cause"):
        assert f"<h2>{heading}" in first


def test_the_table_is_unchanged_without_pack_and_a_missing_folder_is_refused(demo, tmp_path):
    done = cli("suppliers", "--db", demo.path, "--format", "json")
    assert done.returncode == 0 and done.stdout.lstrip().startswith("[")
    done = cli("suppliers", "--db", demo.path, "--pack", tmp_path / "nope")
    assert done.returncode == 2 and "no such folder for --pack" in done.stderr
