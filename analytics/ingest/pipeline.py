"""One file in, one transaction: stage as text, type, check, then upsert on the natural key.

The order of work: open and sniff the file (reader), map its headers (mapping), stage
every record as text with DuckDB's reader given an explicit dialect, decide the date order
and number format from the values, cast and check in SQL (validate), and upsert the
accepted rows with their history (store). Nothing is written before the last step, and the
last step is one transaction.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import duckdb

from analytics.ingest import clean, formats, lines, rejections, rules, snapshots, upsert
from analytics.ingest.cast import (
    decide_decimal_comma,
    typed_query,
)
from analytics.ingest.checks import column_checks, rule_checks
from analytics.ingest.detect import resolve_mapping
from analytics.ingest.exports import matching_profiles
from analytics.ingest.reader import MAX_LINE_BYTES, head_headers, open_csv
from analytics.ingest.results import ImportRefused, ImportReport, Inspection, RowError
from analytics.models import materialize
from analytics.store.connection import retry_conflicts
from analytics.store.schema import DATE, NUMBER, TABLES

MAX_REPORTED_ERRORS = 10_000


def inspect_file(path, *, display_name=None, kind=None, mapping=None):
    """Everything the Data page shows before an import; reads only the file's head."""
    name = display_name or Path(path).name
    csv_file = open_csv(Path(path), name, Path(path).parent)
    try:
        return _inspection(csv_file, name, kind, mapping)
    finally:
        if csv_file.path != Path(path):
            csv_file.path.unlink(missing_ok=True)


def _inspection(csv_file, name, kind, mapping) -> Inspection:
    kind, resolved, missing, unknown, warnings, profile = resolve_mapping(
        name, csv_file.headers, kind, mapping, csv_file.sample
    )
    positions = {h: i for i, h in enumerate(csv_file.headers)}
    table = TABLES[kind]
    numbers = [
        r[positions[h]]
        for r in csv_file.sample
        for h, c in resolved.items()
        if c and table.column(c).type == NUMBER and positions[h] < len(r)
    ]
    dates = [
        r[positions[h]].strip()
        for r in csv_file.sample
        for h, c in resolved.items()
        if c and table.column(c).type == DATE and positions[h] < len(r)
    ]
    if unknown:
        warnings.append(f"ignored columns: {', '.join(unknown)}")
    return Inspection(
        file=name,
        size=csv_file.size,
        sha256=csv_file.sha256,
        encoding=csv_file.encoding,
        delimiter=csv_file.delimiter,
        decimal_comma=decide_decimal_comma(numbers, csv_file.delimiter),
        headers=csv_file.headers,
        kind=kind,
        mapping=resolved,
        missing=missing,
        unknown_headers=unknown,
        date_order=formats.sample_date_order(dates),
        preview=csv_file.sample[:20],
        warnings=warnings,
        profile=profile,
    )


def load_order(paths: list[Path]) -> list[Path]:
    """The files of one load in the order they can be read: receipts-only exports after the
    purchase-order lines they attach to, whatever order they were given in. Only the headers
    are read (the import reads each file fully anyway)."""

    def attaches(path: Path) -> bool:
        try:
            found = matching_profiles(head_headers(path))  # the first is what detection reads
        except (ImportRefused, OSError, UnicodeError):
            return False
        return bool(found and found[0].attach_by)

    return sorted(paths, key=attaches)


def import_file(
    store_,
    path,
    *,
    display_name=None,
    kind=None,
    mapping=None,
    date_order=None,
    today=None,
    progress=None,
    refresh_marts=True,
    dry_run=False,
    snapshot_date=None,
) -> ImportReport:
    """Import one file; a refused file comes back as a report with status 'refused'.

    With refresh_marts the stored per-line facts are rebuilt after a successful import;
    a caller importing several files at once passes False and refreshes once at the end.
    `snapshot_date` is the date of a stock export that carries none (SAP MB52, Odoo quants,
    BC item ledger entries); without it such a file is refused, never dated today.
    """
    name = display_name or Path(path).name
    progress = progress or (lambda fraction, text: None)
    options = (kind, mapping, date_order, today or date.today(), progress, dry_run, snapshot_date)
    try:
        with store_.writer() as cur:
            report = retry_conflicts(lambda: _import(cur, store_, Path(path), name, *options))
            if refresh_marts and report.status == "imported" and not dry_run:
                _refresh_marts(cur, report)
            return report
    except ImportRefused as exc:
        return ImportReport(
            file=name,
            kind=kind,
            status="refused",
            message=str(exc),
            needs_date_order=getattr(exc, "needs_date_order", False),
        )
    except duckdb.OutOfMemoryException:
        # Its transaction was rolled back and its temporary tables dropped: nothing stays.
        return ImportReport(
            file=name,
            kind=kind,
            status="refused",
            message=f"{name}: importing it needs more memory than the database may use "
            f"(the memory limit is {store_.memory_limit}); nothing was imported. Split the file "
            "or raise the limit",
        )


