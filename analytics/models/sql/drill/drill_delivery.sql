-- Supplier delivery figures per group: one level of the Review drill-down (section 3).
-- grain: one row per value of $by ('supplier', 'sku', 'category' or 'site') among PO lines in
--   scope; the one empty site ('') is the key null.
-- definition: the counts of kpi_delivery per group: due lines and their OTIF, on-time,
--   in-full, received and early lines; lead-time lines (a receipt, last receipt in the
--   period) with their mean, sample sd and p95 (linear). Filters: $supplier, $sku,
--   $category, $site.
-- inputs: po_lines
with in_period as (
    -- due lines, then lead-time lines not due: two ranges rather than one OR, so that the
    -- scan of the stored facts skips the row groups outside the period
    select * from po_lines where is_due
    union all
    select * from po_lines
    where has_receipt and last_receipt between $start and $end and not coalesce(is_due, false)
),

grouped as (
    select
        case cast($by as varchar)
            when 'supplier' then supplier
            when 'sku' then sku
            when 'category' then category
            when 'site' then nullif(site, '')
        end as key,
        *,
        has_receipt and last_receipt between $start and $end as is_lead_time_line
    from in_period
),

final as (
    select
        key,
        sum(case when is_due then 1 else 0 end) as due_lines,
        sum(case when is_due and is_otif then 1 else 0 end) as otif_lines,
        sum(case when is_due and is_on_time then 1 else 0 end) as on_time_lines,
        sum(case when is_due and is_in_full then 1 else 0 end) as in_full_lines,
        sum(case when is_due and has_receipt then 1 else 0 end) as due_received_lines,
        sum(case when is_due and is_early then 1 else 0 end) as early_lines,
        sum(case when is_lead_time_line then 1 else 0 end) as lead_time_lines,
        avg(case when is_lead_time_line then lead_time_days end) as lead_time_mean_days,
        stddev_samp(case when is_lead_time_line then lead_time_days end) as lead_time_sd_days,
        percentile_cont(0.95) within group (
            order by case when is_lead_time_line then lead_time_days end
        ) as lead_time_p95_days
    from grouped
    group by key
)

select * from final
