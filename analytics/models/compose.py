"""SQL models: one SELECT per file in analytics/sql, composed by name and run with bound values.

A model refers to another by its bare name (`from po_lines`). Running a model inlines the
models it depends on as CTEs, in dependency order, so one statement reaches the database
and the same text can be transpiled for another engine. Values (`$as_of`, `$supplier`, ...)
are always bound parameters; only the parameters a statement uses are passed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analytics.store.version import LINE_KEYS

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
LAYERS = ("staging", "facts", "lines", "marts", "drill")  # folders of SQL_DIR, as in dbt


@dataclass(frozen=True)
class Model:
    name: str
    doc: str  # the opening comment: grain, definition, inputs
    body: str  # the SELECT, without the opening comment
    layer: str = "marts"  # the folder it lives in; `facts` are stored after every write

    @property
    def stored(self) -> dict[str, str] | None:
        """For a stored fact, its `-- stored:` line as a dict (`order_by=x; inline` ->
        {"order_by": "x", "inline": ""}); None for a model that is never stored."""
        match = re.search(r"^stored:\s*(.+)$", self.doc, re.MULTILINE)
        if self.layer != "facts" or not match:
            return None
        pairs = (part.strip().partition("=") for part in match.group(1).split(";"))
        return {key.strip(): value.strip() for key, _, value in pairs if key.strip()}

    @property
    def grain(self) -> str:
        match = re.search(r"grain:\s*(.+)", self.doc, re.IGNORECASE)
        return match.group(1).strip() if match else ""


@cache
def models() -> dict[str, Model]:
    found = {}
    for path in sorted(SQL_DIR.glob("*/*.sql"), key=lambda p: p.stem):
        if path.parent.name not in LAYERS:
            raise ValueError(f"{path}: SQL models live in one of {', '.join(LAYERS)}")
        if path.stem in found:
            raise ValueError(f"{path}: a model {path.stem!r} exists in two folders")
        text = path.read_text()
        doc_lines = []
        lines = text.splitlines()
        while lines and lines[0].startswith("--"):
            doc_lines.append(lines.pop(0)[2:].strip())
        found[path.stem] = Model(
            path.stem, "\n".join(doc_lines), "\n".join(lines).strip(), path.parent.name
        )
    return found


@cache
def dependencies(name: str) -> tuple[str, ...]:
    """Models a model reads, directly: names following FROM or JOIN."""
    body = models()[name].body
    refs = re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", body, re.IGNORECASE)
    return tuple(dict.fromkeys(r for r in refs if r in models() and r != name))


def _ordered(name: str, seen: dict[str, None], materialized: frozenset) -> None:
    if name in materialized:
        return  # read from its table: what it depends on is not needed
    for dep in dependencies(name):
        if dep not in seen:
            _ordered(dep, seen, materialized)
            seen[dep] = None


def dependency_order(name: str, materialized: frozenset = frozenset()) -> list[str]:
    """The models `name` needs, each after those it reads; a materialized one needs none."""
    order: dict[str, None] = {}
    _ordered(name, order, materialized - {name})
    return list(order)


@cache
def compose(name: str, materialized: frozenset = frozenset()) -> str:
    """The model as one statement: its dependencies as CTEs, then its own SELECT.

    A dependency named in `materialized` is read from its stored table `mart_<name>`.
    """
    order = dependency_order(name, materialized)
    if not order:
        return models()[name].body

    def body(dep: str) -> str:
        return f"select * from mart_{dep}" if dep in materialized else models()[dep].body

    ctes = ",\n".join(f"{dep} as (\n{body(dep)}\n)" for dep in order)
    return f"with {ctes}\nselect * from (\n{models()[name].body}\n) as {name}"


@cache
def fingerprint(name: str) -> str:
    """A short hash of the model composed from the canonical tables. Stored with every
    stored table built from it, so a table an older Takt built with other SQL (a column
    fewer, another rule) answers nothing until a refresh builds it again."""
    return hashlib.sha256(compose(name).encode()).hexdigest()[:16]


def pass_through() -> frozenset[str]:
    """Models that only filter or reshape rows: cheaper to inline (a pruned scan of a sorted
    fact table) than to copy into a temporary result when two parts of a query read them.
    Staging and per-line views, and the stored facts marked `inline`."""
    return frozenset(
        name
        for name, m in models().items()
        if m.layer in ("staging", "lines") or "inline" in (m.stored or {})
    )


def duckdb_dialect(sql: str) -> str:
    """DuckDB copies a CTE that is read twice; for row-level models inlining is cheaper.

    Only the composed CTEs of pass-through models are marked, when a statement runs on
    DuckDB; aggregating CTEs keep DuckDB's default and the portable model text is untouched.
    """
    names = "|".join(sorted(pass_through()))
    # the first CTE follows `with ` on its line: it is marked too
    return re.sub(
        rf"^(with )?({names}) as \($", r"\1\2 as not materialized (", sql, flags=re.MULTILINE
    )


def parameters(sql: str) -> set[str]:
    return set(_PARAM.findall(sql))


def only_touched_lines(sql: str, table: str, touched: str = "touched_lines") -> str:
    """A composed fact reading the rows of the touched lines of `table` (their keys in the
    temp table `touched`) instead of all of them: every `from <table>` / `join <table>`
    reads a CTE of those rows."""
    on = " and ".join(f"d.{k} is not distinct from t.{k}" for k in LINE_KEYS[table])
    cte = f"touched_{table} as (select d.* from {table} as d semi join {touched} as t on {on})"
    body = re.sub(rf"\b(from|join)(\s+){table}\b", rf"\1\2touched_{table}", sql, flags=re.I)
    if body.startswith("with "):
        return f"with {cte},\n{body[len('with ') :]}"
    return f"with {cte}\n{body}"
