"""The core never imports the UI: every module of analytics/ loads without Streamlit.

Run in a fresh interpreter, since this test process may have imported Streamlit already.
`analytics.__main__` is left out: importing it runs the command line.
"""

import json
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import importlib, json, pkgutil, sys
import analytics
names = sorted(m.name for m in pkgutil.walk_packages(analytics.__path__, "analytics.")
               if not m.name.endswith(".__main__"))
culprits = []
for name in names:
    importlib.import_module(name)
    if "streamlit" in sys.modules and not culprits:
        culprits.append(name)
print(json.dumps({"modules": names, "culprits": culprits,
                  "streamlit": "streamlit" in sys.modules}))
"""


def test_analytics_never_loads_streamlit():
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout)
    # the walk really covered the package, including the sub-package
    assert {
        "analytics.store.connection",
        "analytics.store.schema",
        "analytics.store.freshness",
        "analytics.export",
        "analytics.ingest.uploads",
        "analytics.cli.main",
        "analytics.ingest.pipeline",
    } <= set(result["modules"])
    assert result["culprits"] == []
    assert result["streamlit"] is False
