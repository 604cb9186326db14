"""The house keeps its floors: every import points down (docs/architecture.md).

`lint-imports` checks the contracts in pyproject.toml; a copy of the code with one import
pointing up shows that the check can fail. Imports inside functions hide loops, so each
one left is listed in pyproject.toml with its reason.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_every_import_contract_is_kept():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(contracts['contracts'])} kept, 0 broken" in out.stdout


def copy_of_the_code(tmp_path: Path) -> Path:
    for name in ("analytics", "ui"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.sql"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_store_module_importing_a_metric_module_breaks_the_floors(tmp_path):
    code = copy_of_the_code(tmp_path)
    version = code / "analytics" / "store" / "version.py"
    version.write_text(version.read_text() + "\nfrom analytics.metrics import figures  # noqa\n")
    out = lint_imports(code)
    assert out.returncode == 1
    assert "analytics: floors, each importing only its own floor or those below BROKEN" in (
        out.stdout
    )
    assert "The store knows no domain: nothing above it BROKEN" in out.stdout
    assert "analytics.store.version -> analytics.metrics.figures" in out.stdout


def test_a_chart_reading_the_store_breaks_its_contract(tmp_path):
    code = copy_of_the_code(tmp_path)
    chart = code / "analytics" / "charts" / "waste.py"
    chart.write_text(chart.read_text() + "\nfrom analytics.store import connection  # noqa\n")
    out = lint_imports(code)
    assert out.returncode == 1
    assert "Charts draw what they are given: no store BROKEN" in out.stdout


def function_local_imports() -> set[str]:
    found = set()
    for path in sorted([*(ROOT / "analytics").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]):
        for fn in ast.walk(ast.parse(path.read_text())):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(fn)
            ):
                found.add(f"{path.relative_to(ROOT).as_posix()}:{fn.name}")
    return found


def test_every_function_local_import_is_listed_with_its_reason():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["takt"][
        "function-local-imports"
    ]
    assert function_local_imports() == set(listed)
    assert all(len(reason) > 20 for reason in listed.values())


def test_modules_and_pages_stay_short():
    """A module over 400 lines (the table descriptions of store/schema.py apart) or a page
    over 250 is a room holding two jobs: split it where the code asks."""
    long_modules = {
        p.relative_to(ROOT).as_posix(): n
        for p in [*(ROOT / "analytics").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert long_modules.keys() <= {"analytics/store/schema.py"}, long_modules
    long_pages = {
        p.name: n
        for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
        if (n := len(p.read_text().splitlines())) > 250
    }
    assert long_pages == {}
