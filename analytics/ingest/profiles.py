"""The standard exports of the common ERPs, recognised by their headers and read as meant.

A profile is data, not code: the ERP and export it describes, the table it fills, the
headers that identify it (its signature: all must be present, compared as the mapping
compares headers, so case, spacing and punctuation do not matter) and what each of its
headers means. A repeated header is named by its position (`Item (2)` is the second
`Item`, see `reader.unique_headers`). Adding an export is adding an entry to PROFILES;
docs/erp-exports.md lists them with the menu path that produces each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.ingest.mapping import normalise


@dataclass(frozen=True)
class Profile:
    erp: str
    export: str  # the list or report, as the ERP names it
    kind: str  # the canonical table it fills
    columns: dict[str, str]  # header as exported -> canonical column
    signature: tuple[str, ...] = ()  # headers that identify it; default: every mapped one
    source: str = ""  # where the headers were taken from
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"{self.erp} {self.export}"

    @property
    def identifying(self) -> tuple[str, ...]:
        return self.signature or tuple(self.columns)


PROFILES: list[Profile] = []


def matching_profiles(headers: list[str]) -> list[Profile]:
    """The profiles whose whole signature is among the headers, most specific first; the
    profile's header names are then those of the file (same normal form)."""
    present = {normalise(h): h for h in headers}
    found = []
    for profile in PROFILES:
        if all(normalise(h) in present for h in profile.identifying):
            columns = {
                present[normalise(h)]: c
                for h, c in profile.columns.items()
                if normalise(h) in present
            }
            found.append(
                Profile(
                    profile.erp,
                    profile.export,
                    profile.kind,
                    columns,
                    profile.identifying,
                    profile.source,
                    profile.notes,
                )
            )
    return sorted(found, key=lambda p: len(p.signature), reverse=True)
