package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Customer is a subscriber, identified by a CRF number.
type Customer struct {
	CRF           int64
	Name          string
	Mobile        string
	Email         string
	House         string
	Street        string // street or area
	City          string // city or district
	State         string
	PostalCode    string
	IDProofType   string
	IDProofNumber string
	DateOfBirth   string // YYYY-MM-DD or empty
	Notes         string
	CreatedAt     time.Time
	ArchivedAt    time.Time // zero while the customer is current
}

// Archived reports whether the customer was removed.
func (c Customer) Archived() bool {
	return !c.ArchivedAt.IsZero()
}

// AddressLines returns the non-empty address parts in postal order.
func (c Customer) AddressLines() []string {
	var lines []string
	for _, s := range []string{c.House, c.Street, c.City, strings.TrimSpace(c.State + " " + c.PostalCode)} {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	return lines
}

// CustomerParams are the editable fields of a customer.
type CustomerParams struct {
	Name          string
	Mobile        string
	Email         string
	House         string
	Street        string
	City          string
	State         string
	PostalCode    string
	IDProofType   string
	IDProofNumber string
	DateOfBirth   string
	Notes         string
}

// ContactParams are the fields a customer may change about themself.
type ContactParams struct {
	Mobile      string
	Email       string
	House       string
	Street      string
	City        string
	State       string
	PostalCode  string
	DateOfBirth string
}

// ErrDuplicateMobile is returned when another current customer has the
// same mobile number.
var ErrDuplicateMobile = message.NewError("mobile number already belongs to another customer")

// SearchKey folds s for matching: lower case in any script, without
// diacritics, so "Émile" and "emile" have the same key.
func SearchKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return cases.Fold().String(folded)
}

const customerColumns = `crf, name, mobile, email, house, street, city, state, postal_code,
	id_proof_type, id_proof_number, date_of_birth, notes, created_at, archived_at`

func scanCustomer(row interface{ Scan(...any) error }) (Customer, error) {
	var c Customer
	var created string
	var archived sql.NullString
	err := row.Scan(&c.CRF, &c.Name, &c.Mobile, &c.Email, &c.House, &c.Street, &c.City, &c.State,
		&c.PostalCode, &c.IDProofType, &c.IDProofNumber, &c.DateOfBirth, &c.Notes, &created, &archived)
	if err != nil {
		return c, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	c.ArchivedAt, err = parseNullTime(archived)
	return c, err
}

// Customer returns the customer with the given CRF number, archived or not.
func (s *Store) Customer(ctx context.Context, crf int64) (Customer, error) {
	return getCustomer(ctx, s.ro, crf)
}

func getCustomer(ctx context.Context, q queryer, crf int64) (Customer, error) {
	row := q.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE crf = ?`, crf)
	c, err := scanCustomer(row)
	if errors.Is(err, sql.ErrNoRows) {
		return c, message.WithCause(ErrNotFound, "customer {{.CRF}} was not found", "CRF", crf)
	}
	if err != nil {
		return c, fmt.Errorf("get customer %d: %w", crf, err)
	}
	return c, nil
}

// CreateCustomerParams describe a new customer and the login made for them.
type CreateCustomerParams struct {
	Customer CustomerParams
	// CRF keeps a number from an earlier system; zero takes the next one.
	CRF          int64
	PasswordHash string
	// MustChangePassword makes the customer replace the password at first
	// login, as for every random initial password.
	MustChangePassword bool
	Actor              string
	Now                time.Time
	// Welcome, when set, composes the welcome email once the CRF number is
	// known; it is queued in the outbox in the same transaction.
	Welcome func(crf int64) (OutboxMessage, error)
}

// CreateCustomer adds a customer and their login (username = CRF number) in
// one transaction,
// and returns the CRF number. Numbers come from a counter that only grows,
// so a number is never reused, even after removal.
func (s *Store) CreateCustomer(ctx context.Context, p CreateCustomerParams) (int64, error) {
	var crf int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		crf, err = insertCustomer(ctx, tx, p)
		if err != nil {
			return err
		}
		if err := insertCustomerLogin(ctx, tx, crf, p); err != nil {
			return err
		}
		if p.Welcome != nil {
			m, err := p.Welcome(crf)
			if err != nil {
				return err
			}
			m.CustomerCRF = crf
			if _, err := insertOutbox(ctx, tx, m, p.Now); err != nil {
				return err
			}
		}
		return insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "customer.create",
			Entity: "customer", EntityID: strconv.FormatInt(crf, 10), Details: p.Customer.Name})
	})
	return crf, err
}

func insertCustomer(ctx context.Context, tx *sql.Tx, p CreateCustomerParams) (int64, error) {
	if err := checkMobileFree(ctx, tx, p.Customer.Mobile, 0); err != nil {
		return 0, err
	}
	crf := p.CRF
	var err error
	if crf == 0 {
		if crf, err = nextCounter(ctx, tx, "crf"); err != nil {
			return 0, err
		}
	} else if err = raiseCounter(ctx, tx, "crf", crf); err != nil {
		return 0, err
	}
	c := p.Customer
	_, err = tx.ExecContext(ctx, `INSERT INTO customers (crf, name, mobile, email, house, street, city,
		state, postal_code, id_proof_type, id_proof_number, date_of_birth, notes, search_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		crf, c.Name, c.Mobile, c.Email, c.House, c.Street, c.City, c.State, c.PostalCode,
		c.IDProofType, c.IDProofNumber, c.DateOfBirth, c.Notes, SearchKey(c.Name), formatTime(p.Now))
	if err != nil {
		return 0, fmt.Errorf("insert customer %d: %w", crf, err)
	}
	return crf, nil
}

// CRFRange returns the smallest and the largest CRF number in use, both
// zero when there are no customers.
func (s *Store) CRFRange(ctx context.Context) (first, last int64, err error) {
	err = s.ro.QueryRowContext(ctx, `SELECT COALESCE(MIN(crf), 0), COALESCE(MAX(crf), 0) FROM customers`).
		Scan(&first, &last)
	if err != nil {
		return 0, 0, fmt.Errorf("read the range of CRF numbers: %w", err)
	}
	return first, last, nil
}

// checkMobileFree returns ErrDuplicateMobile when a current customer other
// than except already uses mobile.
func checkMobileFree(ctx context.Context, q queryer, mobile string, except int64) error {
	var other int64
	err := q.QueryRowContext(ctx, `SELECT crf FROM customers
		WHERE ltrim(mobile, '+') = ltrim(?, '+') AND crf <> ? AND archived_at IS NULL LIMIT 1`,
		mobile, except).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check mobile %s: %w", mobile, err)
	}
	return message.WithCause(ErrDuplicateMobile, "mobile number {{.Mobile}} already belongs to CRF {{.CRF}}",
		"Mobile", mobile, "CRF", other)
}

