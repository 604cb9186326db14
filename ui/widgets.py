"""Small widgets every page uses: downloads, definition cards, inert user text.

No pandas at import (nor in analytics.export): the Overview's first cards need none, and
pandas with pyarrow is 0.4-1.2 s of a fresh start (issue 16); a page that passes a frame
here has loaded it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from analytics.export import to_csv_bytes, to_excel_bytes
from analytics.formatting import money_format, money_label
from analytics.metrics.coverage import BY_TABLE
from analytics.metrics.registry import KPIS
from analytics.store.version import data_version
from ui.cache import call, currency, store

if TYPE_CHECKING:
    import pandas as pd

# Formats of money columns in column configs, filled in with the currency setting by
# `priced`: the sign ('$ 1,234') and a label naming it ('Spend ($)'), so the downloaded
# file's header says the currency too. Value: the decimals shown.
MONEY, MONEY_CENTS = "money", "money.2"
MONEY_FORMATS = {MONEY: 0, MONEY_CENTS: 2}


def priced(columns: dict) -> dict:
    """Column configs whose MONEY / MONEY_CENTS columns show the currency setting."""
    code = currency()
    out = {}
    for key, config in columns.items():
        number = config.get("type_config") or {} if isinstance(config, dict) else {}
        if number.get("format") in MONEY_FORMATS:
            decimals = MONEY_FORMATS[number["format"]]
            config = {
                **config,
                "label": money_label(config["label"], code),
                "type_config": {**number, "format": money_format(code, decimals)},
            }
        out[key] = config
    return out


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel buttons side by side; formulas in text cells are neutralised in both.

    The files are made only when a button is clicked (a callable), so a rerun of a page with
    a 20,000-row table does not write a workbook nobody asked for.
    """
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        lambda: to_csv_bytes(df),
        f"{name}.csv",
        "text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
    )
    right.download_button(
        "Download Excel",
        lambda: to_excel_bytes(df),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        icon=":material/table_view:",
    )


def definition_card(kpi_name: str) -> None:
    """What a KPI means, how it is computed and what it is counted over (our own text)."""
    kpi = KPIS[kpi_name]
    st.markdown(f"**{kpi.label}**")
    st.write(kpi.definition)
    better = "Higher is better." if kpi.higher_is_better else "Lower is better."
    st.caption(f"Counted per {kpi.grain}. {better} Unit: {kpi.unit}.")


def user_text(text: str) -> None:
    """Text that came from data (names, causes): shown literally, never as markdown or HTML."""
    st.text(text)


SHOWN_ROWS = 1000


def shown(df: pd.DataFrame, limit: int = SHOWN_ROWS) -> pd.DataFrame:
    """The first `limit` rows for the screen (tables arrive sorted by importance); a caption
    says how many more there are and that the downloads hold them all."""
    if len(df) <= limit:
        return df
    st.caption(f"Showing the first {limit:,} of {len(df):,} rows; the downloads hold them all.")
    return df.head(limit)


def empty_state(message: str, needs: tuple[str, ...] = ()) -> None:
    """What a page shows when the data it needs is missing: which of the files it `needs`
    (canonical tables) the store lacks, the exports that fill them, and the way to the Data
    page (on the user's store)."""
    missing = call("missing_tables", tuple(needs)) if needs else []
    hints = "".join(f"\n- **{BY_TABLE[t].label}**: {BY_TABLE[t].exports}" for t in missing)
    text = message + (f"\n\nImport on the Data page:{hints}" if hints else "")
    st.info(text, icon=":material/info:")
    st.page_link(
        "pages/data.py",
        label="Go to Data",
        icon=":material/upload_file:",
        query_params={"store": "mine"},
    )


def load_view(build, *args):
    """`build(*args)`, built once per store, data version and arguments and shared
    read-only by every rerun (a resource: no unpickling): the rows a section reads with
    the figures and frames it draws from them. `build` reads through `ui.cache.call` and
    draws nothing; the objects it returns must not be changed. Guarded like `load`."""
    try:
        return shared_view(build, *args)
    except ValueError as error:
        st.error("These figures cannot be computed for the chosen filters. Please change them.")
        user_text(str(error))
        st.stop()


def shared_view(build, *args):
    """`load_view` unguarded: a ValueError (filters that cannot be computed) is raised."""
    s = store()
    return _view(s.path, data_version(s), f"{build.__module__}.{build.__qualname__}", build, args)


@st.cache_resource(max_entries=64, show_spinner=False)
def _view(db_path: str, version: int, name: str, _build, args: tuple):
    return _build(*args)


def load(name: str, *args):
    """A cached analytics call; filters the figures cannot be computed for stop the page
    with a plain message instead of a traceback."""
    try:
        return call(name, *args)
    except ValueError as error:
        st.error("These figures cannot be computed for the chosen filters. Please change them.")
        user_text(str(error))
        st.stop()
