"""`python -m analytics digest`: new signals once, exit 1 when any, sent through apprise."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from analytics.cli.main import main
from analytics.demo.load import load_demo
from analytics.store.connection import Store
from tests.conftest import free_port


class Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint that keeps every JSON body posted to it."""

    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server hook's name
        length = int(self.headers.get("Content-Length", 0))
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", free_port()), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_port}/", Receiver.received
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("digest") / "demo.duckdb"
    store = Store(path, lock_timeout=20)
    load_demo(store)
    store.close()
    return path


def digest(capsys, db, *args) -> tuple[int, str, str]:
    code = main(["digest", "--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_webhook_gets_the_digest_once(capsys, demo_db, receiver, monkeypatch):
    url, received = receiver
    monkeypatch.delenv("TAKT_NOTIFY", raising=False)
    # a receiver that is not there: exit 3 and nothing is marked as sent
    dead = f"json://127.0.0.1:{free_port()}/"
    code, out, err = digest(capsys, demo_db, "--notify", dead)
    assert code == 3 and "could not be sent" in err and "new signals between" in out
    code, first, _ = digest(capsys, demo_db, "--notify", url)
    assert code == 1
    assert len(received) == 1
    assert received[0]["title"] == first.splitlines()[0]
    assert received[0]["title"].startswith("Takt: ") and "new signals between" in first
    assert "Late open line" in received[0]["message"]
    # the second run has nothing new: exit 0, nothing sent
    code, second, _ = digest(capsys, demo_db, "--notify", url)
    assert code == 0 and second.startswith("Takt: nothing new between")
    assert len(received) == 1
    # --since-last starts where the last run ended: the as-of date itself, nothing new
    monkeypatch.setenv("TAKT_NOTIFY", url)
    code, out, _ = digest(capsys, demo_db, "--since-last", "--format", "json")
    body = json.loads(out)
    assert code == 0 and body["since"] == body["as_of"] and body["signals"] == []
    assert len(received) == 1


def test_json_lists_the_new_signals_with_their_keys(capsys, demo_db):
    code, out, _ = digest(capsys, demo_db, "--since", "2026-09-01", "--format", "json")
    body = json.loads(out)
    assert code == 1 and body["since"] == "2026-09-01"
    keys = [s["key"] for s in body["signals"]]
    assert keys and len(set(keys)) == len(keys)
    assert set(body["signals"][0]) == {"key", "kind", "title", "page", "params"}
    code, out, _ = digest(capsys, demo_db, "--since", "2026-09-01", "--format", "json")
    assert code == 0 and json.loads(out)["signals"] == []  # reported once


def test_bad_arguments_exit_2(capsys, demo_db):
    for args in (["--since", "yesterday"], ["--since", "2026-01-01", "--since-last"]):
        with pytest.raises(SystemExit) as exit_:
            main(["digest", "--db", str(demo_db), *args])
        assert exit_.value.code == 2
