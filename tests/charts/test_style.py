"""The house style every chart shares (analytics/charts/__init__.py)."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from analytics.charts import NOT_CARTESIAN, TEMPLATE, TRACE_TYPES, styled
from tests.conftest import ROOT


def test_the_built_template_draws_like_plotly_white():
    white = pio.templates["plotly_white"]
    fig = styled(go.Figure(go.Bar(x=["a"], y=[1])))
    kept = fig.layout.template.layout.to_plotly_json()
    cartesian = {k: v for k, v in white.layout.to_plotly_json().items() if k not in NOT_CARTESIAN}
    assert kept == cartesian and {"xaxis", "yaxis", "colorway", "font"} <= set(kept)
    for kind in TRACE_TYPES:
        assert getattr(fig.layout.template.data, kind) == getattr(white.data, kind)
    assert fig.layout.template == TEMPLATE


def test_every_trace_type_drawn_is_one_the_template_styles_or_plotly_white_does_not():
    """A new kind of chart (a pie, a box) would be drawn unstyled: it must join TRACE_TYPES."""
    white = set(pio.templates["plotly_white"].data.to_plotly_json())
    drawn = {
        name.lower()
        for path in (ROOT / "analytics" / "charts").glob("*.py")
        for name in re.findall(r"\bgo\.([A-Z][a-z]+)\(", Path(path).read_text())
    } - {"figure"}
    assert drawn, "no trace found: the pattern is stale"
    assert drawn & white <= set(TRACE_TYPES)
