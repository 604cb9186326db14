"""The standard exports of the common ERPs, recognised by their headers and read as meant.

A profile is data, not code: the ERP and export it describes, the table it fills, the
headers that identify it (its signature: all must be present, compared as the mapping
compares headers, so case, spacing and punctuation do not matter) and what each of its
headers means. A repeated header is named by its position (`Item (2)` is the second
`Item`, see `reader.unique_headers`). Adding an export is adding an entry to `exports.PROFILES`;
docs/erp-exports.md lists them with the menu path that produces each. This module says what
a profile is; `exports` holds the profiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from analytics.ingest.mapping import normalise

LINE = "#line"  # a column filled with the line's position within its document
GIVEN, LATEST = "given", "latest"  # where an inventory snapshot's date comes from
SNAPSHOT = "date"  # the inventory column the snapshot date fills
ATTACHED = ("supplier", "sku", "order_date", "promised_date", "ordered_qty", "unit_cost", "site")


@dataclass(frozen=True)
class Keep:
    """Rows whose `header` holds one of `values` are read; the others are skipped, counted
    under `reason` (movements that are not receipts, quotes, comment lines, totals). No
    values: the header must not be blank. `also`: further headers, any of which may hold
    one of the values (a move is a vendor's when either of its locations is the vendor's)."""

    header: str
    values: tuple[str, ...]
    reason: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatePlus:
    date: str  # the header of the date
    days: str  # the header of the days (a duration: '17d')
    when: str  # the header that must hold one of `values`
    values: tuple[str, ...]


@dataclass(frozen=True)
class Continues:
    """A row whose `key` header is blank, and every other header but `header` too, is not a
    row of its own: its `header` value is appended to the row above with `sep` (Odoo
    exports a record's second many2many tag on a row of its own)."""

    key: str
    header: str
    sep: str = ", "


@dataclass(frozen=True)
class AlsoDefect:
    """A receipt's quantity that is also a defect when above zero (ERPNext's Rejected
    Quantity): written by the same import as the receipt, with the receipt's date, sku,
    supplier, PO and site, and an id made of the receipt's key and `tag`, so a receipt
    imported again does not count it twice."""

    qty: str  # the header of the quantity
    stage: str = "receiving"
    cause: str = "rejected at receipt"
    tag: str = "rejected"


@dataclass(frozen=True)
class Profile:
    erp: str
    export: str  # the list or report, as the ERP names it
    kind: str  # the canonical table it fills
    columns: dict[str, str]  # header as exported -> canonical column (or LINE -> column)
    signature: tuple[str, ...] = ()  # headers that identify it; default: every mapped one
    keep: tuple[Keep, ...] = ()
    fill_down: tuple[str, ...] = ()  # blank cells repeat the row above (continuation rows)
    line_of: str = ""  # the document header whose rows LINE numbers 1, 2, ...
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # header: {value: meaning}
    cut: dict[str, str] = field(default_factory=dict)  # header: text before this separator
    or_else: dict[str, str] = field(default_factory=dict)  # header: header read when blank
    durations: tuple[str, ...] = ()  # date formulas "2W", "10D", "1M" -> days
    negate: dict[str, tuple[str, str]] = field(default_factory=dict)  # header: (when, value)
    date_order: str | None = None  # "monthfirst" for exports that write M/D/YYYY
    per: dict[str, str] = field(default_factory=dict)  # column -> header of its price unit
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> headers, '/'
    # Receipts only: each row attaches to a PO line already stored or in the same load,
    # which gives it what a receipt does not carry (ATTACHED); by line, or by sku when
    # the export has no line number.
    attach_by: tuple[str, ...] = ()  # ("po_number", "po_line") or ("po_number", "sku")
    # column -> a date plus a number of days, read only where a header holds given values:
    # ERPNext's ship date is the order date plus "Time Taken to Deliver", once delivered
    date_plus: dict[str, DatePlus] = field(default_factory=dict)
    unsupported: str = ""  # recognised, but not read yet: why (the file is refused)
    source: str = ""  # where the headers were taken from
    # Stock exports that are not one snapshot row per line (`snapshots`, docs/metrics.md):
    # the snapshot date is GIVEN by the user (the file has none) or the file's LATEST date;
    # a column is the sum of several headers, or a value divided by a quantity (unknown
    # when the quantity is 0); a ledger's lines of one key become one row, each column
    # the "sum" of its lines or the "last" line's (by date, then file position).
    snapshot_date: str = ""  # GIVEN or LATEST
    sums: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> headers
    ratios: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (value, qty)
    per_key: dict[str, str] = field(default_factory=dict)  # column -> "sum" or "last"
    continues: Continues | None = None
    # column -> value: fills a column the export lacks, or a header's blank cells
    defaults: dict[str, str] = field(default_factory=dict)
    also_defect: AlsoDefect | None = None

    @property
    def name(self) -> str:
        return f"{self.erp} {self.export}"

    @property
    def identifying(self) -> tuple[str, ...]:
        return self.signature or tuple(self.columns)

    @property
    def rule_headers(self) -> set[str]:
        """Headers the profile reads for its rules, though they fill no column."""
        return {
            *(k.header for k in self.keep),
            *(h for k in self.keep for h in k.also),
            *(when for when, _ in self.negate.values()),
            *self.or_else.values(),
            *self.per.values(),
            *(h for hs in self.joined.values() for h in hs),
            *(h for d in self.date_plus.values() for h in (d.date, d.days, d.when)),
            *([self.line_of] if self.line_of else []),
            *(h for hs in (*self.sums.values(), *self.ratios.values()) for h in hs),
            *((self.continues.key, self.continues.header) if self.continues else ()),
            *([self.also_defect.qty] if self.also_defect else []),
        }

    @property
    def computed(self) -> set[str]:
        """Columns filled from several headers, or from outside the file (a given date)."""
        return {*self.sums, *self.ratios, *([SNAPSHOT] if self.snapshot_date == GIVEN else [])}


def as_in_file(profile: Profile, present: dict[str, str], columns: dict[str, str]) -> Profile:
    """The profile with the file's own spelling of each header it names."""

    def own(header: str) -> str:
        return present.get(normalise(header), header)

    if LINE in profile.columns:
        columns[LINE] = profile.columns[LINE]
    return replace(
        profile,
        columns=columns,
        signature=profile.identifying,
        keep=tuple(
            replace(k, header=own(k.header), also=tuple(own(h) for h in k.also))
            for k in profile.keep
        ),
        negate={own(h): (own(when), value) for h, (when, value) in profile.negate.items()},
        fill_down=tuple(own(h) for h in profile.fill_down),
        line_of=own(profile.line_of) if profile.line_of else "",
        values={own(h): v for h, v in profile.values.items()},
        cut={own(h): sep for h, sep in profile.cut.items()},
        or_else={own(h): own(o) for h, o in profile.or_else.items()},
        durations=tuple(own(h) for h in profile.durations),
        per={c: own(h) for c, h in profile.per.items()},
        joined={c: tuple(own(h) for h in hs) for c, hs in profile.joined.items()},
        date_plus={
            c: DatePlus(own(d.date), own(d.days), own(d.when), d.values)
            for c, d in profile.date_plus.items()
        },
        sums={c: tuple(own(h) for h in hs) for c, hs in profile.sums.items()},
        ratios={c: (own(v), own(q)) for c, (v, q) in profile.ratios.items()},
        continues=(
            replace(profile.continues, key=own(c.key), header=own(c.header))
            if (c := profile.continues)
            else None
        ),
        also_defect=(
            replace(profile.also_defect, qty=own(profile.also_defect.qty))
            if profile.also_defect
            else None
        ),
    )
