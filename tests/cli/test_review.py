"""`python -m analytics actions` and `spc`: the review figures for scripts and engineers."""

from __future__ import annotations

import json

import pytest

from analytics.cli.main import main
from analytics.demo.generate import QUALITY_SUPPLIER
from analytics.review.actions import create_action
from tests.conftest import cli, d
from tests.review.test_spc import CANS, LOANS, NHS_ATTENDED, NHS_SEEN

ACTION_KEYS = [
    "title",
    "kpi",
    "scope",
    "start_date",
    "status",
    "before",
    "after",
    "change",
    "p_value",
    "verdict",
]


def test_actions_json_has_exactly_the_contract_keys(store):
    create_action(store, title="Kanban loop", kpi="copq", start_date=d("03-04"))
    create_action(
        store,
        title="Milk run",
        kpi="otif_rate",
        scope_kind="sku",
        scope_value="SKU-1",
        start_date="2024-02-05",
        status="done",
    )
    store.close()  # the command opens the file in another process
    done = cli("actions", "--db", store.path, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [list(r) for r in rows] == [ACTION_KEYS, ACTION_KEYS]
    assert rows[0] == {
        "title": "Kanban loop",
        "kpi": "copq",
        "scope": "all",
        "start_date": "2024-03-04",
        "status": "open",
        "before": None,
        "after": None,
        "change": None,
        "p_value": None,
        "verdict": "insufficient data",
    }
    assert (rows[1]["scope"], rows[1]["start_date"]) == ("sku: SKU-1", "2024-02-05")

    text = cli("actions", "--db", store.path)
    assert text.returncode == 0
    assert "2024-03-04  [open] Kanban loop  (copq, all)" in text.stdout
    assert "no data -> after no data: insufficient data" in text.stdout


def test_actions_on_the_demo_show_the_verified_fix(demo):
    demo.close()
    done = cli("actions", "--db", demo.path, "--json")
    [fix] = json.loads(done.stdout)
    assert (fix["scope"], fix["verdict"]) == (f"supplier: {QUALITY_SUPPLIER}", "verified")
    assert fix["p_value"] < 0.05 and fix["after"] < fix["before"]


def test_actions_of_an_empty_database(tmp_path):
    done = cli("actions", "--db", tmp_path / "empty.duckdb")
    assert (done.returncode, done.stdout) == (0, "no actions yet\n")


# -- spc ---------------------------------------------------------------------------------
def spc(capsys, tmp_path, text: str, *args) -> tuple[int, str, str]:
    path = tmp_path / "series.csv"
    path.write_text(text)
    code = main(["spc", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_spc_p_chart_of_montgomerys_cans(capsys, tmp_path):
    text = "defectives,size\n" + "".join(f"{c},50\n" for c in CANS)
    code, out, _ = spc(capsys, tmp_path, text, "--chart", "p", "--json")
    assert code == 0
    chart = json.loads(out)
    assert list(chart) == ["chart", "center", "points"]
    assert chart["chart"] == "p" and chart["center"] == pytest.approx(347 / 1500)
    assert list(chart["points"][0]) == ["index", "value", "ucl", "lcl", "rules"]
    assert chart["points"][0] == {
        "index": 1,
        "value": 0.24,
        "ucl": pytest.approx(0.4102, abs=1e-4),
        "lcl": pytest.approx(0.0524, abs=1e-4),
        "rules": [],
    }
    assert [p["index"] for p in chart["points"] if p["rules"]] == [15, 23]
    code, out, _ = spc(capsys, tmp_path, text, "--chart", "p")
    assert code == 0 and "centre 0.231333" in out
    assert "  15         0.44    0.0524275     0.410239  1: 1 point beyond 3 sigma" in out


def test_spc_xmr_of_montgomerys_loans(capsys, tmp_path):
    text = "week, Value ,note\n" + "".join(f"{i},{v},x\n" for i, v in enumerate(LOANS, 1))
    code, out, _ = spc(capsys, tmp_path, text, "--chart", "xmr", "--rules", "1,2,3,4", "--json")
    assert code == 0
    chart = json.loads(out)
    assert chart["center"] == pytest.approx(300.5)
    assert chart["points"][0]["ucl"] == pytest.approx(321.22, abs=0.01)
    assert chart["points"][0]["lcl"] == pytest.approx(279.78, abs=0.01)
    assert [p["index"] for p in chart["points"]] == list(range(1, 21))
    assert not any(p["rules"] for p in chart["points"])  # in control, as the book says


def test_spc_laney_of_the_nhs_weeks_names_sigma_z(capsys, tmp_path):
    # the published example of tests/review/test_spc.py: p' limits of week 1 as qicharts2
    rows = "".join(f"{s},{n}\n" for s, n in zip(NHS_SEEN, NHS_ATTENDED, strict=True))
    code, out, _ = spc(capsys, tmp_path, "defectives,size\n" + rows, "--chart", "laney", "--json")
    assert code == 0
    chart = json.loads(out)
    assert list(chart) == ["chart", "center", "sigma_z", "points"]
    assert chart["sigma_z"] == pytest.approx(10.6404, abs=1e-4)
    assert chart["points"][0]["lcl"] == pytest.approx(0.9401296441775141, rel=1e-12)
    assert not any(p["rules"] for p in chart["points"])
    code, out, _ = spc(capsys, tmp_path, "defectives,size\n" + rows, "--chart", "laney")
    assert "laney chart, centre 0.9529, sigma_z 10.64, rules 1" in out


def test_spc_u_chart_and_nelson_rules(capsys, tmp_path):
    # u-bar = 9 / 4 = 2.25; the first week (n = 1) has UCL 2.25 + 3 x 1.5 = 6.75
    text = "events,size\n2,1\n6,2\n1,1\n"
    code, out, _ = spc(capsys, tmp_path, text, "--chart", "u", "--rules", "1,5", "--json")
    assert code == 0
    chart = json.loads(out)
    assert chart["center"] == 2.25 and chart["points"][0]["ucl"] == 6.75
    code, _, err = spc(capsys, tmp_path, "events,size\n-1,2\n", "--chart", "u")
    assert code == 2 and "line 2, column 'events': -1 is below 0" in err


@pytest.mark.parametrize(
    ("text", "chart", "message"),
    [
        ("value\n1\n2\n", "p", "missing column 'defectives', 'size'"),
        ("defectives\n1\n", "p", "missing column 'size'"),
        ("value\n1\n2,5\nabc\n", "xmr", "line 4, column 'value': 'abc' is not a number"),
        ("value\n1\n\n", "xmr", "needs at least 2 values"),
        ("value\n1\nnan\n", "xmr", "line 3, column 'value': 'nan' is not a number"),
        ("defectives,size\n1,50\n2,\n", "p", "line 3, column 'size': '' is not a number"),
        ("defectives,size\n1,50\n2,0\n", "p", "line 3, column 'size': 0 is not above 0"),
        ("defectives,size\n51,50\n", "p", "line 2, column 'defectives': 51 is not between"),
        ("defectives,size\n", "p", "no data rows"),
        ("", "xmr", "missing column 'value'"),
    ],
)
def test_spc_bad_files_name_line_and_column(capsys, tmp_path, text, chart, message):
    code, out, err = spc(capsys, tmp_path, text, "--chart", chart)
    assert (code, out) == (2, "")
    assert message in err and str(tmp_path / "series.csv") in err


@pytest.mark.parametrize(
    "args",
    [
        ["--chart", "p", "--rules", "9"],
        ["--chart", "p", "--rules", "one"],
        ["--chart", "np"],
        [],
    ],
)
def test_spc_usage_errors_exit_2(capsys, tmp_path, args):
    (tmp_path / "s.csv").write_text("defectives,size\n1,10\n")
    with pytest.raises(SystemExit) as exit_:
        main(["spc", str(tmp_path / "s.csv"), *args])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as missing:
        main(["spc", str(tmp_path / "none.csv"), "--chart", "p"])
    assert missing.value.code == 2 and "no such file" in capsys.readouterr().err
