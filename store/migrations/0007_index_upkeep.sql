-- No query looks periods up by year and month any more: reports walk each
-- connection's periods, and the dashboard reads open_period_totals. The
-- index only cost time on every insert, 1.7 million of them at each year
-- rollover of a 100,000-customer office.
DROP INDEX periods_year_month;

-- Each batch of reminders counts the reminders queued since the start of
-- the day, against the daily limit; without this index it read the whole
-- outbox every time.
CREATE INDEX outbox_kind_created ON outbox (kind, created_at);
