"""The "Demand forecast" tab: how accurate each sku's forecast has been, least trustworthy
first, and one sku's history with its 13-week forecast and 80% band (METRICS.md section 14).

Reads the forecasts the batch stored after the last load (`analytics.forecast.stored`);
nothing is fitted here. The sku picker (`forecast_item`) is bound to the URL.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.forecast import accuracy_chart, forecast_chart
from analytics.forecast.stored import accuracy, weeks_ahead
from analytics.models.params import Scope
from ui.widgets import load

SHOWN = 15  # skus in the accuracy chart
PCT = st.column_config.NumberColumn(format="percent")


def label(row: dict) -> str:
    return f"{row['sku']} @ {row['site']}" if row["site"] else row["sku"]


def demand_tab(scope: Scope) -> None:
    rows = load("forecast_rows", Scope(sku=scope.sku, category=scope.category, site=scope.site))
    if not rows:
        st.info(
            "No forecasts yet: they are computed after customer orders are imported "
            "(or by `python -m analytics forecast --refresh`).",
            icon=":material/info:",
        )
        return
    _overall(rows)
    tested = [r for r in rows if r["wape"] is not None]
    if tested:
        st.markdown("**Least trustworthy forecasts** (highest backtest WAPE first)")
        top = tested[:SHOWN]
        st.plotly_chart(
            accuracy_chart(top, [label(r) for r in top]), width="stretch", key="accuracy-chart"
        )
    _one_sku(rows)
    _table(rows)


def _overall(rows: list[dict]) -> None:
    o = accuracy(rows)
    cells = st.columns(4)
    cells[0].metric("WAPE", _pct(o["wape"]), help="sum |actual - forecast| / sum actual, "
                    "over the last 4 origins x 4 weeks of every tested sku")  # fmt: skip
    cells[1].metric("Bias", _pct(o["bias"]), help="sum (forecast - actual) / sum actual")
    cells[2].metric("Naive WAPE", _pct(o["naive_wape"]), help="last week repeated")
    cells[3].metric("FVA", _pct(o["fva"]), help="naive WAPE - WAPE: above 0, better than naive")
    untested = len(rows) - o["skus"]
    st.caption(
        f"As of {rows[0]['as_of']:%d %b %Y}, weighted by demand: {o['skus']:,} skus tested"
        + (f", {untested:,} too young to test (under 29 weeks)." if untested else ".")
    )


def _one_sku(rows: list[dict]) -> None:
    by_label = {label(r): r for r in rows}
    picked = st.selectbox("SKU", list(by_label), key="forecast_item", bind="query-params")
    row = by_label[picked]
    if row["wape"] is None:
        said = f"{row['model']}: only {row['history_weeks']} weeks of orders, not tested."
    else:
        said = (
            f"{row['model']}: WAPE {_pct(row['wape'])} against naive "
            f"{_pct(row['naive_wape'])} (FVA {_pct(row['fva'])}), bias {_pct(row['bias'])}"
            + ("; intermittent demand." if row["intermittent"] else ".")
        )
    st.caption(said)
    history = load("forecast_history", row["sku"], row["site"], row["as_of"])
    st.plotly_chart(
        forecast_chart(history, weeks_ahead(row)), width="stretch", key="forecast-chart"
    )


def _table(rows: list[dict]) -> None:
    keys = ("sku", "site", "description", "model", "wape", "naive_wape", "fva", "bias",
            "history_weeks", "intermittent")  # fmt: skip
    frame = pd.DataFrame([{k: r[k] for k in keys} for r in rows])
    frame["next_13_weeks"] = [sum(r["forecast"]) for r in rows]
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"wape": PCT, "naive_wape": PCT, "fva": PCT, "bias": PCT},
    )


def _pct(value) -> str:
    return "–" if value is None else f"{value:.0%}"
