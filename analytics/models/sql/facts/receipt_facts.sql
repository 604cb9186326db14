-- Every receipt with its value, before any period is chosen (METRICS.md sections 4 and 8).
-- stored: order_by=received_date; inline; by_line=deliveries
-- grain: one row per receipt with a received date.
-- definition: value = received_qty x the row's unit cost, else the sku's unit cost (null
--   when neither is known, and when the row's cost is in a currency without a rate: its
--   price is unknown, never replaced by another); sku_unit_cost = the sku's one unit cost (section 1), which
--   values everything but spend. A reversal or return has a negative received_qty and value
--   (is_return), so sums over receipts are net of it. Materialised, sorted by received date.
-- inputs: stg_deliveries, dim_sku
with final as (
    select
        r.po_number, r.po_line, r.receipt_id, r.supplier, r.sku, dim.category, r.site,
        r.received_date, r.received_qty, r.promised_date,
        case when not r.money_unconverted then coalesce(r.unit_cost, dim.unit_cost) end
            as unit_cost,
        dim.unit_cost as sku_unit_cost,
        case when not r.money_unconverted
             then r.received_qty * coalesce(r.unit_cost, dim.unit_cost) end as value,
        r.money_unconverted,
        r.received_qty < 0 as is_return
    from stg_deliveries as r
    left join dim_sku as dim on dim.sku = r.sku
    where r.received_date is not null
)

select * from final
