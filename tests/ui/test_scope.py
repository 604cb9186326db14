"""The sidebar's filters over a long list (AppTest on the demo's imports): past
`ui.scope.LIST_LIMIT` values a select shows the first ones, keeps the one a link chose, and
takes any other typed in or linked to; a value the data does not hold is refused, never
used."""

from __future__ import annotations

import pytest

import ui.scope
from analytics.metrics.figures import choices
from tests.conftest import open_app, use_db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("scope") / "takt.duckdb")


@pytest.fixture
def short_lists(monkeypatch):
    monkeypatch.setattr(ui.scope, "LIST_LIMIT", 10)


def sku_select(at):
    return next(s for s in at.sidebar.selectbox if s.label == "SKU")


def test_a_short_list_is_listed_whole(db):
    skus = choices(db)["skus"]
    assert 10 < len(skus) <= ui.scope.LIST_LIMIT  # the demo's
    select = sku_select(open_app())
    assert select.options == ["All", *skus]


def test_a_long_list_shows_its_first_values(db, short_lists):
    skus = choices(db)["skus"]
    at = open_app()
    select = sku_select(at)
    assert select.options == ["All", *skus[:10]]
    assert f"{len(skus):,} in the data" in select.help
    assert at.session_state["takt_scope"].sku is None
    assert not at.sidebar.warning


# AppTest reruns only the page after app.py's first run, so a value is given as a link
# would give it (a first run); typed in the browser, it reaches the select the same way: as the
# string itself, which a select taking new options returns as it is.
def test_a_sku_past_the_list_given_by_a_link_is_kept(db, short_lists):
    skus = choices(db)["skus"]
    at = open_app(sku=skus[-1])
    assert at.session_state["takt_scope"].sku == skus[-1]
    assert sku_select(at).value == skus[-1]
    assert sku_select(at).options == ["All", *skus[:10]]


def test_a_sku_the_data_does_not_hold_is_refused(db, short_lists):
    at = open_app(sku="NO-SUCH-SKU *bold*")
    assert at.session_state["takt_scope"].sku is None  # the figures cover all
    [warning] = at.sidebar.warning
    assert warning.value == "No SKU of that name in the data: the figures cover all."
    assert sku_select(at).value == "NO-SUCH-SKU *bold*"  # the select shows it as typed
