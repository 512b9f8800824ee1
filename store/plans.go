package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Plan is a monthly package of a service.
type Plan struct {
	ID          int64
	Service     billing.Service
	Name        string
	Price       billing.Money // current monthly price
	Description string        // channels, or speed and data cap
	Active      bool
}

// PlanParams are the editable fields of a plan.
type PlanParams struct {
	Service     billing.Service
	Name        string
	Price       billing.Money
	Description string
	Active      bool
}

// ErrDuplicatePlan is returned when a service already has a plan of that
// name, compared without regard to case, accents or surrounding spaces.
var ErrDuplicatePlan = message.NewError("a plan with this name already exists for the service")

// ErrPlanInUse is returned when a plan's service would change while
// connections of the old service use it.
var ErrPlanInUse = message.NewError("connections use this plan, so its service cannot change; create a new plan instead")

func scanPlan(row interface{ Scan(...any) error }) (Plan, error) {
	var p Plan
	err := row.Scan(&p.ID, &p.Service, &p.Name, &p.Price, &p.Description, &p.Active)
	return p, err
}

// ListPlans returns plans ordered by service and price; inactive ones only
// when includeInactive is set.
func (s *Store) ListPlans(ctx context.Context, includeInactive bool) ([]Plan, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, service, name, price, description, active FROM plans
		WHERE ? OR active = 1 ORDER BY service, price, name`, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("list plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Plan returns one plan.
func (s *Store) Plan(ctx context.Context, id int64) (Plan, error) {
	p, err := scanPlan(s.ro.QueryRowContext(ctx, `SELECT id, service, name, price, description, active
		FROM plans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, planNotFound(id)
	}
	if err != nil {
		return p, fmt.Errorf("get plan %d: %w", id, err)
	}
	return p, nil
}

// CreatePlan adds a plan whose price is in force from the given date.
func (s *Store) CreatePlan(ctx context.Context, p PlanParams, from billing.Date, actor string, now time.Time) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := checkPlanNameFree(ctx, tx, p, 0); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO plans (service, name, price, description, active, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (service, name) DO NOTHING`,
			p.Service, p.Name, p.Price, p.Description, boolInt(p.Active), formatTime(now))
		if err != nil {
			return fmt.Errorf("create plan %q: %w", p.Name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return duplicatePlan(p.Service, p.Name)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create plan %q: %w", p.Name, err)
		}
		if err := setPlanPrice(ctx, tx, id, from, p.Price); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "plan.create", Entity: "plan",
			EntityID: strconv.FormatInt(id, 10), Details: fmt.Sprintf("%s %s at %s", p.Service, p.Name, p.Price.Plain())})
	})
	return id, err
}

// UpdatePlan changes a plan. A new price is in force for periods that start
// on or after from; periods billed earlier keep their amounts.
func (s *Store) UpdatePlan(ctx context.Context, id int64, p PlanParams, from billing.Date, actor string, now time.Time) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := checkPlanNameFree(ctx, tx, p, id); err != nil {
			return err
		}
		var err error
		var inUse int
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM connections WHERE plan_id = ? AND service <> ?`,
			id, p.Service).Scan(&inUse)
		if err != nil {
			return fmt.Errorf("check connections of plan %d: %w", id, err)
		}
		if inUse > 0 {
			return message.WithCause(ErrPlanInUse, "connections use plan {{.ID}}, so its service cannot change to "+
				"{{.Service}}; create a new plan instead", "ID", id, "Service", ServiceText(p.Service))
		}
		res, err := tx.ExecContext(ctx, `UPDATE plans SET service = ?, name = ?, price = ?, description = ?,
			active = ? WHERE id = ?`, p.Service, p.Name, p.Price, p.Description, boolInt(p.Active), id)
		if err := requireOneRow(res, err, "update plan", id); err != nil {
			return err
		}
		if err := setPlanPrice(ctx, tx, id, from, p.Price); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "plan.update", Entity: "plan",
			EntityID: strconv.FormatInt(id, 10), Details: fmt.Sprintf("%s at %s from %s", p.Name, p.Price.Plain(), from)})
	})
}

// checkPlanNameFree returns ErrDuplicatePlan when another plan of the
// service has the same name apart from case, accents and surrounding
// spaces, because a screen or an imported sheet cannot distinguish such
// names.
func checkPlanNameFree(ctx context.Context, tx *sql.Tx, p PlanParams, except int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM plans WHERE service = ? AND id <> ?`, p.Service, except)
	if err != nil {
		return fmt.Errorf("check plan name %q: %w", p.Name, err)
	}
	defer rows.Close()
	key := SearchKey(strings.TrimSpace(p.Name))
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("check plan name %q: %w", p.Name, err)
		}
		if SearchKey(strings.TrimSpace(name)) == key {
			return duplicatePlan(p.Service, name)
		}
	}
	return rows.Err()
}

// setPlanPrice records price as in force from the given date, replacing a
// price set earlier for the same date.
func setPlanPrice(ctx context.Context, tx *sql.Tx, planID int64, from billing.Date, price billing.Money) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO plan_prices (plan_id, effective_from, price) VALUES (?, ?, ?)
		ON CONFLICT (plan_id, effective_from) DO UPDATE SET price = excluded.price`,
		planID, from.String(), price)
	if err != nil {
		return fmt.Errorf("set price of plan %d: %w", planID, err)
	}
	return nil
}

// priceOnSQL is the plan price in force on a period's start day; before
// the first recorded price, the oldest one applies.
const priceOnSQL = `COALESCE(
	(SELECT pp.price FROM plan_prices pp WHERE pp.plan_id = c.plan_id AND pp.effective_from <= periods.starts_on
	 ORDER BY pp.effective_from DESC LIMIT 1),
	(SELECT pp.price FROM plan_prices pp WHERE pp.plan_id = c.plan_id ORDER BY pp.effective_from LIMIT 1))`

// duplicatePlan returns ErrDuplicatePlan for a plan of service whose name
// matches name, the name of the plan already stored.
func duplicatePlan(service billing.Service, name string) error {
	return message.WithCause(ErrDuplicatePlan, "a {{.Service}} plan named {{.Name}} already exists; choose another name",
		"Service", ServiceText(service), "Name", strconv.Quote(name))
}
