-- ABC class of every sku of known cost (METRICS.md section 7).
-- stored: order_by=sku; depends=as_of,site,abc_a,abc_b; at_default_as_of
-- grain: one row per sku with a unit cost.
-- definition: consumption value = customer ordered quantity (of $site, when chosen) with an
--   order date in the 365 days ending at $as_of x unit cost (0 without demand: ranks last);
--   cumulative_share = the running share of the total, largest first (ties by sku), the sku
--   itself included; A when <= $abc_a, B when <= $abc_b, else C (no class when the total is
--   0). Unknown cost: no row. Stored for the default as-of and all sites after every write
--   that reaches its inputs (the Pull list and the sizing read it); other scopes compute it
--   on request.
-- inputs: stg_orders, dim_sku
with yearly_demand as (
    select sku, sum(ordered_qty) as qty
    from stg_orders
    where order_date between $year_start and $as_of
      and ($site is null or site = $site)
    group by sku
),

consumption as (
    -- every sku of known cost takes part: one without demand consumes 0 and ranks last (C)
    select dim.sku, coalesce(y.qty, 0) * dim.unit_cost as consumption_value
    from dim_sku as dim
    left join yearly_demand as y on y.sku = dim.sku
    where dim.unit_cost is not null
),

abc as (
    select
        sku,
        consumption_value,
        sum(consumption_value) over (order by consumption_value desc, sku
                                     rows between unbounded preceding and current row)
            / nullif(sum(consumption_value) over (), 0) as cumulative_share
    from consumption
    where consumption_value is not null
),

final as (
    select
        *,
        case
            when cumulative_share is null then null  -- nothing consumed at all: no ranking
            when cumulative_share <= $abc_a then 'A'
            when cumulative_share <= $abc_b then 'B'
            else 'C'
        end as abc_class
    from abc
)

select * from final