def _refresh_marts(cur, report) -> None:
    """The import is committed; stale marts only make pages slower (they fall back to the
    tables), so a refresh that keeps conflicting or runs out of memory is reported as a
    warning, not raised."""
    try:
        retry_conflicts(lambda: materialize.refresh(cur))
    except (duckdb.TransactionException, duckdb.OutOfMemoryException) as exc:
        report.warnings.append(
            f"the stored per-line facts were not rebuilt ({str(exc).splitlines()[0]}); "
            "figures are computed from the tables until the next write"
        )


def _import(cur, store_, path, name, kind, mapping, date_order, today, progress, *more):
    progress(0.02, "Reading the file")
    csv_file = open_csv(path, name, store_.spool_dir, store_.max_import_bytes)
    try:
        return _checked_import(
            cur, store_, csv_file, name, kind, mapping, date_order, today, progress, *more
        )
    finally:
        if csv_file.path != path:
            csv_file.path.unlink(missing_ok=True)


def _checked_import(
    cur, store_, csv_file, name, kind, mapping, date_order, today, progress, dry_run, snapshot_date
):
    inspection = _inspection(csv_file, name, kind, mapping)
    inspection.snapshot_date = snapshot_date
    if inspection.missing:
        raise ImportRefused(
            name,
            f"missing required columns for {inspection.kind}: "
            f"{', '.join(inspection.missing)} (found headers: "
            f"{', '.join(inspection.headers)})",
        )
    if undated := snapshots.snapshot_refusal(inspection.profile, snapshot_date):
        raise ImportRefused(name, undated)
    earlier = upsert.already_imported(cur, inspection.sha256)
    if earlier:
        return ImportReport(
            file=name,
            kind=inspection.kind,
            status="duplicate",
            import_id=earlier[0],
            first_imported_at=str(earlier[1]),
            message=f"{name}: already imported on {earlier[1]:%Y-%m-%d %H:%M} "
            f"as import #{earlier[0]}; nothing changed",
            inspection=inspection,
        )
    tag = uuid.uuid4().hex[:12]
    progress(0.1, "Staging the rows")
    if inspection.profile is None:
        options = (date_order, today, progress, tag, dry_run)
        try:
            report = _clean_import(cur, csv_file.path, name, inspection, *options)
        finally:  # the text path starts from nothing of this attempt
            lines.drop_temp(cur, tag)
        if report is not None:
            return report
    staged_path = csv_file.path
    try:
        staged_path, rejects = lines.stage_file(
            cur,
            tag,
            csv_file.path,
            name,
            inspection.delimiter,
            len(inspection.headers),
            MAX_LINE_BYTES,
            store_.spool_dir,
            inspection.warnings,
        )
        return _load(
            cur, staged_path, name, inspection, date_order, today, progress, tag, rejects, dry_run
        )
    finally:
        lines.drop_temp(cur, tag)
        if staged_path != csv_file.path:
            staged_path.unlink(missing_ok=True)


def _clean_import(cur, path, name, inspection, date_order, today, progress, tag, dry_run):
    """The import of a file without an export profile in one typed pass (`ingest.clean`);
    None when the text path must read it. The caller drops its temporary tables."""
    sources = {c: f"c{inspection.headers.index(h)}" for h, c in inspection.mapping.items() if c}
    rows_read = clean.read_typed(cur, tag, path, inspection, sources, MAX_LINE_BYTES)
    if not rows_read:
        return None
    kind, mapped = inspection.kind, set(sources)
    progress(0.45, "Validating the rows")
    upsert.apply_defaults(cur, kind, f"typed_{tag}", mapped)
    checks = column_checks(kind, mapped) + rule_checks(kind, mapped, today)
    upsert.find_errors(cur, kind, tag, checks)
    if clean.has_errors(cur, tag):
        return None
    inspection.decimal_comma = False
    if (order := clean.date_order(date_order)) != "iso":
        inspection.date_order = order
    progress(0.7, "Writing to the database")
    counts = upsert.upsert(
        cur,
        kind,
        tag,
        name,
        inspection,
        False,
        inspection.date_order,
        rows_read,
        [],
        dry_run=dry_run,
    )
    report = _report(name, kind, inspection, rows_read, counts, [], path, cur, tag)
    progress(1.0, "Done")
    return report


