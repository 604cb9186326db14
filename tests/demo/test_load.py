"""The demo plant's own store: built once beside the user's store, read-only, rebuilt only
when what it is built from changes; the user's store is never touched."""

from __future__ import annotations

import os

import pytest

from analytics.demo.files import SAMPLE_FILES
from analytics.demo.load import demo_fingerprint, ensure_demo_store
from analytics.scale.serving import ReadOnlyStore
from analytics.store.connection import Store
from analytics.store.freshness import table_counts
from tests.conftest import rows


@pytest.fixture
def demo_file(tmp_path):
    path = tmp_path / "demo.duckdb"
    yield path
    Store._registry.pop(str(path), None)


def test_the_demo_store_is_built_once_and_read_only(demo_file, demo):
    store = ensure_demo_store(demo_file)
    assert store.built_as() == demo_fingerprint()
    # the same rows as the demo imported into a store of its own (the session fixture)
    assert table_counts(store) == table_counts(demo)
    names = rows(store, "select file_name from imports order by import_id")
    assert [n for (n,) in names] == list(SAMPLE_FILES)
    built = os.stat(demo_file).st_mtime_ns
    store.close()
    assert ensure_demo_store(demo_file) is store  # the shared one, not built again
    assert os.stat(demo_file).st_mtime_ns == built
    with pytest.raises(ReadOnlyStore, match="demo plant"), store.writer():
        pass
    assert sorted(p.name for p in demo_file.parent.iterdir() if "partial" in p.name) == []
    store.close()


def test_a_demo_store_built_from_other_files_is_built_again(demo_file):
    old = Store(demo_file)
    with old.writer() as cur:  # a store whose fingerprint is not today's (older sample files)
        cur.execute("insert into meta values ('demo_build', 1)")
    old.close()
    store = ensure_demo_store(demo_file)
    assert store.built_as() == demo_fingerprint() != 1
    assert table_counts(store)["deliveries"] > 0
    store.close()
