-- Staging: customer order lines (demand) as imported, cancelled lines left out, prices in the
-- base currency.
-- grain: one row per order line (order_number, order_line).
-- definition: the canonical orders table without bookkeeping columns, without lines whose
--   status is in cancelled_statuses (kept in the table, counted in no figure: no demand, no
--   fill rate, no COGS); site '' = the one site. currency: the row's code, empty = $currency;
--   unit_price converted with the rate of stg_rates valid on the order date; no rate:
--   unit_price null and money_unconverted true. is_closed: the status is in closed_statuses
--   (nothing more will ship: the unshipped rest is no open demand, METRICS.md section 11).
-- inputs: orders, cancelled_statuses, closed_statuses, stg_rates
with counted as (
    select o.*, coalesce(nullif(upper(trim(o.currency)), ''), $currency) as money_currency
    from orders as o
    left join cancelled_statuses as c on c.status = lower(trim(o.status))
    where c.status is null
),

final as (
    select
        o.order_number, o.order_line, o.customer, o.sku, o.order_date, o.requested_date,
        o.shipped_date, o.ordered_qty, o.shipped_qty,
        o.unit_price * (case when o.money_currency = $currency then 1.0 else r.rate end)
            as unit_price,
        coalesce(o.site, '') as site, o.status, cl.status is not null as is_closed,
        o.money_currency as source_currency,
        o.unit_price is not null and o.money_currency <> $currency and r.rate is null
            as money_unconverted
    from counted as o
    left join stg_rates as r
        on r.currency = o.money_currency
        and o.order_date >= r.valid_from and o.order_date < r.valid_to
    left join closed_statuses as cl on cl.status = lower(trim(o.status))
)

select * from final
