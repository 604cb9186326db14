"""Casting and checking staged text in SQL, with explicit rules instead of DuckDB's guesses.

Every mapped column arrives as text in a staging table. Here each becomes a typed
expression (dates in ISO, DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, YYYYMMDD or Excel serials;
numbers with decimal point or decimal comma) and each rule of METRICS.md becomes a query
that lists the rows breaking it, with the column, the value and the reason.
"""

from __future__ import annotations

import re

from analytics.store.schema import DATE, NUMBER, TABLES, TEXT

NA_TOKENS = ("", "null", "n/a", "na", "-", "none", "nan", "#n/a", "nil")
DATE_FORMATS_TEXT = "YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, YYYYMMDD or an Excel serial"
_NA_TEXT_TOKENS = tuple(t for t in NA_TOKENS if t not in ("na", "none", "nil"))


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def raw_expr(source: str, ctype: str) -> str:
    """The staged text with NA tokens as NULL; numbers and dates are trimmed first.

    The tokens are compared one by one, not with IN: DuckDB plans an IN list as a join per
    column, which made typing a million lines twice as slow.
    """
    tokens = _NA_TEXT_TOKENS if ctype == TEXT else NA_TOKENS
    is_na = " OR ".join(f"lower(trim({source})) = '{t}'" for t in tokens)
    # Text is stored verbatim: only the NA tokens themselves become NULL.
    value = source if ctype == TEXT else f"trim({source})"
    if ctype == DATE:  # a date with a time of day is that date: '07.03.2024 14:22' -> '07.03.2024'
        value = (
            f"CASE WHEN contains({value}, ':') "
            f"THEN regexp_replace({value}, '{TIME_OF_DAY}', '') ELSE {value} END"
        )
    elif ctype == NUMBER:  # SAP writes a negative number with the minus last: '200-'
        value = (
            f"CASE WHEN suffix({value}, '-') AND regexp_full_match({value}, '\\d[\\d.,]*-') "
            f"THEN '-' || rtrim({value}, '-') ELSE {value} END"
        )
    return f"CASE WHEN {is_na} THEN NULL ELSE {value} END"


# A time of day after a date (ISO 'T', seconds, fractions, AM/PM, a zone); DuckDB regex.
TIME_PART = r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?"
TIME_OF_DAY = TIME_PART + "$"
CODE_NAME = r"^\[([^\]]+)\]"  # Odoo's '[CODE] Name' display of a product: the code


def number_expr(v: str, decimal_comma: bool) -> str:
    """The number in text `v`, or NULL; may be infinite or NaN (typed_query drops those)."""
    if decimal_comma:
        plain = f"try_cast(replace({v}, ',', '.') AS DOUBLE)"
        grouped = (
            f"CASE WHEN regexp_full_match({v}, '[+-]?\\d{{1,3}}(\\.\\d{{3}})+(,\\d+)?') "
            f"THEN try_cast(replace(replace({v}, '.', ''), ',', '.') AS DOUBLE) END"
        )
        sep = "."
    else:
        plain = f"try_cast({v} AS DOUBLE)"
        grouped = (
            f"CASE WHEN regexp_full_match({v}, '[+-]?\\d{{1,3}}(,\\d{{3}})+(\\.\\d+)?') "
            f"THEN try_cast(replace({v}, ',', '') AS DOUBLE) END"
        )
        sep = ","
    return f"CASE WHEN NOT contains({v}, '{sep}') THEN {plain} ELSE {grouped} END"


def date_expr(v: str, date_order: str | None) -> str:
    slash = "%m/%d/%Y" if date_order == "monthfirst" else "%d/%m/%Y"
    slash_sql = (
        "NULL"
        if date_order not in ("dayfirst", "monthfirst")
        else f"try_strptime({v}, '{slash}')::DATE"
    )
    return f"""CASE
        WHEN {v} IS NULL THEN NULL
        WHEN length({v}) = 10 AND {v}[5] = '-' THEN try_cast({v} AS DATE)
        WHEN contains({v}, '/') AND regexp_full_match({v}, '\\d{{4}}/\\d{{1,2}}/\\d{{1,2}}')
            THEN try_strptime({v}, '%Y/%m/%d')::DATE
        WHEN contains({v}, '/') THEN
            CASE WHEN regexp_full_match({v}, '\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}') THEN {slash_sql} END
        WHEN contains({v}, '.') AND regexp_full_match({v}, '\\d{{1,2}}\\.\\d{{1,2}}\\.\\d{{4}}')
            THEN try_strptime({v}, '%d.%m.%Y')::DATE
        WHEN regexp_full_match({v}, '\\d{{5}}(\\.0+)?')
            THEN DATE '1899-12-30' + CAST(CAST({v} AS DOUBLE) AS INTEGER)
        WHEN regexp_full_match({v}, '(19|20)\\d{{6}}') THEN try_strptime({v}, '%Y%m%d')::DATE
        ELSE try_cast({v} AS DATE)
    END"""


