"""Floor 2: other engines (Spark), the rollup job and serving its rollups."""
