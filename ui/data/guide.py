"""The guided first import: the five kinds of data, what each unlocks, which exports of the
common ERPs fill it, and, once files are in, what the store holds, its dates, and what is
still missing for which figures. The facts come from `analytics.metrics.coverage`; the
export guide is docs/erp-exports.md, rendered here (it is our own text)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from ui.cache import call

ERP_DOC = Path(__file__).resolve().parents[2] / "docs" / "erp-exports.md"


@st.cache_data(show_spinner=False)
def erp_sections() -> dict[str, str]:
    """docs/erp-exports.md by its `## ` sections (the part before the first: "Overview")."""
    text = ERP_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    sections = {"Overview": parts[0].split("\n", 1)[1].strip()}
    sections.update({parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts), 2)})
    return sections


def _span(row: dict) -> str:
    if not row["rows"]:
        return "not imported yet"
    if row["first"] is None:
        return f"{row['rows']:,} rows"
    return f"{row['rows']:,} rows, {row['first']:%d %b %Y} to {row['last']:%d %b %Y}"


def guide() -> None:
    """What to import and what it unlocks; what is in and what is still missing."""
    rows = call("coverage")
    empty = not any(r["rows"] for r in rows)
    st.header("Your first import" if empty else "What your data covers")
    if empty:
        st.write(
            "Takt reads five kinds of exports (and exchange rates, when your amounts come in "
            "more than one currency). Start with **supplier deliveries**: they feed "
            "most of the figures. Each file can be undone, so trying one is safe; the demo "
            "plant stays in its own store."
        )
    table = pd.DataFrame(
        {
            "Data": [r["label"] for r in rows],
            "In your store": [_span(r) for r in rows],
            "Pages": [", ".join(r["pages"]) for r in rows],
            "Figures it feeds": [", ".join(r["unlocks"]) or "filters and costs" for r in rows],
            "Exports to pull": [r["exports"] for r in rows],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    missing = [r for r in rows if r["blank"]]
    if not empty and missing:
        st.markdown("**Still missing**")
        for r in missing:
            st.markdown(f"- {r['label']}: import it to see {', '.join(r['blank'])}.")
    elif not empty:
        st.success("Every figure has the data it needs.", icon=":material/check_circle:")
    erp_guide()


def erp_guide() -> None:
    """Which export to pull from each common ERP: docs/erp-exports.md, one tab a section."""
    sections = erp_sections()
    with st.expander("Which exports to pull from your ERP (SAP, Odoo, ERPNext, Business Central)"):
        for tab, (title, body) in zip(st.tabs(list(sections)), sections.items(), strict=True):
            with tab:
                st.caption(f"From docs/erp-exports.md, section {title}.")
                st.markdown(body)
