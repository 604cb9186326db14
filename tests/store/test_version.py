"""The data version a page's cached results are keyed on, read by the store itself (not the
importer, which the first page does not load)."""

from __future__ import annotations

import subprocess
import sys

from analytics.store.version import bump_version, data_version
from tests.conftest import ROOT


def test_the_data_version_starts_at_zero_and_moves_on_with_every_write(store):
    assert data_version(store) == 0  # a fresh store: no meta row yet
    with store.writer() as cur:
        bump_version(cur)
    with store.writer() as cur:
        bump_version(cur, changed=())
    assert data_version(store) == 2  # two writes, one step each


def test_reading_it_loads_no_importer():
    code = (
        "import sys, analytics.store.version\n"
        "print('analytics.ingest' in sys.modules, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
