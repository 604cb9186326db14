"""Sign-in and roles: who sees Takt, who may change it, and that a hidden control is not the
only guard.

The role decisions are pure functions, tested first. Then the app itself (AppTest, which
lets a test set `st.secrets` through `at.secrets` and `st.user` through `at.user`) in each
mode: one local user without `[auth]`, signed out, a viewer, an editor, a signed-in
stranger, and read-only serving of rollups (`TAKT_ROLLUPS`). Last, the writes themselves
refuse a viewer on the server, and no page reaches a write except through `ui.writes`.
"""

from __future__ import annotations

import ast

import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics.targets import get_targets
from analytics.store.connection import Store
from tests.conftest import APP, AUTH, ROOT, TAKT, open_app, use_db
from ui.auth import EDITOR, VIEWER, Roles, access, role_for, roles_from

EDITOR_USER = {"is_logged_in": True, "email": "anna@plant.example", "email_verified": True}
VIEWER_USER = {"is_logged_in": True, "email": "ben@plant.example"}
STRANGER = {"is_logged_in": True, "email": "someone@gmail.example"}
SIGNED_OUT = {"is_logged_in": False}


# -- the pure decisions ------------------------------------------------------------------------
ROLES = roles_from(TAKT)


@pytest.mark.parametrize(
    ("email", "verified", "role"),
    [
        ("anna@plant.example", True, EDITOR),  # listed as an editor (case differs)
        ("ANNA@PLANT.EXAMPLE ", True, EDITOR),  # addresses compare case-blind, trimmed
        ("ben@plant.example", True, VIEWER),  # the domain entry "@plant.example"
        ("auditor@audit.example", True, VIEWER),  # an exact viewer address
        ("other@audit.example", True, None),  # only that address of the domain
        ("eve@evil-plant.example", True, None),  # a domain entry is not a suffix match
        ("eve@sub.plant.example", True, None),  # nor does it admit subdomains
        ("anna@plant.example", False, None),  # unverified: the address names nobody
        (None, True, None),  # a provider that gives no e-mail
        ("plant.example", True, None),  # not an address
    ],
)
def test_role_for(email, verified, role):
    assert role_for(email, ROLES, verified=verified) == role


def test_editors_win_over_viewers_and_the_default_admits_the_unlisted():
    roles = roles_from({"editors": ["a@x.example"], "viewers": ["a@x.example"]})
    assert role_for("a@x.example", roles) == EDITOR
    assert role_for("b@x.example", roles) is None  # default_role is "none" unless set
    anyone = roles_from({"default_role": "viewer"})
    assert role_for("b@x.example", anyone) == VIEWER
    assert role_for(None, anyone) == VIEWER


@pytest.mark.parametrize(
    "section",
    [
        {"default_role": "editor"},  # nobody becomes an editor by default
        {"default_role": "admin"},
        {"editors": "anna@plant.example"},  # a string, not a list
        {"viewers": [1, 2]},
    ],
)
def test_a_malformed_roles_section_is_refused(section):
    with pytest.raises(ValueError, match=r"\[takt\]"):
        roles_from(section)


def test_without_a_provider_the_local_user_edits_everything():
    now = access({}, {"email": "test@example.com"}, {})
    assert (now.role, now.must_sign_in, now.signed_in, now.can_edit) == (EDITOR, False, False, True)


@pytest.mark.parametrize(
    ("user", "role", "must_sign_in", "can_edit"),
    [
        (SIGNED_OUT, None, True, False),
        ({}, None, True, False),  # no claim at all: not signed in
        (EDITOR_USER, EDITOR, False, True),
        (VIEWER_USER, VIEWER, False, False),
        (STRANGER, None, False, False),
        ({**EDITOR_USER, "email_verified": False}, None, False, False),
    ],
)
def test_with_a_provider(user, role, must_sign_in, can_edit):
    now = access({"auth": AUTH, "takt": TAKT}, user, {})
    assert (now.role, now.must_sign_in, now.can_edit) == (role, must_sign_in, can_edit)


@pytest.mark.parametrize("secrets", [{}, {"auth": AUTH, "takt": TAKT}])
def test_serving_rollups_nobody_edits(secrets):
    now = access(secrets, EDITOR_USER, {"TAKT_ROLLUPS": "/srv/rollups"})
    assert now.role == EDITOR and not now.can_edit
    assert now.read_only.startswith("Read-only:")


def test_roles_default_to_no_access_when_the_section_is_missing():
    assert roles_from(None) == Roles()
    assert access({"auth": AUTH}, VIEWER_USER, {}).role is None


# -- the app in each mode (AppTest) ---------------------------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("auth") / "takt.duckdb")


def run_app(user=None, secrets=None, page=None, **params) -> AppTest:
    return open_app(page, user=user, secrets=secrets, **params)


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button} | {b.label for b in at.get("form_submit_button")}


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


