"""Floor 1: the SQL models, composed by name (`compose`), run with bound values (`run`),
the per-line facts stored after every write (`materialize`), and what a user chose turned
into bound values (`params`)."""
