-- The trigger that keeps open_period_totals ran both of its statements for
-- every change of a period: it took away the old remainder and added the
-- new one even when either was nothing, as for each of the 140,000
-- periods a billing run turns from scheduled to due at 100,000 customers.
-- Each statement now runs only when its side of the change is open.
DROP TRIGGER periods_open_update;

CREATE TRIGGER periods_open_update AFTER UPDATE OF state, amount, paid, year, month, connection_id ON periods
WHEN OLD.state IN ('due', 'partial') OR NEW.state IN ('due', 'partial') BEGIN
    UPDATE open_period_totals
    SET due = due - (OLD.amount - OLD.paid)
    WHERE OLD.state IN ('due', 'partial') AND year = OLD.year AND month = OLD.month
      AND service = (SELECT service FROM connections WHERE id = OLD.connection_id);
    INSERT INTO open_period_totals (year, month, service, due)
    SELECT NEW.year, NEW.month, service, NEW.amount - NEW.paid FROM connections
    WHERE id = NEW.connection_id AND NEW.state IN ('due', 'partial')
    ON CONFLICT (year, month, service) DO UPDATE SET due = due + excluded.due;
END;
