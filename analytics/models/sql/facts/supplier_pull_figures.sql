-- Each supplier's OTIF and lead-time p95 as the Pull list shows them (METRICS.md section 11).
-- stored: order_by=supplier; depends=as_of,start,end,site; at_default_as_of
-- grain: one row per supplier with a PO line (of $site, when chosen).
-- definition: supplier_otif_rate = OTIF lines / due lines over its PO lines promised in
--   [$start, $end] that are complete or promised before $as_of; supplier_lead_time_p95_days
--   = the 95th percentile (continuous) of the lead time of its lines with a receipt whose
--   last receipt is in [$start, $end]. Stored for the default as-of, period and all sites
--   after every write that reaches its inputs; other scopes compute it on request.
-- inputs: po_line_facts
with final as (
    select
        supplier,
        1.0 * count(case when promised_date between $start and $end
                              and (is_complete or promised_date < $as_of) and is_otif then 1 end)
            / nullif(count(case when promised_date between $start and $end
                                     and (is_complete or promised_date < $as_of) then 1 end), 0)
            as supplier_otif_rate,
        percentile_cont(0.95) within group (order by lead_time_days)
            filter (where has_receipt and last_receipt between $start and $end)
            as supplier_lead_time_p95_days
    from po_line_facts
    where ($site is null or site = $site)
    group by supplier
)

select * from final
