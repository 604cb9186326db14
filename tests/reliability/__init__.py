"""Cross-cutting tests of the whole stack, from import to download, against independent
checks: the pandas reference, SQL invariants, property tests and fuzzing, concurrent
workers, killed imports, memory limits, hostile values in SQL and in downloads. Most are
the proofs docs/reliability.md cites."""
