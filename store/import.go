package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ctvms/ctvms/billing"
)

// ImportCustomer is one customer of an import, with the services to
// connect.
type ImportCustomer struct {
	// Row is the sheet row the customer comes from, for error messages.
	Row         int
	Create      CreateCustomerParams
	Connections []ImportConnection
}

// ImportConnection is a service to connect for an imported customer.
type ImportConnection struct {
	Service     billing.Service
	PlanID      int64
	DeviceID    string
	ActivatedOn billing.Date
	// PaidThrough is the last day the customer paid for in the earlier
	// system, or zero when nothing was paid there. It must not be before
	// ActivatedOn.
	PaidThrough billing.Date
}

// ImportParams describe a whole import.
type ImportParams struct {
	Customers []ImportCustomer
	// Source names the imported file in the audit log.
	Source string
	Actor  string
	Clock  JobClock
	// Progress, when set, is called inside the transaction after each
	// customer with the number written so far.
	Progress func(done int)
}

// ImportCounts are the numbers of rows an import wrote.
type ImportCounts struct {
	Customers int
	CableTV   int
	Broadband int
	Welcome   int     // welcome emails queued
	CRFs      []int64 // the customers' numbers, in input order
}

// ImportCustomers writes every customer of an import, with their login,
// welcome email and connections, in one transaction: either all rows are
// written or none. Kept CRF numbers raise the counter before any number is
// handed out, so a row without a number never takes one that a later row
// keeps. Each connection gets its periods from its activation day, and
// those that have started are billed, exactly as Connect does. The one
// difference is a paid-through date: the periods that end on or before it
// are settled first by waivePaidBeforeImport, so they are never billed.
// Cancelling ctx rolls everything back.
func (s *Store) ImportCustomers(ctx context.Context, p ImportParams) (ImportCounts, error) {
	var counts ImportCounts
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		counts = ImportCounts{CRFs: make([]int64, 0, len(p.Customers))}
		if err := raiseCounter(ctx, tx, "crf", maxKeptCRF(p.Customers)); err != nil {
			return err
		}
		for i, c := range p.Customers {
			if err := ctx.Err(); err != nil {
				return err
			}
			crf, err := importCustomer(ctx, tx, c, p, &counts)
			if err != nil {
				return fmt.Errorf("import row %d: %w", c.Row, err)
			}
			counts.CRFs = append(counts.CRFs, crf)
			if p.Progress != nil {
				p.Progress(i + 1)
			}
		}
		counts.Customers = len(p.Customers)
		return insertAudit(ctx, tx, AuditEntry{At: p.Clock.Now, Actor: p.Actor, Action: "customer.import",
			Entity: "import", EntityID: p.Source,
			Details: fmt.Sprintf("%d customers, %d cable TV and %d broadband connections, %d welcome emails queued",
				counts.Customers, counts.CableTV, counts.Broadband, counts.Welcome)})
	})
	if err != nil {
		return ImportCounts{}, err
	}
	return counts, nil
}

func maxKeptCRF(customers []ImportCustomer) int64 {
	var highest int64
	for _, c := range customers {
		highest = max(highest, c.Create.CRF)
	}
	return highest
}

func importCustomer(ctx context.Context, tx *sql.Tx, c ImportCustomer, p ImportParams, counts *ImportCounts) (int64, error) {
	create := c.Create
	create.Now = p.Clock.Now
	crf, err := insertCustomer(ctx, tx, create)
	if err != nil {
		return 0, err
	}
	if err := insertCustomerLogin(ctx, tx, crf, create); err != nil {
		return 0, err
	}
	if create.Welcome != nil {
		m, err := create.Welcome(crf)
		if err != nil {
			return 0, err
		}
		m.CustomerCRF = crf
		if _, err := insertOutbox(ctx, tx, m, p.Clock.Now); err != nil {
			return 0, err
		}
		counts.Welcome++
	}
	err = insertAudit(ctx, tx, AuditEntry{At: p.Clock.Now, Actor: p.Actor, Action: "customer.create",
		Entity: "customer", EntityID: strconv.FormatInt(crf, 10), Details: create.Customer.Name + " (imported)"})
	if err != nil {
		return 0, err
	}
	for _, conn := range c.Connections {
		_, err := insertConnection(ctx, tx, ConnectParams{CRF: crf, Service: conn.Service, PlanID: conn.PlanID,
			DeviceID: conn.DeviceID, ActivatedOn: conn.ActivatedOn, Clock: p.Clock, Actor: p.Actor}, conn.PaidThrough)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", conn.Service.Label(), err)
		}
		if conn.Service == billing.ServiceCableTV {
			counts.CableTV++
		} else {
			counts.Broadband++
		}
	}
	return crf, nil
}