WRITE_BUTTONS = {
    "pages/data.py": {"Move the demo out", "Undo…"},
    "pages/design.py": {"Save targets", "Compute baseline", "Save settings"},
}


def write_controls(at: AppTest, page: str) -> dict:
    """What of the page's write controls this run rendered."""
    return {
        "uploader": len(at.get("file_uploader")),
        "editor": len(at.data_editor),
        "buttons": sorted(labels(at) & WRITE_BUTTONS.get(page, set())),
    }


EDITABLE = {
    # "Move the demo out" is app.py's banner: AppTest's page run after app.py's shows no banner
    "pages/data.py": {"uploader": 1, "editor": 0, "buttons": ["Undo…"]},
    "pages/design.py": {
        "uploader": 0,
        "editor": 1,
        "buttons": ["Compute baseline", "Save settings", "Save targets"],
    },
}
NOTHING = {"uploader": 0, "editor": 0, "buttons": []}


@pytest.mark.parametrize("page", list(EDITABLE))
def test_without_auth_everything_is_editable_and_nobody_signs_in(db, page):
    at = run_app(page=page)
    assert write_controls(at, page) == EDITABLE[page]
    assert not {"Sign in", "Sign out"} & labels(at)
    assert not any(i.startswith("Read-only") for i in infos(at))


@pytest.mark.parametrize("page", list(EDITABLE))
def test_an_editor_gets_every_write_control(db, page):
    at = run_app(EDITOR_USER, {"auth": AUTH, "takt": TAKT}, page)
    assert write_controls(at, page) == EDITABLE[page]
    assert not any(i.startswith("Read-only") for i in infos(at))


@pytest.mark.parametrize(("user", "role"), [(EDITOR_USER, EDITOR), (VIEWER_USER, VIEWER)])
def test_the_sidebar_says_who_is_signed_in_with_a_way_out(db, user, role):
    at = run_app(user, {"auth": AUTH, "takt": TAKT})  # AppTest keeps the sidebar of app.py's run
    assert f"Signed in ({role})" in [c.value for c in at.sidebar.caption]
    assert user["email"] in [t.value for t in at.sidebar.text]
    assert "Sign out" in {b.label for b in at.sidebar.button}


@pytest.mark.parametrize("page", list(EDITABLE))
def test_a_viewer_browses_without_write_controls(db, page):
    at = run_app(VIEWER_USER, {"auth": AUTH, "takt": TAKT}, page)
    assert write_controls(at, page) == NOTHING
    assert any(i.startswith("Read-only: you are signed in as a viewer") for i in infos(at))


def test_a_viewer_still_sees_the_import_history_and_the_targets(db):
    at = run_app(VIEWER_USER, {"auth": AUTH, "takt": TAKT}, "pages/data.py")
    history = next(d.value for d in at.dataframe if "ID" in d.value.columns)
    assert len(history) >= 5  # the demo's five files
    at = run_app(VIEWER_USER, {"auth": AUTH, "takt": TAKT}, "pages/design.py")
    targets = next(d.value for d in at.dataframe if "target" in d.value.columns)
    assert set(get_targets(db)) == set(targets["kpi"])
    assert all(n.disabled for n in at.number_input)  # the settings, shown but locked


@pytest.mark.parametrize(
    ("user", "buttons"),
    [(EDITOR_USER, {"Add note", "Create action", "Save changes"}), (VIEWER_USER, set())],
)
def test_review_notes_and_actions_only_for_editors(db, user, buttons):
    secrets = {"auth": AUTH, "takt": TAKT}
    drill = run_app(user, secrets, "pages/review.py", kpi="otif_rate")
    acts = run_app(user, secrets, "pages/review.py", kpi="otif_rate", view="Actions")
    shown = (labels(drill) | labels(acts)) & {"Add note", "Create action", "Save changes"}
    assert shown == buttons
    assert acts.dataframe[0].value["title"].str.len().gt(0).all()  # actions listed for all


@pytest.mark.parametrize("page", [None, "pages/data.py"])
def test_signed_out_sees_only_the_sign_in(db, page):
    at = AppTest.from_file(APP if page is None else str(ROOT / page), default_timeout=180)
    at.secrets.update({"auth": AUTH, "takt": TAKT})
    at.user = SIGNED_OUT
    at.run()
    assert not at.exception
    assert labels(at) == {"Sign in"}  # a page opened by its own URL stops there too
    assert not at.sidebar.selectbox and not at.get("file_uploader") and not at.dataframe
    assert [t.value for t in at.title] == ["Takt"]


def test_a_signed_in_stranger_has_no_access(db):
    at = run_app(STRANGER, {"auth": AUTH, "takt": TAKT})
    assert [e.value for e in at.error] == [
        "Your account has no access to Takt. Ask whoever runs it to add you."
    ]
    assert labels(at) == {"Sign out"}
    assert not at.sidebar.selectbox and not at.metric


