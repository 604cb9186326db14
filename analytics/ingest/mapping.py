"""Headers to canonical columns, and which table a file is.

A header matches a column when its normalised form equals an alias's (case, spaces and
punctuation ignored; `qty`/`quantity` and `no`/`number`/`#` treated alike), when it has the
same words in another order (`Qty Received` = `Received Qty`), or when it is a near miss of
one (`On-Hand` = `On Hand`). Which table a file is, is decided in `detect`.
"""

from __future__ import annotations

import difflib
import re

from analytics.ingest.reader import repeated_base
from analytics.store.schema import TABLES

_SYNONYMS = {
    "quantity": "qty",
    "number": "no",
    "nr": "no",
    "num": "no",
    "nbr": "no",
    "#": "no",
    "dt": "date",
    "onhand": "on hand",
}
NEAR_MISS_CUTOFF = 0.86


def tokens(header: str) -> tuple[str, ...]:
    words = re.findall(r"[a-z0-9]+|#", header.casefold().replace("\ufeff", ""))
    out: list[str] = []
    for word in words:
        out.extend(_SYNONYMS.get(word, word).split())
    return tuple(out)


def normalise(header: str) -> str:
    return "".join(tokens(header))


def _alias_index(kind: str) -> dict[str, str]:
    """normalised alias -> column, the column's own name included."""
    index: dict[str, str] = {}
    for column in TABLES[kind].columns:
        for alias in (column.name, *column.aliases):
            index.setdefault(normalise(alias), column.name)
    return index


_INDEX = {kind: _alias_index(kind) for kind in TABLES}
_WORDSETS = {
    kind: {
        tuple(sorted(tokens(alias))): column.name
        for column in TABLES[kind].columns
        for alias in (column.name, *column.aliases)
    }
    for kind in TABLES
}


def match_header(kind: str, header: str) -> tuple[str | None, str]:
    """(column, how) where how is 'alias', 'words' or 'near'; (None, '') when nothing fits."""
    key = normalise(header)
    if not key:
        return None, ""
    if key in _INDEX[kind]:
        return _INDEX[kind][key], "alias"
    words = tuple(sorted(tokens(header)))
    if words in _WORDSETS[kind]:
        return _WORDSETS[kind][words], "words"
    close = difflib.get_close_matches(key, list(_INDEX[kind]), n=1, cutoff=NEAR_MISS_CUTOFF)
    if close:
        return _INDEX[kind][close[0]], "near"
    return None, ""


def map_headers(
    kind: str, headers: list[str], explicit: dict[str, str] | None = None
) -> tuple[dict[str, str | None], list]:
    """Map every header of a file of `kind`; return (mapping, warnings).

    An explicit mapping wins; otherwise exact aliases win over word-order and near-miss
    matches, and the first header claims a column when two would map to it. A repeated
    header is left unread: which namesake fills a column is not a guess.
    """
    explicit = dict(explicit or {})
    columns = {c.name for c in TABLES[kind].columns}
    for column in explicit.values():
        if column not in columns and column not in ("", None):
            raise ValueError(
                f"{column!r} is not a column of {kind}; choose one of {', '.join(sorted(columns))}"
            )
    mapping: dict[str, str | None] = {h: None for h in headers}
    claimed: dict[str, str] = {}
    warnings: list[str] = []
    for header in headers:
        if header in explicit:
            mapping[header] = explicit[header] or None
            column = explicit[header]
            if column and column in claimed:
                raise ValueError(
                    f"headers {claimed[column]!r} and {header!r} are both mapped to {column}; "
                    "map one of them elsewhere or ignore it"
                )
            if column:
                claimed[column] = header
    for rank in ("alias", "words", "near"):
        for header in headers:
            # a repeated header (`Vendor (2)`) is read only as a profile or the user says
            if header in explicit or mapping[header] or repeated_base(header, headers):
                continue
            column, how = match_header(kind, header)
            if how != rank or column is None:
                continue
            if column in claimed:
                warnings.append(
                    f"header {header!r} also looks like {column}; "
                    f"using {claimed[column]!r} and ignoring {header!r}"
                )
                continue
            mapping[header] = column
            claimed[column] = header
            if how == "near":
                warnings.append(f"header {header!r} read as {column} (close match)")
    return mapping, warnings
