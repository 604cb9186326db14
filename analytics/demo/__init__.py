"""Floor 4: the demo plant's generator, its files and its loader."""
