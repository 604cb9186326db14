"""Every table Takt stores, created in one place before anyone asks for one.

The canonical tables and their undo copies come from `schema.TABLES`; the app's own tables
(the import history, settings, targets, notes, actions, and the bookkeeping of stored facts)
are declared here too, so the store creates them without importing the modules that use
them. Two sessions creating one table at the same moment fail with a catalog conflict, so
nothing is created lazily.
"""

from __future__ import annotations

from analytics.store.schema import SETTINGS, SQL_TYPES, TABLES, TEXT_SETTINGS

# The tables of the app's own features, by name. Declared here and created with the rest
# so the store needs none of the modules that use them (metrics.targets, review.notes,
# review.actions, models.materialize).
APP_TABLES = {
    "imports": """
        CREATE TABLE IF NOT EXISTS imports (
            import_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
            kind VARCHAR, imported_at TIMESTAMP NOT NULL, rows_read BIGINT, inserted BIGINT,
            updated BIGINT, unchanged BIGINT, rejected BIGINT, status VARCHAR NOT NULL,
            message VARCHAR, encoding VARCHAR, delimiter VARCHAR, decimal_comma BOOLEAN,
            date_order VARCHAR, undone_at TIMESTAMP)""",
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL)""",
    "settings": """
        CREATE TABLE IF NOT EXISTS settings (
            name VARCHAR PRIMARY KEY, value DOUBLE NOT NULL, updated_at TIMESTAMP)""",
    # the settings whose value is text (the currency); `settings` holds numbers only
    "text_settings": """
        CREATE TABLE IF NOT EXISTS text_settings (
            name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_at TIMESTAMP)""",
    # which stored facts (mart_<name>) were built for which data version and parameters
    "marts": """
        CREATE TABLE IF NOT EXISTS marts (
            name VARCHAR PRIMARY KEY, data_version BIGINT NOT NULL, params VARCHAR NOT NULL,
            valid_from DATE)""",
    # how each stored fact was last built: the values it bound, the data version its rows
    # were last written at, how (rebuilt whole, or only some lines: how many), and the lines
    # written out of sort order since it was last rebuilt whole: the refresh log
    "fact_builds": """
        CREATE TABLE IF NOT EXISTS fact_builds (
            name VARCHAR PRIMARY KEY, bound VARCHAR NOT NULL, built_version BIGINT NOT NULL,
            how VARCHAR NOT NULL, lines BIGINT, appended BIGINT NOT NULL DEFAULT 0)""",
    # what each write changed (models.materialize rebuilds only the facts they feed),
    # written in the write's transaction; emptied by the refresh that consumed them
    "changes": """
        CREATE TABLE IF NOT EXISTS changes (
            data_version BIGINT NOT NULL, table_name VARCHAR NOT NULL, keyed BOOLEAN NOT NULL)""",
    # the lines (store.version.LINE_KEYS: a PO line, a customer order line) a write touched
    "changed_lines": """
        CREATE TABLE IF NOT EXISTS changed_lines (
            data_version BIGINT NOT NULL, table_name VARCHAR NOT NULL, number VARCHAR,
            line VARCHAR)""",
    "targets": """
        CREATE TABLE IF NOT EXISTS targets (
            kpi VARCHAR PRIMARY KEY, target DOUBLE, baseline DOUBLE, baseline_start DATE,
            baseline_end DATE, updated_at TIMESTAMP)""",
    "notes": """
        CREATE TABLE IF NOT EXISTS notes (
            note_id INTEGER PRIMARY KEY, kpi VARCHAR NOT NULL, path VARCHAR NOT NULL,
            text VARCHAR NOT NULL, author VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)""",
    "actions": """
        CREATE TABLE IF NOT EXISTS actions (
            action_id INTEGER PRIMARY KEY, title VARCHAR NOT NULL, kpi VARCHAR NOT NULL,
            scope_kind VARCHAR NOT NULL, scope_value VARCHAR, start_date DATE NOT NULL,
            owner VARCHAR, status VARCHAR NOT NULL, notes VARCHAR,
            created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    # the digest's memory: each signal key it reported (sent once), and each of its runs
    "signals_reported": """
        CREATE TABLE IF NOT EXISTS signals_reported (
            key VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, title VARCHAR,
            as_of DATE, reported_at TIMESTAMP NOT NULL)""",
    "digest_runs": """
        CREATE TABLE IF NOT EXISTS digest_runs (
            run_id INTEGER PRIMARY KEY, since DATE NOT NULL, as_of DATE NOT NULL,
            ran_at TIMESTAMP NOT NULL, reported INTEGER NOT NULL)""",
    # demand forecasts per sku and site (METRICS.md section 14), written by the forecast
    # batch after orders are imported: the chosen model, its backtest accuracy, the next
    # weeks (week 1 = the 7 days after as_of) with their 80% band, and the fingerprint of
    # the weekly series they were fitted to (a sku is refitted only when it changes)
    "forecasts": """
        CREATE TABLE IF NOT EXISTS forecasts (
            sku VARCHAR NOT NULL, site VARCHAR NOT NULL, as_of DATE NOT NULL,
            history_weeks INTEGER NOT NULL, intermittent BOOLEAN NOT NULL,
            model VARCHAR NOT NULL, wape DOUBLE, bias DOUBLE, naive_wape DOUBLE, fva DOUBLE,
            backtest_demand DOUBLE, backtest_abs_error DOUBLE, backtest_error DOUBLE,
            naive_abs_error DOUBLE, forecast DOUBLE[] NOT NULL, lo DOUBLE[], hi DOUBLE[],
            fingerprint VARCHAR NOT NULL, computed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (sku, site))""",
}


