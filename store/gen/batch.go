package gen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// rowsPerInsert is how many rows one INSERT statement writes. Fewer
// statements cost less in database/sql than many single-row ones, and
// 64 rows of the widest table stay far below SQLite's limit of 32,766
// parameters.
const rowsPerInsert = 64

// tableWriter buffers the rows of one table and writes them with
// multi-row INSERT statements inside one transaction.
type tableWriter struct {
	tx      *sql.Tx
	table   string
	prefix  string // "INSERT INTO t (a, b) VALUES "
	row     string // "(?, ?)"
	columns int
	full    *sql.Stmt // prepared for rowsPerInsert rows
	args    []any
}

func newTableWriter(ctx context.Context, tx *sql.Tx, table string, columns ...string) (*tableWriter, error) {
	w := &tableWriter{tx: tx, table: table, columns: len(columns),
		prefix: "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ",
		row:    "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"}
	w.args = make([]any, 0, rowsPerInsert*w.columns)
	var err error
	if w.full, err = tx.PrepareContext(ctx, w.query(rowsPerInsert)); err != nil {
		return nil, fmt.Errorf("prepare insert into %s: %w", table, err)
	}
	return w, nil
}

func (w *tableWriter) query(rows int) string {
	return w.prefix + strings.TrimSuffix(strings.Repeat(w.row+", ", rows), ", ")
}

// add buffers one row, writing the buffer when it is full.
func (w *tableWriter) add(ctx context.Context, values ...any) error {
	if len(values) != w.columns {
		return fmt.Errorf("insert into %s: %d values for %d columns", w.table, len(values), w.columns)
	}
	w.args = append(w.args, values...)
	if len(w.args) < rowsPerInsert*w.columns {
		return nil
	}
	if _, err := w.full.ExecContext(ctx, w.args...); err != nil {
		return fmt.Errorf("insert into %s: %w", w.table, err)
	}
	w.args = w.args[:0]
	return nil
}

// flush writes the buffered rows.
func (w *tableWriter) flush(ctx context.Context) error {
	if len(w.args) == 0 {
		return nil
	}
	if _, err := w.tx.ExecContext(ctx, w.query(len(w.args)/w.columns), w.args...); err != nil {
		return fmt.Errorf("insert into %s: %w", w.table, err)
	}
	w.args = w.args[:0]
	return nil
}

// writers are the table writers of one transaction.
type writers struct {
	customer, connection, period, payment, allocation, invoice, complaint, outbox *tableWriter
}

func newWriters(ctx context.Context, tx *sql.Tx) (*writers, error) {
	var err error
	table := func(name string, columns ...string) *tableWriter {
		if err != nil {
			return nil
		}
		var w *tableWriter
		w, err = newTableWriter(ctx, tx, name, columns...)
		return w
	}
	w := &writers{
		customer: table("customers", "crf", "name", "mobile", "email", "street", "city", "search_key",
			"created_at"),
		connection: table("connections", "id", "customer_crf", "service", "plan_id", "device_id",
			"activated_on", "anchor_on", "expires_on", "status", "created_at"),
		period: table("periods", "id", "connection_id", "starts_on", "ends_on", "year", "month", "amount",
			"paid", "state", "billed_on"),
		payment: table("payments", "id", "customer_crf", "connection_id", "amount", "mode", "reference",
			"received_at", "received_by", "request_key"),
		allocation: table("payment_allocations", "payment_id", "period_id", "amount"),
		invoice: table("invoices", "id", "number", "year", "seq", "payment_id", "issued_at", "amount",
			"balance_after", "new_expiry", "plan_name"),
		complaint: table("complaints", "id", "number", "year", "seq", "customer_crf", "service", "category",
			"description", "status", "created_at", "read_at", "resolved_at", "resolution_note"),
		outbox: table("outbox", "id", "kind", "customer_crf", "recipient", "recipient_name", "subject",
			"body_text", "body_html", "invoice_id", "state", "attempts", "next_attempt_at", "created_at",
			"sent_at"),
	}
	return w, err
}

// flush writes every buffered row, parents before children.
func (w *writers) flush(ctx context.Context) error {
	for _, t := range []*tableWriter{w.customer, w.connection, w.period, w.payment, w.allocation, w.invoice,
		w.complaint, w.outbox} {
		if err := t.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}
