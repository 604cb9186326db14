"""Floor 5: `python -m analytics ...`, one module per command group."""
