"""The Review page's tabs and forms, one module each, under a short `pages/review.py`.

Each module owns one part of the screen and the widget state that goes with it: the KPI and
its headline (`kpi`), the drill path bound to the URL (`path`), the drill-down, Pareto and
control-chart tabs (`drill`, `pareto`, `control`), the notes form (`notes`), the actions tab
and its forms (`actions`, `action_forms`) and the meeting report (`meeting`). What they share,
clearing the path and the one-shot outcome of a callback, lives in `state`. The page only
lays these out; every figure comes from `analytics` through `ui.cache`.
"""
