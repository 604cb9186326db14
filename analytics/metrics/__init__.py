"""Floor 2: the KPI registry and the figures, targets, planning, suppliers, waste."""
