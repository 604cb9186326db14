-- Supply concentration of the period (METRICS.md section 8).
-- grain: one row.
-- definition: hhi = sum over suppliers of spend share squared (0 to 1); null without spend.
-- inputs: supplier_spend
with final as (
    select
        count(*) as suppliers_with_spend,
        sum(spend) as total_spend,
        sum(spend_share * spend_share) as hhi
    from supplier_spend
)

select * from final
