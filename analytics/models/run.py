"""Running a composed model with bound values, reading stored facts where they answer.

Only the parameters a statement uses are passed; a missing one is a KeyError naming it.
"""

from __future__ import annotations

from analytics.models.compose import parameters
from analytics.models.materialize import usable
from analytics.models.stored_figures import composed_as_of, lookup


def prepare(cur, name: str, params: dict, around: str = "{sql}") -> tuple[str, dict]:
    """The statement for a model (optionally wrapped: `around` holds `{sql}`) and its values.

    Up-to-date marts are read where they give exactly what the models would compute (the
    PO-line facts also at an earlier as-of, through a view built on this cursor), and a
    stored figure (models.stored_figures) is the whole answer when it holds these values
    (wrapped by `around` as the model would be).
    """
    table = lookup(cur, name, params)
    if table is not None:
        sql = around.format(sql=f"select * from {table}")
    else:
        model = composed_as_of(
            cur, name, params, usable(cur, params), lambda values: usable(cur, values)
        )
        sql = around.format(sql=model)
    needed = parameters(sql)
    missing = needed - set(params)
    if missing:
        raise KeyError(f"model {name} needs parameters {sorted(missing)}")
    return sql, {k: params[k] for k in needed}


def run(cur, name: str, params: dict):
    """Execute a model with the parameters it uses."""
    return cur.execute(*prepare(cur, name, params))


def run_rows(cur, name: str, params: dict) -> list[dict]:
    result = run(cur, name, params)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
