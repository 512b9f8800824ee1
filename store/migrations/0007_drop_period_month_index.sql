-- No query looks periods up by year and month any more: reports walk each
-- connection's periods, and the dashboard reads open_period_totals. The
-- index only cost time on every insert, 1.7 million of them at each year
-- rollover of a 100,000-customer office.
DROP INDEX periods_year_month;
