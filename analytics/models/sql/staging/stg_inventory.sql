-- Staging: on-hand snapshots as imported, costs in the base currency.
-- grain: one row per snapshot (date, sku, site, location).
-- definition: the canonical inventory table without bookkeeping columns; site '' = the one
--   site. currency: the row's code, empty = $currency; unit_cost converted with the rate of
--   stg_rates valid on the snapshot date; no rate: unit_cost null and money_unconverted true.
-- inputs: inventory, stg_rates
with coded as (
    select i.*, coalesce(nullif(upper(trim(i.currency)), ''), $currency) as money_currency
    from inventory as i
),

final as (
    select
        i.date, i.sku, coalesce(i.site, '') as site, i.location, i.on_hand_qty,
        i.unit_cost * (case when i.money_currency = $currency then 1.0 else r.rate end)
            as unit_cost,
        i.money_currency as source_currency,
        i.unit_cost is not null and i.money_currency <> $currency and r.rate is null
            as money_unconverted
    from coded as i
    left join stg_rates as r
        on r.currency = i.money_currency and i.date >= r.valid_from and i.date < r.valid_to
)

select * from final