// insertCustomerLogin creates the login of a new customer, whose username
// is the CRF number.
func insertCustomerLogin(ctx context.Context, tx *sql.Tx, crf int64, p CreateCustomerParams) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, customer_crf,
		must_change_password, created_at) VALUES (?, ?, 'customer', ?, ?, ?)`,
		strconv.FormatInt(crf, 10), p.PasswordHash, crf, boolInt(p.MustChangePassword), formatTime(p.Now))
	if err != nil {
		return fmt.Errorf("create login for customer %d: %w", crf, err)
	}
	return nil
}

// insertConnection adds a connection inside tx: checks, the row, an audit
// row, its periods and their billing. A non-zero paidThrough settles the
// periods that end on or before it before any is billed.
func insertConnection(ctx context.Context, tx *sql.Tx, p ConnectParams, paidThrough billing.Date) (int64, error) {
	if err := checkConnectable(ctx, tx, p); err != nil {
		return 0, err
	}
	if !paidThrough.IsZero() && paidThrough.Before(p.ActivatedOn) {
		return 0, fmt.Errorf("connect %s for customer %d: paid through %s is before the activation on %s",
			p.Service, p.CRF, paidThrough, p.ActivatedOn)
	}
	expiry := p.ActivatedOn.AddDays(-1)
	res, err := tx.ExecContext(ctx, `INSERT INTO connections (customer_crf, service, plan_id, device_id,
		activated_on, anchor_on, expires_on, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'inactive', ?)`,
		p.CRF, p.Service, p.PlanID, p.DeviceID, p.ActivatedOn.String(), p.ActivatedOn.String(),
		expiry.String(), formatTime(p.Clock.Now))
	if err != nil {
		return 0, fmt.Errorf("connect %s for customer %d: %w", p.Service, p.CRF, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	err = insertAudit(ctx, tx, AuditEntry{At: p.Clock.Now, Actor: p.Actor, Action: "connection.create",
		Entity: "connection", EntityID: strconv.FormatInt(id, 10),
		Details: fmt.Sprintf("customer %d, %s, plan %d, from %s", p.CRF, p.Service, p.PlanID, p.ActivatedOn)})
	if err != nil {
		return 0, err
	}
	return id, startPeriods(ctx, tx, id, p.ActivatedOn, paidThrough, p.Clock, p.Actor)
}

// paidBeforeImportReason is the waive reason of periods that the customer
// paid for in the earlier system.
const paidBeforeImportReason = "paid in the previous system before the import"

// waivePaidBeforeImport settles the scheduled periods of a new connection
// that end on or before paidThrough: each becomes waived at the plan price
// in force on its start day, with paidBeforeImportReason. They are waived,
// not paid, because a paid period must be backed by a payment and an
// invoice, and those exist only for money received by this program. A
// period that paidThrough ends inside is left to be billed in full.
//
// The expiry is recomputed at once, before the caller bills the started
// periods: billScheduled skips a period that starts more than the grace
// days after the stored expiry, and with the expiry still the day before
// activation it would skip every month after the first few.
func waivePaidBeforeImport(ctx context.Context, tx *sql.Tx, id int64, paidThrough billing.Date,
	clk JobClock, actor string) error {
	res, err := tx.ExecContext(ctx, `UPDATE periods SET state = 'waived', amount = `+priceOnSQL+`,
			waive_reason = ?, billed_on = ?
		FROM connections c
		WHERE c.id = periods.connection_id AND periods.connection_id = ? AND periods.state = 'scheduled'
		  AND periods.ends_on <= ?`,
		paidBeforeImportReason, clk.Today.String(), id, paidThrough.String())
	if err != nil {
		return fmt.Errorf("settle periods of connection %d paid through %s: %w", id, paidThrough, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return err
	}
	err = insertAudit(ctx, tx, AuditEntry{At: clk.Now, Actor: actor, Action: "period.waive",
		Entity: "connection", EntityID: strconv.FormatInt(id, 10),
		Details: fmt.Sprintf("%d periods ending on or before %s waived: %s", n, paidThrough, paidBeforeImportReason)})
	if err != nil {
		return err
	}
	return refreshConnection(ctx, tx, id, clk, actor)
}

// CRFsInUse returns which of the given CRF numbers belong to a customer,
// current or removed, because a number is never given twice.
func (s *Store) CRFsInUse(ctx context.Context, crfs []int64) (map[int64]bool, error) {
	list, err := json.Marshal(crfs)
	if err != nil {
		return nil, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT crf FROM customers
		WHERE crf IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("check CRF numbers: %w", err)
	}
	defer rows.Close()
	used := map[int64]bool{}
	for rows.Next() {
		var crf int64
		if err := rows.Scan(&crf); err != nil {
			return nil, fmt.Errorf("check CRF numbers: %w", err)
		}
		used[crf] = true
	}
	return used, rows.Err()
}

// MobileOwners returns, for each of the given mobile numbers that a
// current customer uses, that customer's CRF number. Removed customers'
// numbers are free, as for CreateCustomer.
func (s *Store) MobileOwners(ctx context.Context, mobiles []string) (map[string]int64, error) {
	list, err := json.Marshal(mobiles)
	if err != nil {
		return nil, err
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT mobile, MIN(crf) FROM customers
		WHERE archived_at IS NULL AND mobile IN (SELECT value FROM json_each(?)) GROUP BY mobile`, string(list))
	if err != nil {
		return nil, fmt.Errorf("check mobile numbers: %w", err)
	}
	defer rows.Close()
	owners := map[string]int64{}
	for rows.Next() {
		var mobile string
		var crf int64
		if err := rows.Scan(&mobile, &crf); err != nil {
			return nil, fmt.Errorf("check mobile numbers: %w", err)
		}
		owners[mobile] = crf
	}
	return owners, rows.Err()
}
