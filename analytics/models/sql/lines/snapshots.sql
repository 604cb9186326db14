-- Inventory snapshots in the period, valued (METRICS.md section 5).
-- grain: one row per snapshot (date, sku, site, location) dated in [$start, $end], on or before $as_of.
-- definition: snapshot_facts in the period and scope. Filters: $sku, $category, $site.
-- inputs: snapshot_facts
with final as (
    select *
    from snapshot_facts
    where date between $start and $end
      and date <= $as_of
      and ($sku is null or sku = $sku)
      and ($category is null or category = $category)
      and ($site is null or site = $site)
)

select * from final
