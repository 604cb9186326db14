"""The path of a drill-down node as text ("supplier=Acme/sku=SKU-1").

A URL or a note names a node by its path, so parsing refuses anything malformed (an edited
URL) instead of guessing.
"""

from __future__ import annotations

from dataclasses import replace as replace_scope
from urllib.parse import unquote

from analytics.models.params import Scope

LEVELS = ("supplier", "cause", "sku", "category", "site")  # what a drill-down can group by


# -- paths ---------------------------------------------------------------------------------
def make_path(levels: list[tuple[str, str]]) -> str:
    """'supplier=Acme/sku=SKU-1': '%', '/' and '=' inside a value are %-escaped."""
    parts = []
    for by, value in levels:
        if by not in LEVELS:
            raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(LEVELS)}")
        escaped = value.replace("%", "%25").replace("/", "%2F").replace("=", "%3D")
        parts.append(f"{by}={escaped}")
    return "/".join(parts)


def parse_path(path: str) -> list[tuple[str, str]]:
    """The levels of a path; ValueError for a malformed one (e.g. from an edited URL)."""
    levels: list[tuple[str, str]] = []
    path = (path or "").strip("/")
    for part in path.split("/") if path else []:
        by, sep, value = part.partition("=")
        if not sep or by not in LEVELS or not value:
            raise ValueError(f"not a drill-down level: {part!r}")
        if by in dict(levels):
            raise ValueError(f"the path groups by {by} twice")
        levels.append((by, unquote(value)))
    return levels


def apply_path(scope: Scope, path: str) -> tuple[Scope, str | None]:
    """The scope narrowed to a node, and the cause it names (Scope has no cause)."""
    levels = dict(parse_path(path))
    narrowed = replace_scope(
        scope, **{k: v for k, v in levels.items() if k in ("supplier", "sku", "category", "site")}
    )
    return narrowed, levels.get("cause")
