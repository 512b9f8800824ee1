package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Connection is one customer's subscription to one service.
type Connection struct {
	ID             int64
	CustomerCRF    int64
	Service        billing.Service
	PlanID         int64
	PlanName       string
	PlanPrice      billing.Money
	DeviceID       string // set-top box number, ISP username or router MAC
	ActivatedOn    billing.Date
	AnchorOn       billing.Date // latest activation or reconnection
	ExpiresOn      billing.Date
	Status         billing.Status
	DisconnectedOn billing.Date
}

// Errors of connection changes.
var (
	ErrServiceTaken        = message.NewError("the customer already has this service")
	ErrPlanMismatch        = message.NewError("the plan belongs to another service")
	ErrPlanInactive        = message.NewError("the plan is no longer offered")
	ErrCannotConnect       = message.NewError("the customer is removed")
	ErrNotReconnectable    = message.NewError("only a suspended or disconnected connection can be reconnected")
	ErrConnectionOwes      = message.NewError("the connection has an amount due")
	ErrAlreadyDisconnected = message.NewError("the connection is already disconnected")
)

const connectionColumns = `c.id, c.customer_crf, c.service, c.plan_id, pl.name, pl.price, c.device_id,
	c.activated_on, c.anchor_on, c.expires_on, c.status, COALESCE(c.disconnected_on, '')`

const connectionFrom = ` FROM connections c JOIN plans pl ON pl.id = c.plan_id `

func scanConnection(row interface{ Scan(...any) error }) (Connection, error) {
	var c Connection
	var activated, anchor, expires, disconnected string
	err := row.Scan(&c.ID, &c.CustomerCRF, &c.Service, &c.PlanID, &c.PlanName, &c.PlanPrice, &c.DeviceID,
		&activated, &anchor, &expires, &c.Status, &disconnected)
	if err != nil {
		return c, err
	}
	for _, f := range []struct {
		text string
		dst  *billing.Date
	}{{activated, &c.ActivatedOn}, {anchor, &c.AnchorOn}, {expires, &c.ExpiresOn}, {disconnected, &c.DisconnectedOn}} {
		if err := parseDate(f.text, f.dst); err != nil {
			return c, err
		}
	}
	return c, nil
}

// parseDate parses a stored date into dst; empty text leaves the zero Date.
func parseDate(text string, dst *billing.Date) error {
	if text == "" {
		return nil
	}
	d, err := billing.ParseDate(text)
	if err != nil {
		return fmt.Errorf("parse stored date: %w", err)
	}
	*dst = d
	return nil
}

// parseDateRange parses the stored start and end of a range.
func parseDateRange(start, end string, startDst, endDst *billing.Date) error {
	if err := parseDate(start, startDst); err != nil {
		return err
	}
	return parseDate(end, endDst)
}

