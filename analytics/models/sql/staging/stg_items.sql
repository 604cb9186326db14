-- Staging: the item master as imported.
-- grain: one row per sku.
-- definition: the canonical items table without bookkeeping columns.
-- inputs: items
select sku, description, category, container_qty, planned_lead_time_days, unit_cost
from items
