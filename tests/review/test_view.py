"""The Review page's view of a drill-down (analytics.review.view): its path, next level,
labels and which groups are judged against the target, with hand-worked examples."""

from __future__ import annotations

import pytest

from analytics.models.params import Scope


def test_a_view_knows_its_path_and_next_level():
    from analytics.review.view import ReviewView

    deep = ReviewView("otif_rate", by="supplier", node="A/B", node_sku="S=1")
    assert deep.levels == [("supplier", "A/B"), ("sku", "S=1")]
    assert deep.path == "supplier=A%2FB/sku=S%3D1"  # '/' and '=' escaped inside values
    assert deep.next_by is None  # only the rows are left
    assert deep.trail() == ["Supplier OTIF", "A/B", "S=1"]
    assert ReviewView("otif_rate").next_by == "supplier"
    assert ReviewView("otif_rate", node="A").next_by == "sku"
    by_sku = ReviewView("otif_rate", by="sku", node="X", node_sku="ignored")
    assert (by_sku.levels, by_sku.next_by) == ([("sku", "X")], None)
    scope, cause = ReviewView("defect_ppm", Scope(), by="cause", node="Porosity").focus()
    assert (scope, cause) == (Scope(), "Porosity")
    scope, cause = ReviewView("otif_rate", Scope(), node="Acme", node_sku="S1").focus()
    assert (scope.supplier, scope.sku, cause) == ("Acme", "S1", None)


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("promised_date", "Promised date"),
        ("ordered_qty", "Ordered quantity"),
        ("is_on_time", "On time"),
        ("has_receipt", "Has receipt"),
        ("sku", "SKU"),
        ("po_number", "PO number"),
    ],
)
def test_column_labels(column, label):
    from analytics.review.view import column_label

    assert column_label(column) == label


@pytest.mark.parametrize(
    ("kpi", "by", "judged"),
    [
        ("otif_rate", "supplier", True),  # a supplier's own OTIF against the target
        ("lead_time_mean_days", "sku", True),
        ("defect_ppm", "supplier", True),
        ("defect_ppm", "cause", False),  # a cause's PPM is a part of the total
        ("copq", "supplier", False),  # a sum: each group is a part of it
        ("hhi", "supplier", False),  # no breakdown at all
    ],
)
def test_which_groups_are_judged_against_the_target(kpi, by, judged):
    from analytics.review.view import comparable

    assert comparable(kpi, by) is judged