// Connections returns a customer's connections, cable TV first.
func (s *Store) Connections(ctx context.Context, crf int64) ([]Connection, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+connectionColumns+connectionFrom+
		`WHERE c.customer_crf = ? ORDER BY c.service DESC`, crf)
	if err != nil {
		return nil, fmt.Errorf("list connections of customer %d: %w", crf, err)
	}
	defer rows.Close()
	var out []Connection
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, fmt.Errorf("list connections of customer %d: %w", crf, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Connection returns one connection.
func (s *Store) Connection(ctx context.Context, id int64) (Connection, error) {
	return getConnection(ctx, s.ro, id)
}

func getConnection(ctx context.Context, q queryer, id int64) (Connection, error) {
	c, err := scanConnection(q.QueryRowContext(ctx, `SELECT `+connectionColumns+connectionFrom+`WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, message.WithCause(ErrNotFound, "connection {{.ID}} was not found", "ID", id)
	}
	if err != nil {
		return c, fmt.Errorf("get connection %d: %w", id, err)
	}
	return c, nil
}

// ConnectParams describe a new connection.
type ConnectParams struct {
	CRF         int64
	Service     billing.Service
	PlanID      int64
	DeviceID    string
	ActivatedOn billing.Date
	Clock       JobClock
	Actor       string
}

// JobClock is the moment and rules a billing change runs with.
type JobClock struct {
	Now       time.Time    // instant of the change, stored in UTC
	Today     billing.Date // the operator's local date at Now
	GraceDays int
}

// Connect adds a service to a customer in one transaction: the connection,
// its periods from the activation day through the current year, every
// period that has started billed (the first one at once), and its expiry
// and status. A new connection is inactive until its first payment.
func (s *Store) Connect(ctx context.Context, p ConnectParams) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertConnection(ctx, tx, p, billing.Date{})
		return err
	})
	return id, err
}

func checkConnectable(ctx context.Context, tx *sql.Tx, p ConnectParams) error {
	c, err := getCustomer(ctx, tx, p.CRF)
	if err != nil {
		return err
	}
	if c.Archived() {
		return message.WithCause(ErrCannotConnect, "customer {{.CRF}} is removed, so no service can be connected",
			"CRF", p.CRF)
	}

	var planService billing.Service
	var active bool
	err = tx.QueryRowContext(ctx, `SELECT service, active FROM plans WHERE id = ?`, p.PlanID).Scan(&planService, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return planNotFound(p.PlanID)
	}
	if err != nil {
		return fmt.Errorf("get plan %d: %w", p.PlanID, err)
	}
	if planService != p.Service {
		return planMismatch(p.PlanID, planService, p.Service)
	}
	if !active {
		return message.WithCause(ErrPlanInactive, "plan {{.ID}} is no longer offered; choose an offered plan",
			"ID", p.PlanID)
	}

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM connections WHERE customer_crf = ? AND service = ?`,
		p.CRF, p.Service).Scan(&n); err != nil {
		return fmt.Errorf("check %s of customer %d: %w", p.Service, p.CRF, err)
	}
	if n > 0 {
		return message.WithCause(ErrServiceTaken, "customer {{.CRF}} already has a {{.Service}} connection; "+
			"change its plan instead", "CRF", p.CRF, "Service", ServiceText(p.Service))
	}
	return nil
}

// startPeriods creates the periods of a (re)activated connection from
// anchor through the current year, bills those that have started, and
// refreshes expiry and status. A non-zero paidThrough is the last day paid
// in an earlier system: the periods then run at least through its year, and
// those that end on or before it are settled by waivePaidBeforeImport
// before anything is billed.
func startPeriods(ctx context.Context, tx *sql.Tx, id int64, anchor, paidThrough billing.Date,
	clk JobClock, actor string) error {
	through, err := periodsThroughYear(ctx, tx, clk.Today.Year)
	if err != nil {
		return err
	}
	if !paidThrough.IsZero() {
		through = max(through, paidThrough.Year)
	}
	periods := billing.PeriodsStartingBetween(anchor, anchor, billing.NewDate(through, time.December, 31))
	if err := insertPeriods(ctx, tx, id, periods); err != nil {
		return err
	}
	if !paidThrough.IsZero() {
		if err := waivePaidBeforeImport(ctx, tx, id, paidThrough, clk, actor); err != nil {
			return err
		}
	}
	if _, err := billScheduled(ctx, tx, clk, id); err != nil {
		return err
	}
	return refreshConnection(ctx, tx, id, clk, actor)
}

// UpdateConnectionParams are the fields an admin may change on a
// connection without reconnecting it.
type UpdateConnectionParams struct {
	PlanID   int64
	DeviceID string
	Actor    string
	Now      time.Time
}

// UpdateConnection changes the plan or device. A new plan's price applies
// to periods billed after the change.
func (s *Store) UpdateConnection(ctx context.Context, id int64, p UpdateConnectionParams) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := getConnection(ctx, tx, id)
		if err != nil {
			return err
		}
		var planService billing.Service
		err = tx.QueryRowContext(ctx, `SELECT service FROM plans WHERE id = ?`, p.PlanID).Scan(&planService)
		if errors.Is(err, sql.ErrNoRows) {
			return planNotFound(p.PlanID)
		}
		if err != nil {
			return fmt.Errorf("get plan %d: %w", p.PlanID, err)
		}
		if planService != c.Service {
			return planMismatch(p.PlanID, planService, c.Service)
		}
		_, err = tx.ExecContext(ctx, `UPDATE connections SET plan_id = ?, device_id = ? WHERE id = ?`,
			p.PlanID, p.DeviceID, id)
		if err != nil {
			return fmt.Errorf("update connection %d: %w", id, err)
		}
		return insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "connection.update",
			Entity: "connection", EntityID: strconv.FormatInt(id, 10),
			Details: fmt.Sprintf("plan %d → %d, device %q → %q", c.PlanID, p.PlanID, c.DeviceID, p.DeviceID)})
	})
}

