-- Totals that triggers keep up to date, so the admin dashboard reads a few
-- hundred rows instead of every payment and open period. A connection's
-- service never changes, so the triggers read it once per row.

-- The status counts read this index alone instead of the table.
CREATE INDEX connections_service_status ON connections (service, status);

-- Open periods of one connection. Without it SQLite answers
-- "connection_id = ? AND state IN ('due', 'partial')" from
-- periods_state_start, reading every open period of every connection.
CREATE INDEX periods_connection_state ON periods (connection_id, state);

-- Payments per UTC hour (the first 13 characters of received_at, such as
-- '2026-12-04T10') and service. A local calendar month is a range of whole
-- hours, plus part of an hour at each end in zones such as UTC+5:30, which
-- is read from payments.
CREATE TABLE payment_hours (
    hour     TEXT NOT NULL,
    service  TEXT NOT NULL,
    amount   INTEGER NOT NULL,
    payments INTEGER NOT NULL,
    PRIMARY KEY (hour, service)
) WITHOUT ROWID;

INSERT INTO payment_hours (hour, service, amount, payments)
SELECT substr(p.received_at, 1, 13), c.service, SUM(p.amount), COUNT(*)
FROM payments p JOIN connections c ON c.id = p.connection_id
GROUP BY 1, 2;

CREATE TRIGGER payments_hours_insert AFTER INSERT ON payments BEGIN
    INSERT INTO payment_hours (hour, service, amount, payments)
    VALUES (substr(NEW.received_at, 1, 13), (SELECT service FROM connections WHERE id = NEW.connection_id),
            NEW.amount, 1)
    ON CONFLICT (hour, service) DO UPDATE SET amount = amount + excluded.amount, payments = payments + 1;
END;

CREATE TRIGGER payments_hours_delete AFTER DELETE ON payments BEGIN
    UPDATE payment_hours SET amount = amount - OLD.amount, payments = payments - 1
    WHERE hour = substr(OLD.received_at, 1, 13)
      AND service = (SELECT service FROM connections WHERE id = OLD.connection_id);
END;

CREATE TRIGGER payments_hours_update AFTER UPDATE OF amount, received_at, connection_id ON payments BEGIN
    UPDATE payment_hours SET amount = amount - OLD.amount, payments = payments - 1
    WHERE hour = substr(OLD.received_at, 1, 13)
      AND service = (SELECT service FROM connections WHERE id = OLD.connection_id);
    INSERT INTO payment_hours (hour, service, amount, payments)
    VALUES (substr(NEW.received_at, 1, 13), (SELECT service FROM connections WHERE id = NEW.connection_id),
            NEW.amount, 1)
    ON CONFLICT (hour, service) DO UPDATE SET amount = amount + excluded.amount, payments = payments + 1;
END;

-- Unpaid remainder (amount - paid) of the due and partial periods per start
-- month and service.
CREATE TABLE open_period_totals (
    year    INTEGER NOT NULL,
    month   INTEGER NOT NULL,
    service TEXT NOT NULL,
    due     INTEGER NOT NULL,
    PRIMARY KEY (year, month, service)
) WITHOUT ROWID;

INSERT INTO open_period_totals (year, month, service, due)
SELECT p.year, p.month, c.service, SUM(p.amount - p.paid)
FROM periods p JOIN connections c ON c.id = p.connection_id
WHERE p.state IN ('due', 'partial')
GROUP BY 1, 2, 3;

CREATE TRIGGER periods_open_insert AFTER INSERT ON periods
WHEN NEW.state IN ('due', 'partial') BEGIN
    INSERT INTO open_period_totals (year, month, service, due)
    VALUES (NEW.year, NEW.month, (SELECT service FROM connections WHERE id = NEW.connection_id),
            NEW.amount - NEW.paid)
    ON CONFLICT (year, month, service) DO UPDATE SET due = due + excluded.due;
END;

CREATE TRIGGER periods_open_delete AFTER DELETE ON periods
WHEN OLD.state IN ('due', 'partial') BEGIN
    UPDATE open_period_totals SET due = due - (OLD.amount - OLD.paid)
    WHERE year = OLD.year AND month = OLD.month
      AND service = (SELECT service FROM connections WHERE id = OLD.connection_id);
END;

CREATE TRIGGER periods_open_update AFTER UPDATE OF state, amount, paid, year, month, connection_id ON periods
WHEN OLD.state IN ('due', 'partial') OR NEW.state IN ('due', 'partial') BEGIN
    UPDATE open_period_totals
    SET due = due - CASE WHEN OLD.state IN ('due', 'partial') THEN OLD.amount - OLD.paid ELSE 0 END
    WHERE year = OLD.year AND month = OLD.month
      AND service = (SELECT service FROM connections WHERE id = OLD.connection_id);
    INSERT INTO open_period_totals (year, month, service, due)
    VALUES (NEW.year, NEW.month, (SELECT service FROM connections WHERE id = NEW.connection_id),
            CASE WHEN NEW.state IN ('due', 'partial') THEN NEW.amount - NEW.paid ELSE 0 END)
    ON CONFLICT (year, month, service) DO UPDATE SET due = due + excluded.due;
END;
