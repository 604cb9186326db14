"""The Data page: upload ERP exports, check how they were read, import, review and undo.

UI only: the importer (`analytics.ingest`) decides everything, `analytics.uploads` shapes what
is shown. Text that came from a user's file (names, headers, values, messages quoting them)
is only ever shown through st.text or st.dataframe, never as markdown. Viewers and
read-only serving see the history only; every write goes through `ui.writes`, which checks
the role again on the server.
"""

import re
import uuid
from pathlib import Path

import streamlit as st

from analytics.export import to_csv_bytes
from analytics.ingest import ImportRefused, inspect_file
from analytics.ingest.uploads import (
    DATE_ORDERS,
    column_options,
    doubly_mapped,
    download_name,
    errors_frame,
    format_frame,
    kind_label,
    mapping_frame,
    mapping_from_frame,
    needs_date_choice,
    preview_frame,
    rejected_rows,
    report_counts,
    same_mapping,
)
from analytics.store.schema import TABLES
from ui.auth import can_edit, gate, read_only_notice
from ui.cache import store as cache_store
from ui.data import notices
from ui.data.history import import_history
from ui.data.notices import notice
from ui.data.reload_demo import demo_form
from ui.data.rollups import served_rollups
from ui.writes import EditRefused, import_file, save_upload

gate()  # nothing below runs for a visitor who may not see the data
store = cache_store()
state = st.session_state
state.setdefault("staged", {})  # staged id -> what we know about one uploaded file
state.setdefault("uploader_n", 0)
notices.init_state()


def stage_uploads(files) -> None:
    """Write each upload to disk at once, inspect it, then drop the widget's in-memory copy."""
    for f in files:
        entry = {
            "name": f.name,
            "path": None,
            "base": None,
            "inspection": None,
            "error": None,
            "report": None,
            "rejected_csv": None,
        }
        try:
            path = save_upload(store, f.name, f.getvalue())
            entry["path"] = str(path)
            with st.spinner("Reading the file…"):
                entry["inspection"] = entry["base"] = inspect_file(path, display_name=f.name)
        except (ImportRefused, EditRefused) as exc:
            entry["error"] = str(exc)
            entry["kind_unknown"] = entry["path"] is not None and readable(entry)
        state.staged[uuid.uuid4().hex[:10]] = entry
    state.uploader_n += 1  # a new key empties the uploader
    st.rerun()


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


def choose_kind(sid: str, entry: dict) -> str:
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


def show_findings(inspection, mapping: dict[str, str]) -> None:
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


def choose_date_order(sid: str, entry: dict) -> str | None:
    if not needs_date_choice(entry["inspection"], entry["report"]):
        return None
    return st.radio(
        "Dates such as 01/02/2024 cannot tell day from month. They are written…",
        list(DATE_ORDERS),
        format_func=DATE_ORDERS.get,
        index=None,
        horizontal=True,
        key=f"dates-{sid}",
    )


def progress_text(fraction: float, text: str) -> str:
    """The importer's stage name when it is plain words; never user text as markdown."""
    stage = text if re.fullmatch(r"[A-Za-z ,.…]{1,60}", text or "") else "Importing"
    return f"{stage}… {fraction:.0%}"


def run_import(entry: dict, kind: str, mapping: dict, date_order: str | None) -> None:
    bar = st.progress(0.0, text="Importing… 0%")

    def progress(fraction: float, text: str) -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        bar.progress(fraction, text=progress_text(fraction, text))

    try:
        report = import_file(
            store,
            entry["path"],
            display_name=entry["name"],
            kind=kind,
            mapping=mapping,
            date_order=date_order,
            progress=progress,
        )
    except EditRefused as exc:
        bar.empty()
        notice("error", "Nothing was imported.", str(exc))
        return
    entry["report"] = report
    entry["rejected_csv"] = None
    if report.errors:
        frame = rejected_rows(entry["path"], entry["inspection"], report.errors)
        entry["rejected_csv"] = to_csv_bytes(frame)
    st.cache_data.clear()
    st.rerun()


