"""Tests of analytics/scale: the Parquet lake, the rollup job, its engines, serving rollups."""
