package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// CustomerExport is one customer with everything the customers export
// writes.
type CustomerExport struct {
	Customer
	// CableTV and Broadband are the customer's connections; a zero ID
	// means the customer does not have that service.
	CableTV   Connection
	Broadband Connection
	Due       billing.Money // over all services
}

// extraScan appends more destinations to a row's Scan, so a scan helper
// for a table can read a query that selects extra columns after it.
type extraScan struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (e extraScan) Scan(dest ...any) error {
	return e.row.Scan(append(dest, e.extra...)...)
}

// ExportCustomers calls fn for every current customer in CRF order, from
// one consistent snapshot of the database. Removed customers are left out,
// because their numbers and mobiles cannot be imported again as current
// customers.
func (s *Store) ExportCustomers(ctx context.Context, fn func(CustomerExport) error) error {
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("export customers: %w", err)
	}
	defer tx.Rollback()

	conns, err := currentConnections(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+customerColumns+`,
		(SELECT COALESCE(SUM(p.amount - p.paid), 0) FROM periods p JOIN connections c ON c.id = p.connection_id
		 WHERE c.customer_crf = customers.crf AND +p.state IN ('due', 'partial'))
		FROM customers WHERE archived_at IS NULL ORDER BY crf`)
	if err != nil {
		return fmt.Errorf("export customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e CustomerExport
		if e.Customer, err = scanCustomer(extraScan{rows, []any{&e.Due}}); err != nil {
			return fmt.Errorf("export customers: %w", err)
		}
		for _, c := range conns[e.CRF] {
			if c.Service == billing.ServiceCableTV {
				e.CableTV = c
			} else {
				e.Broadband = c
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

func currentConnections(ctx context.Context, q queryer) (map[int64][]Connection, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+connectionColumns+connectionFrom+`
		JOIN customers cu ON cu.crf = c.customer_crf WHERE cu.archived_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("export connections: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Connection{}
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, fmt.Errorf("export connections: %w", err)
		}
		out[c.CustomerCRF] = append(out[c.CustomerCRF], c)
	}
	return out, rows.Err()
}

// PaymentExport is one payment with everything the payments export writes.
type PaymentExport struct {
	ReceivedAt    time.Time // UTC
	CRF           int64
	Name          string
	Service       billing.Service
	Amount        billing.Money
	Mode          string // ModeCash or ModeOnline
	Reference     string // empty for cash
	InvoiceNumber string // empty when the payment has no invoice
}

// ExportPayments calls fn for every payment received at or after from and
// before to, oldest first.
func (s *Store) ExportPayments(ctx context.Context, from, to time.Time, fn func(PaymentExport) error) error {
	rows, err := s.ro.QueryContext(ctx, `SELECT p.received_at, p.customer_crf, cu.name, c.service, p.amount,
			p.mode, COALESCE(p.reference, ''), COALESCE(i.number, '')
		FROM payments p
		JOIN connections c ON c.id = p.connection_id
		JOIN customers cu ON cu.crf = p.customer_crf
		LEFT JOIN invoices i ON i.payment_id = p.id
		WHERE p.received_at >= ? AND p.received_at < ?
		ORDER BY p.received_at, p.id`, formatTime(from), formatTime(to))
	if err != nil {
		return fmt.Errorf("export payments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e PaymentExport
		var at string
		err := rows.Scan(&at, &e.CRF, &e.Name, &e.Service, &e.Amount, &e.Mode, &e.Reference, &e.InvoiceNumber)
		if err != nil {
			return fmt.Errorf("export payments: %w", err)
		}
		if e.ReceivedAt, err = parseTime(at); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RecordExport writes an audit row for a file of customer data written by
// an admin, because such a file leaves the program's access control.
func (s *Store) RecordExport(ctx context.Context, actor, entity, path string, rows int, now time.Time) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: entity + ".export",
			Entity: "export", EntityID: path, Details: strconv.Itoa(rows) + " rows"})
	})
}
