"""Sign-in in a real browser: with an `[auth]` provider configured, a visitor who has not
signed in sees only the sign-in, on the home page and on a page opened by its own URL, and
the app touches no data for them (AppTest cannot show this: there `st.user` does not see the
`[auth]` section, so a test sets `is_logged_in` itself).

The provider is never contacted: the test does not click "Sign in". Uses Debian's chromium.
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    AUTH,
    IDLE,
    TAKT,
    WAIT_MS,
    chromium_browser,
    require_chromium,
    streamlit_server,
)

pytestmark = pytest.mark.browser


def toml(sections: dict) -> str:
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {v!r}".replace("'", '"') for k, v in values.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def signed_out(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("auth")
    secrets = folder / "secrets.toml"
    secrets.write_text(toml({"auth": AUTH, "takt": TAKT}))
    db = folder / "takt.duckdb"
    args = ("--server.address", "127.0.0.1", "--secrets.files", str(secrets))
    with streamlit_server(db, *args) as url, chromium_browser() as browser:
        yield browser, url, db


@pytest.mark.parametrize("path", ["", "data", "suppliers?supplier=Acme"])
def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in(signed_out, path, tmp_path):
    browser, url, db = signed_out
    context = browser.new_context(viewport={"width": 1200, "height": 700})
    page = context.new_page()
    page.goto(f"{url}/{path}")
    page.get_by_role("button", name="Sign in").wait_for(timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("h1").all_inner_texts() == ["Takt"]
    assert "Sign in to see the plant's figures." in main.inner_text()
    assert page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").count() == 0
    assert page.locator("[data-testid='stFileUploader'], [data-testid='stMetric']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert not db.exists()  # nothing was read or loaded for a visitor
    if not path:
        page.screenshot(path=str(tmp_path / "sign-in.png"))
    context.close()
