"""Takt's tests, laid out like the code.

- tests/<package>/test_<module>.py tests analytics/<package>/<module>.py, and
  tests/test_<module>.py a module at the root of analytics/ (export.py);
- tests/ui/ tests ui/, tests/pages/ runs app.py and pages/ in AppTest, tests/browser/ runs
  the app in a real browser;
- tests/reliability/ holds the cross-cutting tests of the whole stack, tests/project/ the
  checks of the repository itself (import floors, docs, shipped settings).

Shared fixtures and helpers are in conftest.py; data helpers are the modules beside it.
Every test folder is a package (has an __init__.py): modules of the same name in two folders
(tests/pages/test_review.py, tests/cli/test_review.py) import as tests.<folder>.<module>.
"""
