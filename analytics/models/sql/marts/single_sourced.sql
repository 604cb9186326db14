-- Single-sourced skus (METRICS.md section 8).
-- grain: one row per sku delivered by exactly one supplier in [$year_start, $as_of].
-- definition: receipts in the 365 days ending at $as_of; a supplier delivered a sku when its
--   receipts of the sku net (reversals and returns subtracted) to more than 0; single-sourced
--   = exactly one such supplier. Filters: $supplier (its single-sourced skus), $sku, $category;
--   $site (the site's receipts).
-- inputs: stg_deliveries, dim_sku
with supplier_receipts as (
    select
        r.sku,
        r.supplier,
        sum(r.received_qty) as received_qty,
        sum(r.received_qty * coalesce(r.unit_cost, dim.unit_cost)) as spend
    from stg_deliveries as r
    left join dim_sku as dim on dim.sku = r.sku
    where r.received_date between $year_start and $as_of
      and ($site is null or r.site = $site)
    group by r.sku, r.supplier
),

sources as (
    select
        sku,
        count(distinct supplier) as suppliers,
        min(supplier) as supplier,
        sum(spend) as spend
    from supplier_receipts
    where received_qty > 0
    group by sku
),

final as (
    select s.sku, dim.description, dim.category, s.supplier, s.spend
    from sources as s
    left join dim_sku as dim on dim.sku = s.sku
    where s.suppliers = 1
      and ($supplier is null or s.supplier = $supplier)
      and ($sku is null or s.sku = $sku)
      and ($category is null or dim.category = $category)
)

select * from final