// Disconnect marks a connection disconnected from clk.Today. Its history
// stays; periods that start while it is disconnected are skipped.
func (s *Store) Disconnect(ctx context.Context, id int64, clk JobClock, actor string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := getConnection(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status == billing.StatusDisconnected {
			return message.WithCause(ErrAlreadyDisconnected, "connection {{.ID}} is already disconnected", "ID", id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE connections SET status = 'disconnected', disconnected_on = ?
			WHERE id = ?`, clk.Today.String(), id)
		if err != nil {
			return fmt.Errorf("disconnect connection %d: %w", id, err)
		}
		return insertAudit(ctx, tx, AuditEntry{At: clk.Now, Actor: actor, Action: "connection.status",
			Entity: "connection", EntityID: strconv.FormatInt(id, 10),
			Details: fmt.Sprintf("%s → disconnected", c.Status)})
	})
}

// Reconnect restarts a suspended or disconnected connection that owes
// nothing. clk.Today becomes its new anchor: scheduled periods of the old
// anchor are replaced by the new anchor's, the first new period is billed at
// once, and nothing already billed, paid or skipped is changed.
func (s *Store) Reconnect(ctx context.Context, id int64, clk JobClock, actor string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := billScheduled(ctx, tx, clk, id); err != nil {
			return err
		}
		c, err := getConnection(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkReconnectable(ctx, tx, c, clk); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM periods WHERE connection_id = ? AND state = 'scheduled'`, id); err != nil {
			return fmt.Errorf("clear scheduled periods of connection %d: %w", id, err)
		}
		// The expiry moves to the day before the new anchor before the first
		// new period is billed: the old expiry is more than the grace days
		// back, so the billing run would skip that period as suspended.
		_, err = tx.ExecContext(ctx, `UPDATE connections SET anchor_on = ?, expires_on = ?,
			disconnected_on = NULL, status = 'inactive' WHERE id = ?`,
			clk.Today.String(), clk.Today.AddDays(-1).String(), id)
		if err != nil {
			return fmt.Errorf("reconnect connection %d: %w", id, err)
		}
		if err := insertAudit(ctx, tx, AuditEntry{At: clk.Now, Actor: actor, Action: "connection.status",
			Entity: "connection", EntityID: strconv.FormatInt(id, 10),
			Details: fmt.Sprintf("%s → reconnected from %s", c.Status, clk.Today)}); err != nil {
			return err
		}
		return startPeriods(ctx, tx, id, clk.Today, billing.Date{}, clk, actor)
	})
}

func checkReconnectable(ctx context.Context, tx *sql.Tx, c Connection, clk JobClock) error {
	customer, err := getCustomer(ctx, tx, c.CustomerCRF)
	if err != nil {
		return err
	}
	if customer.Archived() {
		return message.WithCause(ErrCannotConnect, "customer {{.CRF}} is removed, so the connection cannot be "+
			"reconnected", "CRF", c.CustomerCRF)
	}

	status := c.Status
	if status != billing.StatusDisconnected {
		status = billing.StatusOn(c.ExpiresOn, clk.Today, clk.GraceDays, false)
	}
	if status != billing.StatusSuspended && status != billing.StatusDisconnected {
		return message.WithCause(ErrNotReconnectable, "connection {{.ID}} cannot be reconnected (status: {{.Status}}); "+
			"only a suspended or disconnected connection can be", "ID", c.ID, "Status", statusText(status))
	}
	var due int64
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount - paid), 0) FROM periods
		WHERE connection_id = ? AND state IN ('due', 'partial')`, c.ID).Scan(&due)
	if err != nil {
		return fmt.Errorf("amount due of connection %d: %w", c.ID, err)
	}
	if due > 0 {
		return message.WithCause(ErrConnectionOwes, "connection {{.ID}} cannot be reconnected: {{.Due}} is still due; "+
			"collect or waive it first", "ID", c.ID, "Due", billing.Money(due).Plain())
	}
	return nil
}

func planNotFound(id int64) error {
	return message.WithCause(ErrNotFound, "plan {{.ID}} was not found", "ID", id)
}

// planMismatch returns ErrPlanMismatch for plan id of service planService
// chosen for a connection of service.
func planMismatch(id int64, planService, service billing.Service) error {
	return message.WithCause(ErrPlanMismatch, "plan {{.ID}} is a {{.PlanService}} plan; choose a {{.Service}} plan",
		"ID", id, "PlanService", ServiceText(planService), "Service", ServiceText(service))
}
