-- Spend concentration (HHI) by week or month of receipt (METRICS.md section 8).
-- grain: one row per $grain bucket with valued receipts.
-- definition: within each bucket, hhi = sum over suppliers of their spend share squared.
-- inputs: receipts
with by_supplier as (
    select cast(date_trunc($grain, received_date) as date) as bucket, supplier,
           sum(value) as spend
    from receipts
    group by cast(date_trunc($grain, received_date) as date), supplier
),

shares as (
    select bucket, supplier, spend,
           spend / nullif(sum(spend) over (partition by bucket), 0) as share
    from by_supplier
),

final as (
    select bucket, count(*) as suppliers, sum(spend) as total_spend,
           sum(share * share) as hhi
    from shares
    group by bucket
)

select * from final