def _load(cur, csv_path, name, inspection, date_order, today, progress, tag, rejects, dry_run):
    staged = cur.execute(f"SELECT count(*) FROM stg_{tag}").fetchone()[0]
    if staged + len(rejects) == 0:
        raise ImportRefused(name, "no data rows: the file has a header only")
    kind, table = inspection.kind, TABLES[inspection.kind]
    sources = {c: f"c{inspection.headers.index(h)}" for h, c in inspection.mapping.items() if c}
    skipped: dict[str, int] = {}
    keep, joined = "", 0
    profile = inspection.profile
    if profile is not None:
        sources.update(rules.apply(cur, f"stg_{tag}", profile, inspection.headers))
        skipped, joined = rules.skipped(cur, f"stg_{tag}"), rules.joined(cur, f"stg_{tag}")
        keep = f" WHERE {rules.SKIP} IS NULL"
        date_order = date_order or profile.date_order
    rows_read = staged - sum(skipped.values()) - joined + len(rejects)
    progress(0.35, "Checking formats")
    date_order = formats.decide_dates(cur, tag, name, table, sources, date_order)
    decimal_comma = formats.decide_numbers(cur, tag, table, sources, inspection)
    inspection.decimal_comma = decimal_comma
    if date_order != "iso":
        inspection.date_order = date_order
    progress(0.45, "Validating the rows")
    staged = f"(SELECT * FROM (SELECT rowid + 1 AS ord, * FROM stg_{tag}){keep})"
    cur.execute(
        f"CREATE TEMP TABLE typed_{tag} AS "
        + typed_query(kind, sources, decimal_comma, date_order, staged)
    )
    derived, mapped = [], set(sources)
    if profile is not None:
        rules.per_unit(cur, f"typed_{tag}", f"stg_{tag}", profile, inspection.headers)
        derived = snapshots.derive(cur, tag, inspection, decimal_comma)
        mapped |= profile.computed
    also = rejections.read_quantity(cur, tag, profile, inspection.headers, decimal_comma)
    cur.execute(f"DROP TABLE stg_{tag}")
    upsert.apply_defaults(cur, kind, f"typed_{tag}", mapped)
    checks = column_checks(kind, mapped) + derived
    ruled = set(mapped)
    if inspection.profile is not None and inspection.profile.attach_by:
        rules.attach(cur, f"typed_{tag}", inspection.profile)
        checks.insert(0, ("po_number", "NOT takt_attached", rules.UNKNOWN_LINE))
        ruled |= set(rules.attached_columns(inspection.profile))
    checks += rule_checks(kind, ruled, today)
    if profile is not None and profile.per_key:  # a ledger: its lines of one key are one row
        checks = snapshots.aggregate(cur, tag, kind, profile, checks)
    upsert.find_errors(cur, kind, tag, checks)
    if profile is not None and profile.per_key:
        snapshots.add_line_errors(cur, tag)
    if also:
        rejections.find_errors(cur, tag, profile)
    progress(0.7, "Writing to the database")
    counts = upsert.upsert(
        cur,
        kind,
        tag,
        name,
        inspection,
        decimal_comma,
        inspection.date_order,
        rows_read,
        rejects,
        dry_run=dry_run,
        also=rejections.writer(tag, profile) if also else None,
    )
    progress(0.95, "Reporting")
    report = _report(name, kind, inspection, rows_read, counts, rejects, csv_path, cur, tag)
    report.skipped, report.also = skipped, counts["also"]
    if skipped:
        report.message += "; skipped " + "; ".join(f"{n} ({why})" for why, n in skipped.items())
    if joined:
        report.message += f"; {joined} continuation rows joined to the row above"
    progress(1.0, "Done")
    return report


def _report(name, kind, inspection, rows_read, counts, rejects, csv_path, cur, tag):
    header_of = snapshots.shown_as(inspection.profile, inspection.headers)
    header_of.update({c: h for h, c in inspection.mapping.items() if c})
    errors = [
        (o, header_of.get(c, c), v, r)
        for o, c, v, r in upsert.error_rows(cur, tag, MAX_REPORTED_ERRORS)
    ]
    located = lines.locate(
        cur,
        tag,
        csv_path,
        inspection.delimiter,
        inspection.headers,
        errors,
        rejects,
        MAX_REPORTED_ERRORS,
    )
    rejected = counts["rejected"]
    report = ImportReport(
        file=name,
        kind=kind,
        status=counts["status"],
        rows_read=rows_read,
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rejected=rejected,
        errors=[RowError(*e) for e in located],
        import_id=counts["import_id"],
        warnings=list(inspection.warnings),
        inspection=inspection,
        message=counts["message"],
    )
    if rejected > len(report.errors):
        report.warnings.append(f"only the first {len(report.errors)} of the rejections are listed")
    return report


__all__ = ["import_file", "inspect_file", "load_order"]
