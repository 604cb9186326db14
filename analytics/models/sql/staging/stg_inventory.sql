-- Staging: on-hand snapshots as imported.
-- grain: one row per snapshot (date, sku, site, location).
-- definition: the canonical inventory table without bookkeeping columns; site '' = the one site.
-- inputs: inventory
select date, sku, coalesce(site, '') as site, location, on_hand_qty, unit_cost
from inventory