def show_report(sid: str, entry: dict) -> None:
    report = entry["report"]
    if report.status == "imported":
        notice("success", f"Imported as import #{report.import_id}.")
    elif report.status == "duplicate":
        notice("info", "Already imported: nothing changed.", report.message)
    else:
        notice("error", "The file was refused: nothing was imported.", report.message)
    if report.status != "refused":
        for column, (label, value) in zip(
            st.columns(4), report_counts(report).items(), strict=True
        ):
            column.metric(
                label,
                f"{value:,}",
                help=f"{report.unchanged:,} of them already had these values"
                if label == "Updated"
                else None,
            )
    shown = set(entry["inspection"].warnings) if entry["inspection"] else set()
    warnings = [w for w in report.warnings if w not in shown]
    if warnings:
        notice("warning", "Warnings:", "\n".join(warnings))
    if report.errors:
        st.dataframe(
            errors_frame(report.errors),
            hide_index=True,
            width="stretch",
            column_config={
                "line": st.column_config.NumberColumn("Line", format="%d", width="small"),
                "column": st.column_config.TextColumn("Column", width="small"),
                "value": st.column_config.TextColumn("Value", width="small"),
                "reason": st.column_config.TextColumn("Reason", width="large"),
            },
        )
    if entry["rejected_csv"]:
        st.download_button(
            "Download the rejected rows (CSV)",
            entry["rejected_csv"],
            file_name=download_name(entry["name"]),
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key=f"rejected-{sid}",
        )


def remove(sid: str) -> None:
    entry = state.staged.pop(sid)
    if entry["path"]:
        Path(entry["path"]).unlink(missing_ok=True)


def unreadable(sid: str, entry: dict) -> None:
    """A refused file; when only its table was unknown, let the user name the table."""
    if not entry.get("kind_unknown"):
        notice("error", "This file cannot be read.", entry["error"])
        return
    notice("warning", "Which table does this file fill? Its headers did not say.", entry["error"])
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


def staged_file(sid: str, entry: dict) -> None:
    with st.container(border=True):
        name_col, remove_col = st.columns([5, 1], vertical_alignment="center")
        name_col.text(entry["name"])
        remove_col.button(
            "Remove",
            key=f"remove-{sid}",
            on_click=remove,
            args=(sid,),
            icon=":material/close:",
            width="stretch",
        )
        if entry["base"] is None:
            unreadable(sid, entry)
            return
        entry["error"] = None  # recomputed below whenever the choices changed
        left, right = st.columns([2, 3], gap="medium")
        with left:
            kind = choose_kind(sid, entry)
        if kind is None:
            st.info("Choose the table this file fills.")
            return
        if entry["base"].kind != kind:
            notice("error", "The file cannot be read as this table.", entry["error"])
            return
        with right:
            mapping = edit_mapping(sid, entry, kind)
        if entry["error"]:
            notice("error", "This mapping cannot be used.", entry["error"])
            return
        inspection = entry["inspection"]
        with left:
            st.dataframe(
                format_frame(inspection),
                hide_index=True,
                width="stretch",
                column_config={
                    "what": st.column_config.TextColumn("Detected", width="small"),
                    "value": st.column_config.TextColumn("As", width="medium"),
                },
            )
        show_findings(inspection, mapping)
        with st.expander("Preview of the first rows"):
            st.dataframe(preview_frame(inspection), hide_index=True, width="stretch")
        date_order = choose_date_order(sid, entry)
        blocked = (
            bool(inspection.missing)
            or bool(doubly_mapped(mapping))
            or (needs_date_choice(inspection, entry["report"]) and date_order is None)
        )
        if st.button(
            "Import",
            key=f"import-{sid}",
            type="primary",
            disabled=blocked,
            icon=":material/upload:",
        ):
            run_import(entry, kind, mapping, date_order)
        if entry["report"] is not None:
            show_report(sid, entry)


st.title("Data")
editable = can_edit()
if editable:
    st.write(
        "Import CSV exports from your ERP: supplier deliveries, customer orders, defects, "
        "inventory snapshots and the item master. Check how each file was read, then import "
        "it. Every import can be undone."
    )
    uploads = st.file_uploader(
        "CSV files",
        type=["csv", "txt", "tsv"],
        accept_multiple_files=True,
        key=f"uploader-{state.uploader_n}",
    )
    if uploads:
        stage_uploads(uploads)
    for sid, entry in list(state.staged.items()):
        staged_file(sid, entry)
else:
    read_only_notice()
if store.read_only:
    served_rollups(store)
else:
    if not editable:
        st.write("What was imported, when, and how each file was read.")
    import_history(store, editable)
if editable:
    demo_form(store)
