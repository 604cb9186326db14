"""What the canonical schema says about dates: which record events and which are plans."""

from analytics.store.schema import DATE, EVENT_DATES, TABLES


def test_event_dates_are_date_columns_of_every_table():
    assert set(EVENT_DATES) == set(TABLES)
    for name, columns in EVENT_DATES.items():
        for column in columns:
            assert TABLES[name].column(column).type == DATE


def test_the_dates_left_out_are_exactly_the_plans():
    # METRICS.md section 2: received, shipped, order, defect and snapshot dates are events;
    # promised and requested dates are plans and never set the as-of date.
    plans = {
        (t.name, c.name)
        for t in TABLES.values()
        for c in t.columns
        if c.type == DATE and c.name not in EVENT_DATES[t.name]
    }
    # a rate's valid_from is when it starts to apply, no event: next month's rate must not
    # move the as-of date either
    assert plans == {
        ("deliveries", "promised_date"),
        ("orders", "requested_date"),
        ("rates", "valid_from"),
    }
