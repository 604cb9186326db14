"""Which table a file fills, decided from its headers and its values, or not decided at all.

A file put into the wrong table is worse than a file refused: an item master built from a
purchase-lines export invents one item per row and loses the deliveries. So every table
(and every known export profile) is scored, and a file is read as the best one only when
that one is clearly best:
- a known export (`exports.PROFILES`) recognised by its header signature wins outright;
- otherwise a table is a candidate when the headers cover its required columns; the file's
  values must fit the columns they are mapped to (a date column holding dates, a quantity
  holding numbers), and a table without dates (the item master) never takes a file whose
  columns hold dates;
- two candidates within one point of each other are a tie, and a tie is asked about.
When no candidate is clearly best the file is refused with the best candidates, why each
was considered, and the `--kind` / `--map` that would settle it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analytics.ingest.cast import TIME_PART
from analytics.ingest.exports import matching_profiles
from analytics.ingest.mapping import map_headers
from analytics.ingest.profiles import ATTACHED, LINE, Profile
from analytics.ingest.reader import repeated_base
from analytics.ingest.results import ImportRefused
from analytics.store.schema import DATE, NUMBER, TABLES

_DATE = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4}|(19|20)\d{6})"
    + f"({TIME_PART})?"  # a time of day, as the importer drops it (ingest.cast)
)
_NUMBER = re.compile(r"[+-]?(\d[\d.,' ]*|[.,]\d+)-?")
FIT = 0.5  # the share of a column's sample values that must fit its type
MARGIN = 1.0  # a candidate within this many points of the best makes a tie


@dataclass
class Candidate:
    kind: str
    missing: list[str]
    score: float
    reasons: list[str] = field(default_factory=list)  # why it was considered, and doubts
    profile: Profile | None = None
    covered: int = 0  # required columns the headers give
    mapped: int = 0  # headers read

    @property
    def rank(self) -> tuple:
        """Profiles first, then complete tables by score, then by what they cover."""
        return (self.profile is not None, self.complete, self.score, self.covered, self.mapped)

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        label = f"{self.kind} ({self.profile.name})" if self.profile else self.kind
        return f"{label}: {'; '.join(self.reasons)}"


def looks_like_date(value: str) -> bool:
    return bool(_DATE.fullmatch(value.strip()))


def looks_like_number(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value.strip()))


def column_values(headers: list[str], sample: list[list[str]]) -> dict[str, list[str]]:
    """The non-empty sample values of each header."""
    return {
        h: [r[i].strip() for r in sample if i < len(r) and r[i].strip()]
        for i, h in enumerate(headers)
    }


def _share(values: list[str], test) -> float:
    return sum(map(test, values)) / len(values) if values else 1.0


def _date_columns(values: dict[str, list[str]]) -> set[str]:
    """Headers whose sample values are mostly dates (an empty column says nothing)."""
    return {h for h, v in values.items() if v and _share(v, looks_like_date) >= FIT}


def score_table(kind: str, headers, values, explicit=None) -> Candidate | None:
    """A table as the reading of a file: what maps, what is missing, what does not fit."""
    try:
        mapping, _ = map_headers(kind, headers, explicit)
    except ValueError:
        return None
    table = TABLES[kind]
    mapped = {h: c for h, c in mapping.items() if c}
    missing = [c for c in table.required if c not in mapped.values()]
    found = [c for c in table.required if c in mapped.values()]
    reasons = [f"headers give {len(mapped)} of its columns ({', '.join(mapped.values())})"]
    score = float(len(mapped)) + len(found)
    if missing:
        reasons.append(f"missing {', '.join(missing)}")
    for header, column in mapped.items():
        ctype = table.column(column).type
        test = {DATE: looks_like_date, NUMBER: looks_like_number}.get(ctype)
        if test and _share(values.get(header, []), test) < FIT:
            score -= 3 if column in table.required else 1  # each of its rows would be rejected
            what = "dates" if ctype == DATE else "numbers"
            reasons.append(f"{header!r} ({column}) does not hold {what}")
    unread_dates = sorted(_date_columns(values) - set(mapped))
    if not any(c.type == DATE for c in table.columns) and unread_dates:
        score -= 10
        reasons.append(f"it has no dates, but {', '.join(map(repr, unread_dates))} hold dates")
    return Candidate(kind, missing, score, reasons, None, len(found), len(mapped))


def profile_mapping(profile: Profile, headers: list[str], explicit=None) -> dict:
    """header -> column by the profile, for the columns this version's tables have; the
    user's own mapping wins."""
    columns = {c.name for c in TABLES[profile.kind].columns}
    mapping = {h: c if (c := profile.columns.get(h)) in columns else None for h in headers}
    mapping.update({h: c or None for h, c in (explicit or {}).items()})
    return mapping


def score_profile(profile: Profile, headers, values, explicit=None) -> Candidate:
    mapping = profile_mapping(profile, headers, explicit)
    mapped = {*mapping.values(), profile.columns.get(LINE), *profile.joined, *profile.date_plus}
    mapped |= profile.computed
    if profile.attach_by:
        mapped |= set(ATTACHED)
    missing = [c for c in TABLES[profile.kind].required if c not in mapped]
    reasons = [f"the headers of {profile.erp}'s {profile.export}"]
    if missing:
        reasons.append(f"missing {', '.join(missing)}")
    covered = len(TABLES[profile.kind].required) - len(missing)
    score = 100.0 + len(profile.signature)
    return Candidate(profile.kind, missing, score, reasons, profile, covered, len(mapped))


