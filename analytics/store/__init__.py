"""Floor 0: the DuckDB file, every table's DDL, settings, the data version, freshness."""