def test_serving_rollups_says_read_only_and_hides_every_write(rollups, monkeypatch):
    monkeypatch.setenv("TAKT_ROLLUPS", str(rollups))
    for page in EDITABLE:
        at = run_app(page=page)
        assert write_controls(at, page) == NOTHING
        assert any(
            i.startswith("Read-only: Takt is serving precomputed rollups") for i in infos(at)
        )


# -- the writes refuse on the server ----------------------------------------------------------
def _try_every_write(db_path: str) -> None:
    """Run as a Streamlit script: call each write of ui.writes and say what happened."""
    import streamlit as st

    from analytics.store.connection import Store
    from ui import writes

    for name in writes.__all__:
        if name == "EditRefused":
            continue
        try:
            if name == "set_target":  # a real write with good arguments
                writes.set_target(Store.shared(db_path), "otif_rate", 0.5)
            else:  # the role is checked before the arguments are even read
                getattr(writes, name)()
            st.text(f"{name}: written")
        except writes.EditRefused as refused:
            st.text(f"{name}: refused: {refused}")
        except TypeError:
            st.text(f"{name}: reached the write")


@pytest.mark.parametrize(
    ("user", "env", "outcome"),
    [
        (VIEWER_USER, {}, "refused: Read-only: you are signed in as a viewer"),
        (EDITOR_USER, {"TAKT_ROLLUPS": "/nowhere"}, "refused: Read-only: Takt is serving"),
        (EDITOR_USER, {}, "reached the write"),
    ],
)
def test_every_write_checks_the_role_on_the_server(db, monkeypatch, user, env, outcome):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    before = get_targets(db)["otif_rate"]["target"]
    at = AppTest.from_function(_try_every_write, args=(db.path,), default_timeout=60)
    at.secrets.update({"auth": AUTH, "takt": TAKT})
    at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = dict(t.value.split(": ", 1) for t in at.text)
    from ui import writes

    assert set(said) == set(writes.__all__) - {"EditRefused"}
    others = {k: v for k, v in said.items() if k != "set_target"}
    assert all(v.startswith(outcome) for v in others.values()), others
    if outcome == "reached the write":
        assert said["set_target"] == "written"
        assert get_targets(db)["otif_rate"]["target"] == 0.5
        Store.shared(db.path)  # put the demo's target back for the other tests
        from analytics.metrics.targets import set_target

        set_target(db, "otif_rate", before)
    else:
        assert said["set_target"].startswith(outcome)
        assert get_targets(db)["otif_rate"]["target"] == before


# -- no page reaches a write another way --------------------------------------------------------
def _analytics_writers() -> set[str]:
    """Functions of analytics/ that write: they open `.writer()` or call one that does
    (by name, to a fixed point), plus `save_upload`, which writes the upload to disk."""
    calls: dict[str, set[str]] = {}
    writers = {"save_upload"}
    for path in (ROOT / "analytics").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                names = {_called(sub.func) for sub in ast.walk(node) if isinstance(sub, ast.Call)}
                calls.setdefault(node.name, set()).update(names)
                if "store.writer" in names:
                    writers.add(node.name)
    grown = True
    while grown:
        more = {f for f, names in calls.items() if names & writers} - writers
        grown = bool(more)
        writers |= more
    return writers


def _called(func) -> str:
    """`f` for f(...) and x.f(...); `store.writer` for any store's write lock."""
    if isinstance(func, ast.Attribute):
        value = func.value
        if func.attr == "writer" and isinstance(value, ast.Name) and "store" in value.id:
            return "store.writer"
        return func.attr
    return getattr(func, "id", "")


# app.py builds (or copies into memory) the demo plant's own store from the bundled files:
# no user input, and nothing of the user's store is written.
ALLOWED = {"ensure_demo_store", "serve_demo"}
UI_FILES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
]


def test_the_writer_list_is_complete():
    writers = _analytics_writers()
    from ui import writes

    assert set(writes.__all__) - {"EditRefused"} <= writers
    assert {"import_file", "undo_import", "save_settings", "move_demo_out", "add_note"} <= writers


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_no_page_imports_a_write_except_through_ui_writes(path):
    if path.name == "writes.py":
        return
    writers = _analytics_writers() - ALLOWED
    tree = ast.parse(path.read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analytics")
        for alias in node.names
    }
    assert not imported & writers, f"{path.name} imports writes {imported & writers}"
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    # nor calls one through its module (`actions.create_action`), nor takes the write lock
    assert not attributes & (writers | {"writer"}), attributes & (writers | {"writer"})


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_calls_the_gate_at_its_top_level(path):
    tree = ast.parse(path.read_text())
    top = [
        n.value.func.id
        for n in tree.body
        if isinstance(n, ast.Expr)
        and isinstance(n.value, ast.Call)
        and isinstance(n.value.func, ast.Name)
    ]
    assert "gate" in top
