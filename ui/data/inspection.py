"""How a staged file was read, and the user's corrections: its table and its mapping.

The importer (`analytics.ingest`) decides how a file reads; this module shows what it found
and lets the user correct it. Each correction inspects the file again, so what is shown,
checked and finally imported is always the importer's reading of the same choices. A
staged entry keeps `base` (the reading for its table, whose mapping the editor starts from)
and `inspection` (the reading with the edited mapping); a refusal is kept as its `error`.
"""

from __future__ import annotations

import streamlit as st

from analytics.ingest import ImportRefused, inspect_file
from analytics.ingest.uploads import (
    column_options,
    doubly_mapped,
    format_frame,
    kind_label,
    mapping_frame,
    mapping_from_frame,
    same_mapping,
)
from analytics.store.schema import TABLES
from ui.data.notices import notice


def readable(entry: dict) -> bool:
    """Whether a refused file reads fine once told its table: then the user may choose one."""
    try:
        inspect_file(entry["path"], display_name=entry["name"], kind=next(iter(TABLES)))
    except ImportRefused:
        return False
    return True


def reinspect(entry: dict, kind: str, mapping: dict | None) -> None:
    """Inspect again for another table or mapping; a refusal is kept as the entry's error."""
    try:
        inspection = inspect_file(
            entry["path"], display_name=entry["name"], kind=kind, mapping=mapping
        )
    except ImportRefused as exc:
        entry["error"] = str(exc)
        return
    entry["inspection"] = inspection
    if mapping is None:
        entry["base"] = inspection


def unreadable(sid: str, entry: dict) -> None:
    """A refused file; when only its table was unknown, let the user name the table."""
    if not entry.get("kind_unknown"):
        notice("error", "This file cannot be read.", entry["error"])
        return
    notice("warning", "Which table does this file fill? Takt cannot tell for sure.", entry["error"])
    kind = st.selectbox(
        "Read it as",
        list(TABLES),
        index=None,
        format_func=kind_label,
        key=f"kind-unknown-{sid}",
        placeholder="Choose a table",
    )
    if kind is not None:
        reinspect(entry, kind, None)
        if entry["base"] is not None:
            st.rerun()
        notice("error", "The file cannot be read as this table.", entry["error"])


def choose_kind(sid: str, entry: dict) -> str:
    """The table the file fills, detected from its headers; choosing another reads it again."""
    current = entry["base"].kind
    kinds = list(TABLES)
    kind = st.selectbox(
        "Table",
        kinds,
        index=kinds.index(current) if current in kinds else None,
        format_func=kind_label,
        key=f"kind-{sid}",
        help="Which table this file fills; detected from its headers.",
    )
    if kind is not None and kind != current:
        reinspect(entry, kind, None)
    return kind


def edit_mapping(sid: str, entry: dict, kind: str) -> dict[str, str]:
    """The header -> column editor; a changed mapping is inspected again at once."""
    st.caption("Which column of Takt each header of the file fills. Change a row to correct it.")
    edited = st.data_editor(
        mapping_frame(entry["base"]),
        key=f"map-{sid}-{kind}",
        hide_index=True,
        width="stretch",
        disabled=["header", "example"],
        num_rows="fixed",
        column_config={
            "header": st.column_config.TextColumn("Header in the file"),
            "column": st.column_config.SelectboxColumn(
                "Takt column", options=column_options(kind), required=True
            ),
            "example": st.column_config.TextColumn("First value"),
        },
    )
    mapping = mapping_from_frame(edited)
    inspection = entry["inspection"]
    if (
        inspection is None
        or inspection.kind != kind
        or not same_mapping(mapping, inspection.mapping)
    ):
        reinspect(entry, kind, mapping)
    return mapping


def show_format(inspection) -> None:
    """Encoding, delimiter, number and date format, size: what the importer detected."""
    st.dataframe(
        format_frame(inspection),
        hide_index=True,
        width="stretch",
        column_config={
            "what": st.column_config.TextColumn("Detected", width="small"),
            "value": st.column_config.TextColumn("As", width="medium"),
        },
    )


def show_findings(inspection, mapping: dict[str, str]) -> None:
    """What blocks the import (a column mapped twice, one missing) and what it will ignore."""
    twice = doubly_mapped(mapping)
    if twice:
        notice(
            "error",
            "Each Takt column takes one header only. Mapped more than once:",
            "\n".join(f"{column}: {', '.join(headers)}" for column, headers in twice.items()),
        )
    if inspection.missing:
        names = ", ".join(f"`{c}`" for c in inspection.missing)
        st.error(
            f"Required columns not mapped: {names}. Map a header to each of them above, "
            "or choose another table.",
            icon=":material/error:",
        )
    if inspection.unknown_headers:
        n = len(inspection.unknown_headers)
        headline = (
            "1 column of the file is not used and will be ignored:"
            if n == 1
            else f"{n} columns of the file are not used and will be ignored:"
        )
        notice("warning", headline, ", ".join(inspection.unknown_headers))
    notes = [w for w in inspection.warnings if not w.startswith("ignored columns:")]
    if notes:
        notice("warning", "Notes on how the file was read:", "\n".join(notes))
