-- Spend per supplier and its share (METRICS.md section 8).
-- grain: one row per supplier with receipts in the period.
-- definition: spend = sum of received_qty x unit cost (the row's, else the sku's) over
--   receipts in the period; spend_share = spend / total spend (null when the total is 0).
-- inputs: receipts
with spend as (
    select supplier, sum(value) as spend, sum(received_qty) as received_qty, count(*) as receipts
    from receipts
    group by supplier
),

final as (
    select *, spend / nullif(sum(spend) over (), 0) as spend_share
    from spend
)

select * from final
