-- Amounts that could not be converted into the base currency: no rate for their currency.
-- grain: one row per table and currency with such rows (none when every amount converts).
-- definition: rows of the staging models (cancelled lines left out) with a money value in a
--   currency other than $currency that stg_rates has no rate for on the row's date. Their
--   amount is unknown: left out of every money sum, never counted as 0.
-- inputs: stg_deliveries, stg_orders, stg_defects, stg_inventory, stg_items
with unconverted as (
    select 'deliveries' as table_name, source_currency as currency from stg_deliveries where money_unconverted
    union all
    select 'orders' as table_name, source_currency as currency from stg_orders where money_unconverted
    union all
    select 'defects' as table_name, source_currency as currency from stg_defects where money_unconverted
    union all
    select 'inventory' as table_name, source_currency as currency from stg_inventory where money_unconverted
    union all
    select 'items' as table_name, source_currency as currency from stg_items where money_unconverted
),

final as (
    select table_name, currency, count(*) as rows
    from unconverted
    group by table_name, currency
    order by table_name, currency
)

select * from final
