-- Staging: on-hand snapshots as imported.
-- grain: one row per snapshot (date, sku, location).
-- definition: the canonical inventory table without bookkeeping columns.
-- inputs: inventory
select date, sku, location, on_hand_qty, unit_cost
from inventory
