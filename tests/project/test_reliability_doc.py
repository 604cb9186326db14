"""docs/reliability.md names, for every promise, the tests that prove it: each must exist."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

DOC = (ROOT / "docs" / "reliability.md").read_text()


def defined_tests() -> dict[str, set[str]]:
    """tests/<folder>/<file>.py -> the test functions it defines."""
    return {
        path.relative_to(ROOT).as_posix(): {
            node.name
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
        for path in (ROOT / "tests").rglob("test_*.py")
    }


def test_every_test_the_reliability_doc_names_exists():
    tests = defined_tests()
    every = set().union(*tests.values())
    for path, name in re.findall(r"(tests/(?:\w+/)*test_\w+\.py)::(test_\w+)", DOC):
        assert name in tests.get(path, ()), f"{path}::{name}"
    for path in re.findall(r"tests/(?:\w+/)*\w+\.py", DOC):
        assert (ROOT / path).exists(), path
    for name in re.findall(r"\btest_\w++(?!\.py)", DOC):
        assert name in every, name


def test_the_security_section_is_there():
    assert "## Hostile input, access and server settings" in DOC
    assert "<!-- security section -->" not in DOC  # filled in, not a placeholder
