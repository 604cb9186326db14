"""What an inspection or an import tells its caller: plain data, shared by CLI and pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class ImportRefused(Exception):
    """A whole file is refused. The message names the file and, where known, line and column."""

    def __init__(self, file: str, reason: str, line: int | None = None, column: str | None = None):
        self.file, self.reason, self.line, self.column = file, reason, line, column
        where = file
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")


@dataclass
class RowError:
    line: int
    column: str | None
    value: str | None
    reason: str


@dataclass
class Inspection:
    """What the importer found out about a file before importing it."""

    file: str
    size: int
    sha256: str
    encoding: str
    delimiter: str
    decimal_comma: bool
    headers: list[str]
    kind: str | None
    mapping: dict[str, str | None]  # header -> canonical column (None: ignored)
    missing: list[str]  # required canonical columns no header maps to
    unknown_headers: list[str]
    date_order: str | None  # "iso", "dayfirst", "monthfirst", "ambiguous" or None
    preview: list[list[str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    profile: object = None  # the ERP export recognised (ingest.profiles.Profile), if any
    snapshot_date: object = None  # the date given for a stock export that carries none

    @property
    def needs_snapshot_date(self) -> bool:
        """A stock export without dates (SAP MB52, Odoo quants, BC item ledger): the date
        the stock was exported must be given; it is never taken to be today."""
        return getattr(self.profile, "snapshot_date", "") == "given"

    @property
    def delimiter_name(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(
            self.delimiter, repr(self.delimiter)
        )


@dataclass
class ImportReport:
    file: str
    kind: str | None
    status: str  # "imported", "refused" or "duplicate"
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0  # part of `updated`: keys that existed with identical values
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out by the export's rules
    # rows the import also wrote to another table: {"defects_added": 1, ...} (rejected qty)
    also: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str = ""
    import_id: int | None = None
    first_imported_at: str | None = None
    needs_date_order: bool = False  # refused only because every date is ambiguous
    inspection: Inspection | None = None

    def to_json(self) -> dict:
        """The CLI's --json object: the contract keys first, then details."""
        return {
            "file": self.file,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "inserted": self.inserted,
            "updated": self.updated,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "also": self.also,
            "errors": [asdict(e) for e in self.errors],
            "status": self.status,
            "unchanged": self.unchanged,
            "import_id": self.import_id,
            "message": self.message,
            "warnings": self.warnings,
        }
