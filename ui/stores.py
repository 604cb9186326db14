"""Which store this session looks at, and saying so on every page.

`analytics.scale.serving.choose_store` decides (the URL's `store`, else the user's store
once it holds an import, else the demo plant); app.py asks here once per run and the answer
is kept in the session (`ui.cache.STORE_CHOICE`), so `ui.cache.store()` and `ui.auth` read
the same one. While the demo shows, a "Demo plant" badge stands in the sidebar and at the
top of the page with the way to the Data page; a sidebar switch goes to the demo and back.
A user's store that still holds the demo's imports (put there by an earlier Takt) gets a
banner with the offer to move them out.
"""

from __future__ import annotations

import streamlit as st

from analytics.demo.separate import demo_imports
from analytics.demo.shipped import serve_demo
from analytics.scale.serving import StoreChoice, choose_store, rollups_dir, shared_store
from ui.auth import EditRefused, can_edit
from ui.cache import STORE_CHOICE

DEMO, MINE = "demo", "mine"  # the URL's `store`
DATA_PAGE = "pages/data.py"


@st.cache_resource(show_spinner="Building the demo plant (once)…")
def demo_ready(path: str) -> bool:
    """Once per process and path: the demo plant's own store, served from the built file,
    or from the shipped tables in memory while there is none (`shipped.serve_demo`)."""
    serve_demo(path)
    return True


def choose(data_page: bool = False) -> StoreChoice:
    """This run's store. The Data page works on the user's store unless the demo was asked
    for, so a first import never goes anywhere but the user's store."""
    choice = choose_store(asked())
    if data_page and choice.demo and not choice.asked:
        choice = choose_store(MINE)
    if choice.demo:
        demo_ready(choice.path)
    st.session_state[STORE_CHOICE] = choice
    return choice


def asked() -> str | None:
    """The store the user asked for (`demo` or `mine`), from the URL, else as asked earlier in
    this session: a page switch drops parameters no widget is bound to, so it is put back."""
    wanted = st.query_params.get("store")
    if wanted not in (DEMO, MINE):
        wanted = st.session_state.get("_takt_store_asked")
    if wanted in (DEMO, MINE):
        st.session_state["_takt_store_asked"] = wanted
        if st.query_params.get("store") != wanted:
            st.query_params["store"] = wanted
    return wanted


def for_data_page() -> StoreChoice:
    """The Data page's store (it may run without app.py: AppTest, a first link)."""
    choice = st.session_state.get(STORE_CHOICE)
    if choice is None or (choice.demo and not choice.asked):
        choice = choose(data_page=True)
    return choice


def viewing_demo() -> bool:
    choice = st.session_state.get(STORE_CHOICE)
    return bool(choice and choice.demo)


def _switch() -> None:
    st.query_params["store"] = DEMO if st.session_state["store-switch"] else MINE


def sidebar_switch(choice: StoreChoice) -> None:
    """The badge and the switch between the demo plant and the user's data (none beside
    served rollups: they are the data, and the demo is not built there)."""
    if rollups_dir():
        return
    with st.sidebar:
        if choice.demo:
            st.badge("Demo plant", icon=":material/factory:", color="violet")
        st.toggle(
            "Show the demo plant",
            value=choice.demo,
            key="store-switch",
            on_change=_switch,
            help="The bundled demo plant, read-only, to explore. Off: your own data.",
        )


def page_banner(choice: StoreChoice) -> None:
    """At the top of every page: the demo badge and the call to import, or the offer to
    move the demo out of the user's store."""
    if choice.demo:
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.badge("Demo plant", icon=":material/factory:", color="violet")
            st.caption(
                "You are looking at the bundled demo plant, made-up data to explore; "
                + ("your store is empty. " if not choice.asked else "")
                + "Import your own ERP exports on the Data page to see your figures."
            )
            st.page_link(
                DATA_PAGE,
                label="Import your data",
                icon=":material/upload_file:",
                query_params={"store": MINE},
            )
        return
    if choice.path == shared_store().path and not shared_store().read_only:
        offer_to_move_out()


def offer_to_move_out() -> None:
    """The banner for a store that still holds the demo's imports beside the user's."""
    flash = st.session_state.pop("demo-moved", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    found = demo_imports(shared_store())
    if not found:
        return
    # The names are the demo's own (files.SAMPLE_FILES, matched exactly): safe as markdown.
    names = ", ".join(f"#{i['import_id']} `{i['file_name']}`" for i in found)
    with st.container(border=True):
        st.warning(
            "Your store also holds the demo plant's imports, put there by an earlier "
            "version of Takt: every figure mixes the made-up plant with your data. Move "
            "the demo out: its imports are undone, yours stay as they are (the demo stays "
            f"to explore with the sidebar switch). Demo imports: {names}.",
            icon=":material/warning:",
        )
        if can_edit():
            st.button("Move the demo out", key="move-demo-out", on_click=_move_out, type="primary")
        else:
            st.caption("An editor can move it out (or `python -m analytics demo --move-out`).")


def _move_out() -> None:
    # The writes (the importer, the forecast batch: pyarrow, numpy) load when a click asks,
    # not with every page's banner.
    from ui.writes import move_demo_out

    try:
        moved = move_demo_out(shared_store())
    except EditRefused as exc:
        st.session_state["demo-moved"] = f"Nothing was moved: {exc}"
        return
    st.session_state["demo-moved"] = moved.message()
