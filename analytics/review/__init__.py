"""Floor 3: drill-down, Pareto, control charts, effect tests, actions and notes."""