def table_ddl(table, name: str | None = None, extra: str = "") -> str:
    cols = [f"{c.name} {SQL_TYPES[c.type]}" for c in table.columns]
    return f"CREATE TABLE IF NOT EXISTS {name or table.name} ({', '.join(cols)}{extra})"


def ensure_schema(cur) -> None:
    """Create what is missing, columns included; never changes or drops what is there."""
    for ddl in APP_TABLES.values():
        cur.execute(ddl)
    for table in TABLES.values():
        # The natural key is kept unique by the importer, not by an index (see ingest.upsert).
        cur.execute(table_ddl(table, extra=", import_id INTEGER"))
        # Versions overwritten by an import, kept so that import can be undone exactly.
        cur.execute(
            table_ddl(
                table, f"{table.name}__prior", ", import_id INTEGER, replaced_by INTEGER NOT NULL"
            )
        )
    if add_missing_columns(cur):
        # Stored facts built before the contract grew lack its columns: none is current now,
        # so the models run from the canonical tables until the next write rebuilds them.
        cur.execute("DELETE FROM marts")
    rows = [(name, float(default)) for name, (default, *_rest) in SETTINGS.items()]
    cur.executemany("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)
    text = [(name, default) for name, (default, _desc) in TEXT_SETTINGS.items()]
    cur.executemany(
        "INSERT INTO text_settings (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING", text
    )


def add_missing_columns(cur) -> int:
    """Columns the contract gained since this store was made (`site`, `status`, `currency`),
    added to the canonical tables and their `__prior` copies, last, with their default
    filled in for the rows already there; how many were added. Code that copies rows between
    a table and its copy names the columns, so their order does not matter."""
    present = set(
        cur.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = current_schema()"
        ).fetchall()
    )
    added = 0
    for table in TABLES.values():
        for name in (table.name, f"{table.name}__prior"):
            for column in table.columns:
                if (name, column.name) in present:
                    continue
                default = "" if column.default is None else f" DEFAULT '{column.default}'"
                cur.execute(
                    f"ALTER TABLE {name} ADD COLUMN {column.name} {SQL_TYPES[column.type]}{default}"
                )
                added += 1
    return added
