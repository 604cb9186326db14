"""The server settings Takt ships with, read from .streamlit/config.toml, and what they do to
a running server: a foreign Host or Origin cannot open a session, an upload without the
page's XSRF token is refused.

docs/deploy.md explains each value and what to change behind a reverse proxy; a setting
that is missing there fails `test_every_checked_setting_is_documented`.
"""

from __future__ import annotations

import socket
import subprocess
import tomllib
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT, streamlit_server

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())

# (section, option) -> the value a deployment must keep, and why.
SECURE = {
    ("server", "enableXsrfProtection"): True,  # uploads carry the page's token
    ("server", "enableCORS"): True,  # other sites' pages may not connect
    ("server", "maxUploadSize"): 200,  # MB: the hard limit (the uploader's own is advisory)
    ("server", "maxMessageSize"): 200,
    ("server", "headless"): True,
    ("server", "runOnSave"): False,
    ("server", "fileWatcherType"): "none",
    ("server", "enableStaticServing"): False,
    ("server", "enableAgentApi"): False,
    ("server", "allowedHosts"): ["localhost", "127.0.0.1", "::1"],
    ("browser", "gatherUsageStats"): False,
    ("client", "showErrorDetails"): "none",  # no tracebacks or messages in the browser
    ("client", "toolbarMode"): "minimal",
    ("client", "disableDataExport"): True,  # tables' own CSV export does not defuse formulas
}


@pytest.mark.parametrize(("option", "value"), SECURE.items(), ids=[".".join(o) for o in SECURE])
def test_the_shipped_setting(option, value):
    section, name = option
    assert CONFIG[section][name] == value


def test_no_setting_weakens_what_streamlit_checks():
    server = CONFIG["server"]
    assert "corsAllowedOrigins" not in server  # no other origin is trusted
    assert "trustedUserHeaders" not in server  # identity only from the signed OIDC cookie
    assert "cookieSecret" not in server  # a fixed secret in git would sign anyone's cookie
    assert "sslCertFile" not in server  # TLS belongs to the proxy (docs/deploy.md)
    assert server.get("xsrfCookieSameSite", "lax") in ("lax", "strict")


def test_secrets_stay_out_of_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
    tracked = subprocess.run(
        ["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == [".streamlit/config.toml"]


def test_every_checked_setting_is_documented():
    doc = (ROOT / "docs" / "deploy.md").read_text()
    for section, name in SECURE:
        assert f"{section}.{name}" in doc, f"docs/deploy.md does not explain {section}.{name}"


# -- a running server ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` with the shipped config (no session is opened, so no demo)."""
    folder = tmp_path_factory.mktemp("server")
    with streamlit_server(folder / "takt.duckdb", log=folder / "streamlit.log") as url:
        yield int(url.rsplit(":", 1)[1])


def open_session(port: int, host: str, origin: str | None) -> str:
    """The status line the server answers a websocket upgrade (a new session) with."""
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
        *([f"Origin: {origin}"] if origin else []),
    ]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return s.recv(4096).decode("latin-1").split("\r\n")[0]


ACCEPTED, REFUSED = "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 403 Forbidden"


@pytest.mark.parametrize(
    ("host", "origin", "answer"),
    [
        ("127.0.0.1:{port}", "http://127.0.0.1:{port}", ACCEPTED),  # the app's own page
        ("localhost:{port}", "http://localhost:{port}", ACCEPTED),
        # DNS rebinding: a foreign name pointed at this machine, same-origin to itself
        ("rebind.example:{port}", "http://rebind.example:{port}", REFUSED),
        ("127.0.0.1:{port}", "https://evil.example", REFUSED),  # another site's page
    ],
)
def test_who_may_open_a_session(server, host, origin, answer):
    assert open_session(server, host.format(port=server), origin.format(port=server)) == answer


def test_an_upload_without_the_pages_token_is_refused(server):
    """403 is the XSRF check, which Streamlit makes first (an unknown session would be 400)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{server}/_stcore/upload_file/session/file",
        data=b"PO Number,Supplier\nPO-1,x\n",
        method="PUT",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
