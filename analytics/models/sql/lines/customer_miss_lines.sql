-- Customer misses traced to the PO lines that were missing (METRICS.md section 12).
-- grain: one row per missed customer line and PO line of its sku and site incomplete on the
--   line's requested date.
-- definition: a missed line is a due customer line (order_lines) that is not OTIF and whose
--   sku's on hand at the requested date (the latest snapshot on or before it, summed over
--   locations, at the line's site) was below its ordered quantity; a line without such a
--   snapshot is not traced. Its supply misses are the sku's PO lines at the same site
--   promised in [requested_date - p95 lead time, requested_date] (p95 = percentile_cont
--   0.95 of lead_time_days over the sku's received PO lines at that site, from their counts
--   by whole day) whose net
--   receipts up to the requested date were below their ordered quantity; owed_qty = ordered
--   - received by then. line_value = ordered_qty x unit_price, else x the sku's unit cost;
--   share = owed_qty / the line's total owed_qty; value_hit = line_value x share (null when
--   the line has no value). Filters: $sku, $category, $site on the customer line; $supplier
--   on the PO line (the shares are over all suppliers).
-- inputs: order_lines, snapshot_facts, po_line_facts, receipt_facts
with missed as (
    select
        order_number, order_line, customer, sku, site, requested_date, ordered_qty,
        ordered_qty * coalesce(unit_price, unit_cost) as line_value
    from order_lines
    where is_due and not is_otif
),

stock_days as (
    select sku, site, date, sum(on_hand_qty) as on_hand_qty
    from snapshot_facts
    group by sku, site, date
),

latest_day as (
    -- the latest snapshot day on or before the requested date (no ASOF JOIN: Spark has none;
    -- not a join on date <= requested_date either: 37M rows at 5M customer lines). Each
    -- sku-site's snapshot days and requested dates in one timeline, a snapshot before a
    -- requested date of the same day, and the running latest snapshot day along it.
    select order_number, order_line, snapshot_day as date
    from (
        select
            order_number, order_line, kind,
            max(case when kind = 0 then date end) over (
                partition by sku, site order by date, kind
                rows between unbounded preceding and current row
            ) as snapshot_day
        from (
            select sku, site, date, 0 as kind, null as order_number, null as order_line
            from stock_days
            union all
            select sku, site, requested_date as date, 1 as kind, order_number, order_line
            from missed
        ) as timeline
    ) as running
    where kind = 1 and snapshot_day is not null
),

on_hand as (
    select m.*, s.on_hand_qty
    from missed as m
    inner join latest_day as l
        on l.order_number = m.order_number and l.order_line = m.order_line
    inner join stock_days as s
        on s.sku = m.sku and s.site = m.site and s.date = l.date
),

short as (
    select * from on_hand where on_hand_qty < ordered_qty
),

lead_days as (
    select sku, site, lead_time_days, count(*) as lines
    from po_line_facts
    where lead_time_days is not null
    group by sku, site, lead_time_days
),

lead_ranks as (
    select
        sku, site, lead_time_days, lines,
        sum(lines) over (partition by sku, site order by lead_time_days
                         rows between unbounded preceding and current row) - lines as lines_below,
        (sum(lines) over (partition by sku, site) - 1) * cast(0.95 as double) as h
    from lead_days
),

lead_p95 as (
    -- percentile_cont(0.95) from whole-day counts, as kpi_delivery: the value at 0-based
    -- rank h = (n - 1) 0.95, interpolated between the values at floor(h) (lo) and ceil(h)
    -- (hi), found by each day's range of ranks (equal to percentile_cont to the last bit on
    -- the 20,000 sku-sites of the 10M-line bench, and holding one row per day, not per line)
    select sku, site, lo + (h - floor(h)) * (hi - lo) as p95
    from (
        select
            sku, site, max(h) as h,
            max(case when lines_below <= floor(h) and floor(h) < lines_below + lines
                     then lead_time_days end) as lo,
            max(case when lines_below <= ceil(h) and ceil(h) < lines_below + lines
                     then lead_time_days end) as hi
        from lead_ranks
        group by sku, site
    ) as ranked
),

po_owed as (
    select
        s.order_number, s.order_line, p.supplier, p.po_number, p.po_line, p.promised_date,
        p.ordered_qty as po_ordered_qty,
        p.ordered_qty - coalesce((
            select sum(r.received_qty)
            from receipt_facts as r
            where r.po_number = p.po_number and r.po_line = p.po_line
              and r.received_date <= s.requested_date
        ), 0) as owed_qty
    from short as s
    join lead_p95 as l on l.sku = s.sku and l.site = s.site
    join po_line_facts as p
        on p.sku = s.sku and p.site = s.site
        and p.promised_date between s.requested_date - cast(ceil(l.p95) as integer)
            and s.requested_date
),

owed as (
    select * from po_owed where owed_qty > 0
),

final as (
    select
        s.order_number, s.order_line, s.customer, s.sku, s.site, s.requested_date,
        s.ordered_qty, s.on_hand_qty, s.line_value,
        o.supplier, o.po_number, o.po_line, o.promised_date, o.po_ordered_qty, o.owed_qty,
        o.owed_qty / sum(o.owed_qty) over (partition by s.order_number, s.order_line) as share,
        s.line_value * o.owed_qty
            / sum(o.owed_qty) over (partition by s.order_number, s.order_line) as value_hit
    from short as s
    join owed as o on o.order_number = s.order_number and o.order_line = s.order_line
)

select * from final
where $supplier is null or supplier = $supplier
