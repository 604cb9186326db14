-- Supplier scorecard of the period (METRICS.md sections 3, 4 and 8).
-- grain: one row per supplier with a PO line, a receipt or a defect in scope.
-- definition: per supplier the rates of kpi_delivery, lead-time mean / sd / CV / p95, mean
--   lateness, defect PPM, spend and spend share; score = 100 x weighted mean of the parts
--   that are known: OTIF rate ($score_weight_otif), quality = max(0, 1 - PPM /
--   $score_ppm_ceiling) ($score_weight_quality), lead-time reliability = max(0, 1 - CV)
--   ($score_weight_lead_time); grade A >= 90, B >= 75, C >= 60, else D; rank 1 = best.
-- inputs: po_lines, lead_time_histogram, defect_events, receipts, supplier_spend
with delivery as (
    select
        supplier,
        sum(case when is_due then 1 else 0 end) as due_lines,
        1.0 * sum(case when is_due and is_on_time then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as on_time_rate,
        1.0 * sum(case when is_due and is_in_full then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as in_full_rate,
        1.0 * sum(case when is_due and is_otif then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as otif_rate,
        1.0 * sum(case when is_due and is_early then 1 else 0 end)
            / nullif(sum(case when is_due and has_receipt then 1 else 0 end), 0) as early_rate,
        sum(case when open_qty > 0 and promised_date < $as_of then 1 else 0 end)
            as late_open_lines
    from po_lines
    group by supplier
),

cumulative as (
    select
        supplier,
        cast(lead_time_days as double) as lead_time_days,
        cast(lines as double) as lines,
        cast(lateness_days_sum as double) as lateness_days_sum,
        sum(lines) over (partition by supplier order by lead_time_days
                         rows between unbounded preceding and current row) - lines
            as lines_below,
        sum(lines) over (partition by supplier) as n
    from lead_time_histogram
),

lead_times as (
    -- whole-day counts give exact statistics; p95 = percentile_cont(0.95): the value at
    -- 0-based rank h = 0.95 (n - 1), interpolated between ranks floor(h) and ceil(h)
    select
        supplier,
        cast(sum(lines) as bigint) as lead_time_lines,
        sum(lines * lead_time_days) / sum(lines) as lead_time_mean_days,
        sqrt((sum(lines * lead_time_days * lead_time_days)
              - sum(lines * lead_time_days) * sum(lines * lead_time_days) / sum(lines))
             / nullif(sum(lines) - 1, 0)) as lead_time_sd_days,
        max(case when lines_below <= floor(0.95 * (n - 1))
                      and floor(0.95 * (n - 1)) < lines_below + lines then lead_time_days end)
        + max(0.95 * (n - 1) - floor(0.95 * (n - 1)))
        * (max(case when lines_below <= ceil(0.95 * (n - 1))
                         and ceil(0.95 * (n - 1)) < lines_below + lines then lead_time_days end)
           - max(case when lines_below <= floor(0.95 * (n - 1))
                           and floor(0.95 * (n - 1)) < lines_below + lines
                      then lead_time_days end)) as lead_time_p95_days,
        sum(lateness_days_sum) / sum(lines) as lateness_mean_days
    from cumulative
    group by supplier
),

quality as (
    select supplier, sum(qty) as defect_qty
    from defect_events
    where supplier is not null
    group by supplier
),

received as (
    select supplier, sum(received_qty) as received_qty from receipts group by supplier
),

suppliers as (
    select supplier from delivery
    union select supplier from quality
    union select supplier from received
),

joined as (
    select
        s.supplier,
        d.due_lines, d.on_time_rate, d.in_full_rate, d.otif_rate, d.early_rate,
        d.late_open_lines,
        l.lead_time_lines, l.lead_time_mean_days, l.lead_time_sd_days,
        l.lead_time_sd_days / nullif(l.lead_time_mean_days, 0) as lead_time_cv,
        l.lead_time_p95_days, l.lateness_mean_days,
        coalesce(q.defect_qty, 0) as defect_qty,
        r.received_qty,
        1000000.0 * coalesce(q.defect_qty, 0) / nullif(r.received_qty, 0) as defect_ppm,
        sp.spend, sp.spend_share
    from suppliers as s
    left join delivery as d on d.supplier = s.supplier
    left join lead_times as l on l.supplier = s.supplier
    left join quality as q on q.supplier = s.supplier
    left join received as r on r.supplier = s.supplier
    left join supplier_spend as sp on sp.supplier = s.supplier
),

parts as (
    select
        *,
        case when defect_ppm is not null
             then greatest(0, 1 - defect_ppm / $score_ppm_ceiling) end as quality_score,
        case when lead_time_cv is not null then greatest(0, 1 - lead_time_cv) end
            as lead_time_score
    from joined
),

scored as (
    select
        *,
        100.0 * (
            coalesce($score_weight_otif * otif_rate, 0)
            + coalesce($score_weight_quality * quality_score, 0)
            + coalesce($score_weight_lead_time * lead_time_score, 0)
        ) / nullif(
            case when otif_rate is not null then $score_weight_otif else 0 end
            + case when quality_score is not null then $score_weight_quality else 0 end
            + case when lead_time_score is not null then $score_weight_lead_time else 0 end,
            0) as score
    from parts
),

final as (
    select
        *,
        case
            when score is null then null
            when score >= 90 then 'A'
            when score >= 75 then 'B'
            when score >= 60 then 'C'
            else 'D'
        end as grade,
        case when score is not null
             then rank() over (order by case when score is null then 1 else 0 end, score desc)
        end as score_rank
    from scored
)

select * from final