def candidates(headers, sample, explicit=None) -> list[Candidate]:
    """Every profile and table that could read the file, best first."""
    values = column_values(headers, sample)
    found = [score_profile(p, headers, values, explicit) for p in matching_profiles(headers)]
    found += [
        c for kind in TABLES if (c := score_table(kind, headers, values, explicit)) is not None
    ]
    return sorted(found, key=lambda c: c.rank, reverse=True)


def decide(found: list[Candidate]) -> Candidate | None:
    """The clearly best candidate, or None when the file must be asked about.

    A recognised export wins. Without one, an incomplete best (no table has all its
    required columns) is returned so the refusal names what is missing; a complete best
    must make sense of the values and lead the next table by MARGIN."""
    if not found or (found[0].profile is None and not found[0].mapped):
        return None
    best = found[0]
    if best.profile is not None or not best.complete:
        return best
    if best.score <= 0:
        return None
    rivals = [c for c in found[1:] if c.complete and c.kind != best.kind and c.profile is None]
    if rivals and best.score - rivals[0].score < MARGIN:
        return None
    return best


def undecided_message(found: list[Candidate], headers: list[str]) -> str:
    """Why a file was not read: the two best candidates and how to settle it."""
    best = [c for c in found if c.mapped][:2]
    if not best:
        return (
            "cannot tell which table this file is: no header matches a known column "
            f"(headers: {', '.join(headers)})"
        )
    lines = ["cannot tell for sure which table this file is; the best candidates:"]
    lines += [f"{i}. {c.describe()}" for i, c in enumerate(best, start=1)]
    lines.append(
        "Choose the table (the Data page, or `load --kind TABLE`) and map what is missing "
        '(`--map "Header=column"`).'
    )
    return "\n".join(lines)


def detect_kind(headers, explicit=None, sample=()) -> str | None:
    """The table a file fills when that is clear; None when it must be asked."""
    best = decide(candidates(headers, list(sample), explicit))
    return best.kind if best is not None else None


def resolve_mapping(file_name: str, headers: list[str], kind, explicit, sample=()):
    """(kind, mapping, missing, unknown, warnings, profile); refuses unknown kinds and
    headers, and a file whose table is not clearly known."""
    for header in explicit or {}:
        if header not in headers:
            raise ImportRefused(
                file_name,
                f"the mapping names header {header!r}, which the "
                f"file does not have (headers: {', '.join(headers)})",
            )
    if kind is not None and kind not in TABLES:
        raise ImportRefused(file_name, f"unknown kind {kind!r}; choose one of {', '.join(TABLES)}")
    profile = None
    if kind is not None and not explicit:
        profile = _recognised(file_name, headers, kind)
    if kind is None:
        found = candidates(headers, list(sample), explicit)
        best = decide(found)
        if best is None:
            raise ImportRefused(file_name, undecided_message(found, headers))
        kind, profile = best.kind, best.profile
    if profile is not None and profile.unsupported:
        raise ImportRefused(
            file_name,
            f"recognised as {profile.name}, a file for {kind}; {profile.unsupported}. "
            "Nothing was imported.",
        )
    try:
        mapping, warnings = _mapping(kind, headers, explicit, profile)
    except ValueError as exc:
        raise ImportRefused(file_name, str(exc)) from exc
    _refuse_repeated(file_name, kind, headers, mapping, explicit, profile)
    mapped = set(mapping.values()) | ({profile.columns.get(LINE)} if profile else set())
    if profile is not None:
        mapped |= set(profile.joined) | set(profile.date_plus)
        mapped |= profile.computed
        if profile.attach_by:
            mapped |= set(ATTACHED)
    missing = [c for c in TABLES[kind].required if c not in mapped]
    used = profile.rule_headers if profile is not None else set()
    unknown = [h for h, c in mapping.items() if c is None and h not in used]
    if profile is not None:
        warnings.insert(0, f"read as {profile.name} ({kind})")
    return kind, mapping, missing, unknown, warnings, profile


def _recognised(file_name: str, headers: list[str], kind: str) -> Profile | None:
    """A file the user said is `kind`: read as its export when that export fills `kind`;
    refused when it is an export of another table (an ME2M file is no item master)."""
    for profile in matching_profiles(headers):
        if profile.kind == kind:
            return profile
        raise ImportRefused(
            file_name,
            f"this is {profile.name}, a file for {profile.kind}, not for {kind}; "
            f"import it as {profile.kind}",
        )
    return None


def _mapping(kind, headers, explicit, profile):
    if profile is None:
        mapping, warnings = map_headers(kind, headers, explicit)
        return mapping, warnings
    return profile_mapping(profile, headers, explicit), []


def _refuse_repeated(file_name, kind, headers, mapping, explicit, profile) -> None:
    """A header that appears twice and names a column of the table: which one is meant is
    not ours to guess unless a profile or the user's mapping says."""
    if profile is not None:
        return
    for header in headers:
        base = repeated_base(header, headers)
        if base is None or header in (explicit or {}):
            continue
        first = next(i for i, h in enumerate(headers) if h.casefold() == base.casefold())
        if headers[first] in (explicit or {}):
            continue
        if map_headers(kind, [base])[0][base] is not None:
            pos = headers.index(header) + 1
            raise ImportRefused(
                file_name, f"header {base!r} appears twice (columns {first + 1} and {pos})", 1, base
            )
