-- Staging: quality events as imported.
-- grain: one row per defect event (defect_id).
-- definition: the canonical defects table without bookkeeping columns; site '' = the one site.
-- inputs: defects
select
    defect_id, date, sku, supplier, po_number, stage, cause, qty, cost, disposition,
    coalesce(site, '') as site
from defects
