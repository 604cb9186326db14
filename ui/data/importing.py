"""The import itself: the date order if the file needs one, the snapshot date of a stock
export that carries none, the Import button, its progress, and the report it leaves on the
staged file's card.

The report is kept in the staged entry, so it stays under its file across reruns until the
file is removed; the rejected rows are made into a CSV once, at import, for the download.
"""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from analytics.export import to_csv_bytes
from analytics.ingest.uploads import (
    DATE_ORDERS,
    doubly_mapped,
    download_name,
    errors_frame,
    needs_date_choice,
    rejected_rows,
    report_counts,
    same_mapping,
)
from analytics.store.connection import Store
from ui.data.notices import notice
from ui.writes import EditRefused, import_file, refresh_forecasts

DRY_RUN_NOTE = "Nothing was written; the counts below are what an import now would give."


def import_form(store: Store, sid: str, entry: dict, kind: str, mapping: dict) -> None:
    """The date order when asked for, the Import button (blocked while the choices cannot
    be imported), and the report of the last import of this file."""
    inspection = entry["inspection"]
    date_order = choose_date_order(sid, entry)
    snapshot_date = choose_snapshot_date(sid, inspection)
    blocked = (
        bool(inspection.missing)
        or bool(doubly_mapped(mapping))
        or (needs_date_choice(inspection, entry["report"]) and date_order is None)
        or (inspection.needs_snapshot_date and snapshot_date is None)
    )
    with st.container(horizontal=True):
        do_import = st.button(
            "Import",
            key=f"import-{sid}",
            type="primary",
            disabled=blocked,
            icon=":material/upload:",
        )
        check = st.button(
            "Check without importing",
            key=f"check-{sid}",
            disabled=blocked,
            icon=":material/fact_check:",
            help="A dry run: reads and checks every row as Import would, writes nothing",
        )
    if do_import or check:
        run_import(store, entry, kind, mapping, date_order, snapshot_date, dry_run=check)
    if entry["report"] is not None:
        show_report(sid, entry)


def choose_date_order(sid: str, entry: dict) -> str | None:
    """Day or month first, asked only when the file's dates cannot tell."""
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


def choose_snapshot_date(sid: str, inspection) -> date | None:
    """The day a stock export without dates was taken, asked for; never assumed to be today."""
    if not inspection.needs_snapshot_date:
        return None
    return st.date_input(
        "This stock list carries no date. On which day was it exported?",
        value=None,
        max_value=date.today(),
        format="YYYY-MM-DD",
        key=f"snapshot-{sid}",
    )


def progress_text(fraction: float, text: str) -> str:
    """The importer's stage name when it is plain words; never user text as markdown."""
    stage = text if re.fullmatch(r"[A-Za-z ,.…]{1,60}", text or "") else "Importing"
    return f"{stage}… {fraction:.0%}"


def run_import(
    store: Store,
    entry: dict,
    kind: str,
    mapping: dict,
    date_order: str | None,
    snapshot_date=None,
    dry_run: bool = False,
) -> None:
    """Import through `ui.writes`, keep the report in the entry, and rerun on fresh data.
    A dry run reads and checks the whole file the same way and writes nothing."""
    bar = st.progress(0.0, text="Checking… 0%" if dry_run else "Importing… 0%")

    def progress(fraction: float, text: str) -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        bar.progress(fraction, text=progress_text(fraction, text))

    if same_mapping(mapping, entry["base"].mapping):
        mapping = None  # as detected: a recognised export keeps its own rules (ingest.profiles)
    try:
        report = import_file(
            store,
            entry["path"],
            display_name=entry["name"],
            kind=kind,
            mapping=mapping,
            date_order=date_order,
            progress=progress,
            snapshot_date=snapshot_date,
            dry_run=dry_run,
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
    if not dry_run and report.status == "imported":
        with st.spinner("Updating the demand forecasts of the skus whose orders changed…"):
            refresh_forecasts(store)
    if not dry_run:
        st.cache_data.clear()
    st.rerun()


def show_report(sid: str, entry: dict) -> None:
    """The outcome, its counts, warnings not shown before, the rejected rows to download."""
    report = entry["report"]
    if report.status == "imported":
        notice("success", f"Imported as import #{report.import_id}.")
    elif report.status == "dry run":
        notice("info", "Checked without importing: this is what Import would do.", DRY_RUN_NOTE)
    elif report.status == "duplicate":
        notice("info", "Already imported: nothing changed.", report.message)
    else:
        notice("error", "The file was refused: nothing was imported.", report.message)
    if report.status != "refused":
        show_counts(report)
    shown = set(entry["inspection"].warnings) if entry["inspection"] else set()
    warnings = [w for w in report.warnings if w not in shown]
    if warnings:
        notice("warning", "Warnings:", "\n".join(warnings))
    if report.errors:
        show_errors(report.errors)
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


def show_counts(report) -> None:
    """Read, inserted, updated, rejected side by side; "Updated" says how many were the same."""
    for column, (label, value) in zip(st.columns(4), report_counts(report).items(), strict=True):
        column.metric(
            label,
            f"{value:,}",
            help=f"{report.unchanged:,} of them already had these values"
            if label.endswith(("Updated", "update"))
            else None,
        )
    for reason, count in report.skipped.items():
        st.caption(f"Skipped {count:,} rows, as the export's own rules say: {reason}.")
    if report.also:  # a receipt's rejected quantity, written as a receiving defect
        done = ", ".join(f"{what.replace('_', ' ')} {n:,}" for what, n in report.also.items())
        st.caption(f"From the same rows: {done}.")


def show_errors(errors) -> None:
    """One row per rejected value: the line of the file, the column, the value, the reason."""
    st.dataframe(
        errors_frame(errors),
        hide_index=True,
        width="stretch",
        column_config={
            "line": st.column_config.NumberColumn("Line", format="%d", width="small"),
            "column": st.column_config.TextColumn("Column", width="small"),
            "value": st.column_config.TextColumn("Value", width="small"),
            "reason": st.column_config.TextColumn("Reason", width="large"),
        },
    )
