-- Staging: quality events as imported, costs in the base currency.
-- grain: one row per defect event (defect_id).
-- definition: the canonical defects table without bookkeeping columns; site '' = the one site.
--   currency: the row's code, empty = $currency; cost converted with the rate of stg_rates
--   valid on the defect date; no rate: cost null and money_unconverted true.
-- inputs: defects, stg_rates
with coded as (
    select d.*, coalesce(nullif(upper(trim(d.currency)), ''), $currency) as money_currency
    from defects as d
),

final as (
    select
        d.defect_id, d.date, d.sku, d.supplier, d.po_number, d.stage, d.cause, d.qty,
        d.cost * (case when d.money_currency = $currency then 1.0 else r.rate end) as cost,
        d.disposition, coalesce(d.site, '') as site, d.money_currency as source_currency,
        d.cost is not null and d.money_currency <> $currency and r.rate is null
            as money_unconverted
    from coded as d
    left join stg_rates as r
        on r.currency = d.money_currency and d.date >= r.valid_from and d.date < r.valid_to
)

select * from final
