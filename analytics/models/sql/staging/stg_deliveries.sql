-- Staging: supplier receipts as imported.
-- grain: one row per receipt (po_number, po_line, receipt_id); a line not yet received is one row.
-- definition: the canonical deliveries table without bookkeeping columns.
-- inputs: deliveries
select
    po_number, po_line, receipt_id, supplier, sku, order_date, promised_date,
    ordered_qty, received_date, received_qty, unit_cost
from deliveries