// UpdateCustomer replaces every editable field of a customer.
func (s *Store) UpdateCustomer(ctx context.Context, crf int64, c CustomerParams, actor string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := checkMobileFree(ctx, tx, c.Mobile, crf); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET name = ?, mobile = ?, email = ?, house = ?,
			street = ?, city = ?, state = ?, postal_code = ?, id_proof_type = ?, id_proof_number = ?,
			date_of_birth = ?, notes = ?, search_key = ? WHERE crf = ?`,
			c.Name, c.Mobile, c.Email, c.House, c.Street, c.City, c.State, c.PostalCode,
			c.IDProofType, c.IDProofNumber, c.DateOfBirth, c.Notes, SearchKey(c.Name), crf)
		if err := requireOneRow(res, err, "update customer", crf); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{Actor: actor, Action: "customer.update",
			Entity: "customer", EntityID: strconv.FormatInt(crf, 10)})
	})
}

// UpdateContact changes only the fields a customer may edit: mobile, email,
// address and date of birth. Name, ID proof and notes stay as they are.
func (s *Store) UpdateContact(ctx context.Context, crf int64, c ContactParams, actor string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := checkMobileFree(ctx, tx, c.Mobile, crf); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET mobile = ?, email = ?, house = ?, street = ?,
			city = ?, state = ?, postal_code = ?, date_of_birth = ? WHERE crf = ?`,
			c.Mobile, c.Email, c.House, c.Street, c.City, c.State, c.PostalCode, c.DateOfBirth, crf)
		if err := requireOneRow(res, err, "update contact of customer", crf); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{Actor: actor, Action: "customer.update_contact",
			Entity: "customer", EntityID: strconv.FormatInt(crf, 10)})
	})
}

func requireOneRow(res sql.Result, err error, op string, id int64) error {
	if err != nil {
		return fmt.Errorf("%s %d: %w", op, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %d: %w", op, id, err)
	}
	if n == 0 {
		return fmt.Errorf("%s %d: %w", op, id, ErrNotFound)
	}
	return nil
}

// ErrCustomerOwes is returned when removing a customer who still owes money.
var ErrCustomerOwes = message.NewError("customer has an amount due")

// ArchiveCustomer removes a customer from the current list: their history
// and invoices stay, their login is disabled and their open connections are
// disconnected. It fails with ErrCustomerOwes while anything is due. The
// check and the change happen in one transaction.
func (s *Store) ArchiveCustomer(ctx context.Context, crf int64, actor string, now time.Time, today string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		due, err := customerDue(ctx, tx, crf)
		if err != nil {
			return err
		}
		if due > 0 {
			return message.WithCause(ErrCustomerOwes, "customer {{.CRF}} cannot be removed: {{.Due}} is still due; "+
				"collect or waive it first", "CRF", crf, "Due", billing.Money(due).Plain())
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET archived_at = ?
			WHERE crf = ? AND archived_at IS NULL`, formatTime(now), crf)
		if err := requireOneRow(res, err, "archive customer", crf); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 1 WHERE customer_crf = ?`, crf); err != nil {
			return fmt.Errorf("disable login of customer %d: %w", crf, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE connections SET status = 'disconnected', disconnected_on = ?
			WHERE customer_crf = ? AND status <> 'disconnected'`, today, crf)
		if err != nil {
			return fmt.Errorf("disconnect services of customer %d: %w", crf, err)
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "customer.archive",
			Entity: "customer", EntityID: strconv.FormatInt(crf, 10)})
	})
}

// customerDue sums what a customer owes over all connections.
func customerDue(ctx context.Context, q queryer, crf int64) (int64, error) {
	var due int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(p.amount - p.paid), 0)
		FROM periods p JOIN connections c ON c.id = p.connection_id
		WHERE `+customerOpenPeriods, crf).Scan(&due)
	if err != nil {
		return 0, fmt.Errorf("amount due of customer %d: %w", crf, err)
	}
	return due, nil
}

// escapeLike escapes the LIKE wildcards % and _ and the escape character
// itself, for patterns written with ESCAPE '\'.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