def typed_query(
    kind: str,
    sources: dict[str, str],
    decimal_comma: bool,
    date_order: str | None,
    source: str,
    read_typed: bool = False,
) -> str:
    """SELECT of ord, every canonical column typed with defaults, and its raw text `r_<col>`.

    `source` yields `ord` and the staged text columns; with `read_typed` its number and date
    columns are already DOUBLE and DATE (DuckDB's reader typed them, `ingest.clean`), and
    `r_<col>` is that value, not its text. Three nested projections compute
    each expression once per row: the raw text, then the parsed numbers, then the typed
    columns (inlining the raw text into every branch of the date CASE, and a scalar
    subquery per number, made typing a million lines four times slower).
    """
    raw, parsed, typed = ["ord"], ["*"], ["ord"]
    for col in TABLES[kind].columns:
        src, r = sources.get(col.name), f"r_{col.name}"
        if src is None:
            default = "NULL" if col.default is None else f"'{col.default}'"
            typed.append(f"CAST({default} AS {_sql_type(col.type)}) AS {col.name}")
            typed.append(f"CAST(NULL AS VARCHAR) AS {r}")
            continue
        if read_typed and col.type != TEXT:  # infinite or NaN is "not a number", as below
            raw.append(f"{src} AS {r}")
            value = r if col.type == DATE else f"CASE WHEN isfinite({r}) THEN {r} END"
            typed += [f"{value} AS {col.name}", r]
            continue
        raw.append(f"{raw_expr(src, col.type)} AS {r}")
        if col.type == TEXT:
            value = r if col.default is None else f"coalesce({r}, '{col.default}')"
            if col.name == "sku":  # '[BOLT-M8] Hex bolt M8' is sku BOLT-M8
                value = (
                    f"CASE WHEN prefix({r}, '[') AND regexp_matches({r}, '{CODE_NAME}') "
                    f"THEN trim(regexp_extract({r}, '{CODE_NAME}', 1)) ELSE {value} END"
                )
        elif col.type == NUMBER:
            parsed.append(f"{number_expr(r, decimal_comma)} AS n_{col.name}")
            value = f"CASE WHEN isfinite(n_{col.name}) THEN n_{col.name} END"
        else:
            value = date_expr(r, date_order)
        typed.append(f"{value} AS {col.name}")
        typed.append(r)
    return (
        f"SELECT {', '.join(typed)} FROM (SELECT {', '.join(parsed)} FROM "
        f"(SELECT {', '.join(raw)} FROM {source}))"
    )


def _sql_type(ctype: str) -> str:
    return {TEXT: "VARCHAR", NUMBER: "DOUBLE", DATE: "DATE"}[ctype]


_DMY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def date_order_sql(table: str, sources: list[str]) -> str:
    """Largest first and second component over all D/M/Y-shaped values of the date columns."""
    parts = []
    for src in sources:
        v = f"trim({src})"
        # contains() on the untrimmed text first: the same answer, without trimming every value.
        cond = f"contains({src}, '/') AND regexp_full_match({v}, '\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}')"
        parts.append(
            f"SELECT try_cast(split_part({v}, '/', 1) AS INTEGER) AS a, "
            f"try_cast(split_part({v}, '/', 2) AS INTEGER) AS b FROM {table} "
            f"WHERE {cond}"
        )
    return (
        f"SELECT count(*), max(a), max(b), max(CASE WHEN a > 12 THEN b END), "
        f"max(CASE WHEN b > 12 THEN a END) FROM ({' UNION ALL '.join(parts)})"
    )


def decide_date_order(count: int, max_a: int | None, max_b: int | None) -> str:
    """'iso' with no slash dates; 'dayfirst'/'monthfirst' when values prove it; else ambiguous."""
    if not count:
        return "iso"
    if max_a > 12 and max_b <= 12:
        return "dayfirst"
    if max_b > 12 and max_a <= 12:
        return "monthfirst"
    if max_a > 12 and max_b > 12:
        return "mixed"
    return "ambiguous"


_COMMA_DECIMAL = re.compile(
    r"[+-]?(\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(\.\d{3})+,\d+|\d+\.\d{3}\.\d{3})"
)

_POINT_DECIMAL = re.compile(
    r"[+-]?(\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(,\d{3})+\.\d+|\d+,\d{3},\d{3})"
)


def decide_decimal_comma(values: list[str], delimiter: str) -> bool:
    """Decimal comma when the values prove it, or when they cannot tell and the file uses ';'."""
    comma = sum(bool(_COMMA_DECIMAL.fullmatch(v.strip())) for v in values)
    point = sum(bool(_POINT_DECIMAL.fullmatch(v.strip())) for v in values)
    if comma != point:
        return comma > point
    return delimiter == ";" and any("," in v for v in values)
