-- Staging: the item master as imported, costs in the base currency.
-- grain: one row per sku.
-- definition: the canonical items table without bookkeeping columns. currency: the row's
--   code, empty = $currency; the master has no date, so unit_cost is converted with the
--   latest rate of its currency in stg_rates; no rate: unit_cost null and money_unconverted.
-- inputs: items, stg_rates
with coded as (
    select i.*, coalesce(nullif(upper(trim(i.currency)), ''), $currency) as money_currency
    from items as i
),

final as (
    select
        i.sku, i.description, i.category, i.container_qty, i.planned_lead_time_days,
        i.unit_cost * (case when i.money_currency = $currency then 1.0 else r.rate end)
            as unit_cost,
        i.money_currency as source_currency,
        i.unit_cost is not null and i.money_currency <> $currency and r.rate is null
            as money_unconverted
    from coded as i
    left join stg_rates as r
        on r.currency = i.money_currency and r.valid_to = date '9999-12-31'
)

select * from final
