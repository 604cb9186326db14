"""Root-cause notes attached to a node of the drill-down."""

from __future__ import annotations

import pytest

from analytics.review.notes import add_note, all_notes, notes_for


def data_version(store) -> int:
    with store.connect() as cur:
        row = cur.execute("select value from meta where name = 'data_version'").fetchone()
    return row[0] if row else 0


def test_notes_belong_to_their_node_newest_first(store):
    v0 = data_version(store)
    node = "supplier=Nordlys Sensor A%2FS/sku=SKU-1"
    first = add_note(store, "otif_rate", node, "Why 1: the truck left late", " Ana ")
    second = add_note(store, "otif_rate", node, "Countermeasure: milk run", "Ben")
    add_note(store, "otif_rate", "supplier=Nordlys Sensor A%2FS", "supplier-wide", "Ana")
    add_note(store, "defect_ppm", node, "another KPI", "Ana")
    assert data_version(store) == v0 + 4
    found = notes_for(store, "otif_rate", node)
    assert [(n["note_id"], n["text"], n["author"]) for n in found] == [
        (second, "Countermeasure: milk run", "Ben"),
        (first, "Why 1: the truck left late", "Ana"),
    ]
    assert found[0]["path"] == node and found[0]["created_at"] is not None
    assert notes_for(store, "otif_rate", "") == []  # the KPI node itself has none
    assert len(all_notes(store)) == 4 and len(all_notes(store, "defect_ppm")) == 1


def test_one_node_has_one_spelling(store):
    # %2f and %2F, a trailing slash: the same node as the drill-down writes it
    add_note(store, "copq", "supplier=A%2fS/", "same node", "Ana")
    assert [n["text"] for n in notes_for(store, "copq", "supplier=A%2FS")] == ["same node"]


@pytest.mark.parametrize(
    ("kpi", "path", "text", "author", "message"),
    [
        ("otif", "", "text", "Ana", "unknown KPI 'otif'"),
        ("otif_rate", "vendor=Acme", "text", "Ana", "not a drill-down level"),
        ("otif_rate", "", "   ", "Ana", "needs some text"),
        ("otif_rate", "", "text", "", "needs an author"),
    ],
)
def test_bad_notes_are_refused(store, kpi, path, text, author, message):
    with pytest.raises(ValueError, match=message):
        add_note(store, kpi, path, text, author)
    assert all_notes(store) == []
