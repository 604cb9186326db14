-- Staging: supplier receipts as imported, cancelled lines left out, costs in the base currency.
-- grain: one row per receipt (po_number, po_line, receipt_id); a line not yet received is one row.
-- definition: the canonical deliveries table without bookkeeping columns, without rows whose
--   status is in cancelled_statuses (kept in the table, counted in no figure); received_qty
--   may be negative (a reversal or return); site '' = the one site. currency: the row's code,
--   empty = $currency (source_currency); unit_cost converted with the rate valid on the receipt date (else the
--   order date) of stg_rates; no rate: unit_cost null and money_unconverted true. is_closed:
--   the line's status is in closed_statuses (closed short: its rest will never come).
-- inputs: deliveries, cancelled_statuses, closed_statuses, stg_rates
with counted as (
    select
        d.*,
        cl.status is not null as is_closed,
        coalesce(nullif(upper(trim(d.currency)), ''), $currency) as money_currency,
        coalesce(d.received_date, d.order_date) as money_date
    from deliveries as d
    left join cancelled_statuses as c on c.status = lower(trim(d.status))
    left join closed_statuses as cl on cl.status = lower(trim(d.status))
    where c.status is null
),

final as (
    select
        d.po_number, d.po_line, d.receipt_id, d.supplier, d.sku, d.order_date, d.promised_date,
        d.ordered_qty, d.received_date, d.received_qty,
        d.unit_cost * (case when d.money_currency = $currency then 1.0 else r.rate end)
            as unit_cost,
        coalesce(d.site, '') as site, d.status, d.is_closed, d.money_currency as source_currency,
        d.unit_cost is not null and d.money_currency <> $currency and r.rate is null
            as money_unconverted
    from counted as d
    left join stg_rates as r
        on r.currency = d.money_currency
        and d.money_date >= r.valid_from and d.money_date < r.valid_to
)

select * from final
