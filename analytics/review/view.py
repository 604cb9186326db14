"""What a review meeting looks at: the KPI, the drill focus and the choices of each tab.

`ReviewView` is the state of the Review page (and of its meeting report); the helpers say
what a breakdown's figures mean: what its counts count, and whether a group's own figure can
be judged against the KPI's target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.metrics.registry import KPIS
from analytics.models.params import Scope
from analytics.review.control import EXTRA_SERIES
from analytics.review.drill import GROUPINGS, SPECS, TRACED
from analytics.review.path import apply_path, make_path

DIMENSIONS = {
    "supplier": "Supplier",
    "cause": "Cause",
    "sku": "SKU",
    "category": "Category",
    "site": "Site",
}
PLURALS = {
    "supplier": "suppliers",
    "cause": "causes",
    "sku": "SKUs",
    "category": "categories",
    "site": "sites",
}
MEASURES = {"qty": "Defective units", "cost": "Defect cost"}
LABELS = {"sku": "SKU", "po_number": "PO number", "po_line": "PO line", "qty": "Quantity"}


@dataclass(frozen=True)
class ReviewView:
    """What the Review page shows: the KPI, the drill focus and the choices of each tab.

    The focus is a path of at most two levels: a group of the chosen dimension (`node`),
    then one of its skus (`node_sku`). Every tab works inside it, so a meeting that drilled
    to a supplier sees that supplier's Pareto and control chart too.
    """

    kpi: str
    scope: Scope = field(default_factory=Scope)
    by: str = "supplier"
    node: str | None = None
    node_sku: str | None = None
    measure: str = "qty"
    cause: str | None = None
    rules: tuple[int, ...] = (1,)
    series: str | None = None  # the control chart's series; None: the KPI

    @property
    def levels(self) -> list[tuple[str, str]]:
        out = [(self.by, self.node)] if self.node is not None else []
        if out and self.node_sku is not None and self.by != "sku":
            out.append(("sku", self.node_sku))
        return out

    @property
    def path(self) -> str:
        return make_path(self.levels)

    def focus(self) -> tuple[Scope, str | None]:
        """The scope narrowed to the focus, and the cause it names (if any)."""
        return apply_path(self.scope, self.path)

    @property
    def next_by(self) -> str | None:
        """The grouping the drill-down shows now; None once only the rows are left."""
        if self.node is None:
            return self.by
        if self.by == "supplier" and self.kpi in TRACED:
            return None  # a supplier's traced misses: its PO lines that were missing
        if len(self.levels) == 1 and self.by != "sku" and "sku" in GROUPINGS[self.kpi]:
            return "sku"
        return None

    def trail(self) -> list[str]:
        """The path as words: ['Supplier OTIF', 'Acme', 'SKU-1'] (user text: show inert)."""
        return [KPIS[self.kpi].label, *(value for _, value in self.levels)]


# What a breakdown row's `n` counts, by the drill spec's denominator column.
COUNT_NOUNS = {
    "due_lines": "due PO lines",
    "due_received_lines": "received due PO lines",
    "lead_time_lines": "received PO lines",
    "received_qty": "units received",
    "events": "defect events",
    "ordered_qty": "units ordered",
    "due_order_lines": "due customer lines",
    "skus": "SKUs",
}


def count_noun(kpi: str, by: str) -> str:
    """What the count behind a group is ('' when it is not a count, e.g. DIO's COGS)."""
    spec = SPECS.get(kpi)
    if spec is None:
        return ""
    if by == "cause" and spec.kind == "ratio":
        return "defective units"  # no receipts belong to a cause: n is the defect units
    return COUNT_NOUNS.get(spec.den, "")


def comparable(kpi: str, by: str) -> bool:
    """Whether a group's own figure can be judged against the KPI's target.

    A supplier's OTIF or PPM can; a cause's PPM (its part of all received units) or a
    supplier's share of COPQ cannot: those are parts of the total, not figures of their own.
    """
    spec = SPECS.get(kpi)
    return spec is not None and (
        spec.kind in ("rate", "mean") or (spec.kind == "ratio" and by != "cause")
    )


def series_unit(name: str) -> str:
    """The unit of a control chart's series: a KPI's, or an extra series' (lateness: days)."""
    return KPIS[name].unit if name in KPIS else EXTRA_SERIES[name][2]


def column_label(column: str) -> str:
    """A readable heading for a model column ('promised_date' -> 'Promised date')."""
    if column in LABELS:
        return LABELS[column]
    words = column.replace("_qty", "_quantity").split("_")
    text = " ".join(words).replace("is ", "", 1) if column.startswith("is_") else " ".join(words)
    return text[:1].upper() + text[1:]
