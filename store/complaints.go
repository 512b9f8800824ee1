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

// ComplaintStatus is the state of a complaint, stored as its string value.
type ComplaintStatus string

// Complaint statuses. A complaint starts open, may be marked in progress,
// and ends resolved. A resolved complaint never changes again.
const (
	ComplaintOpen       ComplaintStatus = "open"
	ComplaintInProgress ComplaintStatus = "in_progress"
	ComplaintResolved   ComplaintStatus = "resolved"
)

// ComplaintStatuses lists every status in the order of its life.
var ComplaintStatuses = []ComplaintStatus{ComplaintOpen, ComplaintInProgress, ComplaintResolved}

// Label returns the status for people, such as "In progress".
func (s ComplaintStatus) Label() string {
	switch s {
	case ComplaintOpen:
		return "Open"
	case ComplaintInProgress:
		return "In progress"
	case ComplaintResolved:
		return "Resolved"
	}
	return string(s)
}

// ComplaintCategory is the kind of problem a complaint reports, stored as
// its string value.
type ComplaintCategory string

// Complaint categories, as the schema allows them.
const (
	CategoryNoSignal      ComplaintCategory = "no_signal"
	CategorySetTopBox     ComplaintCategory = "set_top_box"
	CategoryBilling       ComplaintCategory = "billing"
	CategoryBroadbandDown ComplaintCategory = "broadband_down"
	CategorySlowSpeed     ComplaintCategory = "slow_speed"
	CategoryOther         ComplaintCategory = "other"
)

// ComplaintCategories lists every category in the order forms offer them.
var ComplaintCategories = []ComplaintCategory{CategoryNoSignal, CategorySetTopBox, CategoryBilling,
	CategoryBroadbandDown, CategorySlowSpeed, CategoryOther}

// Label returns the category for people, such as "Set-top box".
func (c ComplaintCategory) Label() string {
	switch c {
	case CategoryNoSignal:
		return "No signal"
	case CategorySetTopBox:
		return "Set-top box"
	case CategoryBilling:
		return "Billing"
	case CategoryBroadbandDown:
		return "Broadband down"
	case CategorySlowSpeed:
		return "Slow speed"
	case CategoryOther:
		return "Other"
	}
	return string(c)
}

// Errors of complaint changes.
var (
	// ErrComplaintResolved means the complaint is already resolved, so it
	// can be neither resolved again nor marked in progress.
	ErrComplaintResolved = message.NewError("the complaint is already resolved")
	// ErrServiceNotConnected means the customer has no connection of the
	// service the complaint is about.
	ErrServiceNotConnected = message.NewError("the customer has no connection of this service")
	// ErrCustomerRemoved means the customer was archived, so no new
	// complaint can be raised for them.
	ErrCustomerRemoved = message.NewError("the customer is removed")
)

// Complaint is a problem reported by a customer, at the kiosk or by phone
// to the office.
type Complaint struct {
	ID          int64
	Number      string // CMP-YYYY-NNNNN, gapless within the local year
	Year        int
	Seq         int64
	CustomerCRF int64
	Service     billing.Service
	Category    ComplaintCategory
	Description string
	Status      ComplaintStatus
	CreatedAt   time.Time
	// ReadAt is when the admin first opened the complaint, zero until then.
	ReadAt         time.Time
	ResolvedAt     time.Time // zero until resolved
	ResolutionNote string
}

// Unread reports whether the admin has never opened the complaint.
func (c Complaint) Unread() bool {
	return c.ReadAt.IsZero()
}

// ComplaintDetails are a complaint and its customer, which the complaint
// emails are composed from.
type ComplaintDetails struct {
	Complaint Complaint
	Customer  Customer
}

const complaintColumns = `k.id, k.number, k.year, k.seq, k.customer_crf, k.service, k.category,
	k.description, k.status, k.created_at, k.read_at, k.resolved_at, k.resolution_note`

func scanComplaint(row interface{ Scan(...any) error }, extra ...any) (Complaint, error) {
	var c Complaint
	var created string
	var read, resolved sql.NullString
	dest := append([]any{&c.ID, &c.Number, &c.Year, &c.Seq, &c.CustomerCRF, &c.Service, &c.Category,
		&c.Description, &c.Status, &created, &read, &resolved, &c.ResolutionNote}, extra...)
	if err := row.Scan(dest...); err != nil {
		return c, err
	}
	var err error
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	if c.ReadAt, err = parseNullTime(read); err != nil {
		return c, err
	}
	c.ResolvedAt, err = parseNullTime(resolved)
	return c, err
}

// Complaint returns one complaint.
func (s *Store) Complaint(ctx context.Context, id int64) (Complaint, error) {
	return getComplaint(ctx, s.ro, id)
}

func getComplaint(ctx context.Context, q queryer, id int64) (Complaint, error) {
	c, err := scanComplaint(q.QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM complaints k
		WHERE k.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, message.WithCause(ErrNotFound, "complaint {{.ID}} was not found", "ID", id)
	}
	if err != nil {
		return c, fmt.Errorf("get complaint %d: %w", id, err)
	}
	return c, nil
}

// ComplaintsOfCustomer returns a customer's complaints, newest first.
func (s *Store) ComplaintsOfCustomer(ctx context.Context, crf int64) ([]Complaint, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+complaintColumns+` FROM complaints k
		WHERE k.customer_crf = ? ORDER BY k.created_at DESC, k.id DESC`, crf)
	if err != nil {
		return nil, fmt.Errorf("list complaints of customer %d: %w", crf, err)
	}
	defer rows.Close()
	var out []Complaint
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, fmt.Errorf("list complaints of customer %d: %w", crf, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ComplaintQuery selects complaints for the admin's list. Zero fields match
// every complaint.
type ComplaintQuery struct {
	Statuses []ComplaintStatus // empty for every status
	Service  billing.Service
	Category ComplaintCategory
	// CreatedBefore keeps complaints raised before this instant, for the
	// "older than N days" filter.
	CreatedBefore time.Time
	Limit         int // 1000 when zero or less
}

// ComplaintRow is one line of the admin's complaint list: the complaint and
// how to reach its customer.
type ComplaintRow struct {
	Complaint
	CustomerName string
	Mobile       string
	Area         string // street or area of the customer's address
	City         string
}

// ListComplaints returns the complaints that match q. Open and in-progress
// complaints come first, oldest first, so the longest wait is on top. The
// resolved ones follow, most recently resolved first.
func (s *Store) ListComplaints(ctx context.Context, q ComplaintQuery) ([]ComplaintRow, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	before := q.CreatedBefore
	if before.IsZero() {
		before = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	allow := map[ComplaintStatus]bool{}
	for _, st := range q.Statuses {
		allow[st] = true
	}
	all := len(q.Statuses) == 0

	rows, err := s.ro.QueryContext(ctx, `SELECT `+complaintColumns+`, c.name, c.mobile, c.street, c.city
		FROM complaints k JOIN customers c ON c.crf = k.customer_crf
		WHERE ((k.status = 'open' AND ?) OR (k.status = 'in_progress' AND ?) OR (k.status = 'resolved' AND ?))
		  AND (? = '' OR k.service = ?) AND (? = '' OR k.category = ?) AND k.created_at < ?
		ORDER BY k.status = 'resolved',
			CASE WHEN k.status = 'resolved' THEN NULL ELSE k.created_at END,
			k.resolved_at DESC, k.id
		LIMIT ?`,
		all || allow[ComplaintOpen], all || allow[ComplaintInProgress], all || allow[ComplaintResolved],
		q.Service, q.Service, q.Category, q.Category, formatTime(before), q.Limit)
	if err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	defer rows.Close()
	var out []ComplaintRow
	for rows.Next() {
		var r ComplaintRow
		r.Complaint, err = scanComplaint(rows, &r.CustomerName, &r.Mobile, &r.Area, &r.City)
		if err != nil {
			return nil, fmt.Errorf("list complaints: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ComplaintEmail composes a complaint email from the complaint and its
// customer. The store calls it inside the change's transaction, once the
// number is known, and only for a customer with an email address.
type ComplaintEmail func(ComplaintDetails) (OutboxMessage, error)

// CreateComplaintParams describe a new complaint.
type CreateComplaintParams struct {
	CRF         int64
	Service     billing.Service
	Category    ComplaintCategory
	Description string
	Now         time.Time
	// Year is the operator's local year at Now, which numbers the complaint.
	Year  int
	Actor string
	// Email, when set, composes the "complaint received" email.
	Email ComplaintEmail
}

// ComplaintResult is a complaint after a change, and whether the change
// queued an email to the customer.
type ComplaintResult struct {
	Complaint   Complaint
	EmailQueued bool
}

// CreateComplaint records a complaint in one immediate transaction: the
// next number of p.Year, the complaint row, the "complaint received" email
// and an audit row. The service must be one of the customer's connections,
// or the error wraps ErrServiceNotConnected.
func (s *Store) CreateComplaint(ctx context.Context, p CreateComplaintParams) (ComplaintResult, error) {
	var res ComplaintResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		customer, err := getCustomer(ctx, tx, p.CRF)
		if err != nil {
			return err
		}
		if customer.Archived() {
			return message.WithCause(ErrCustomerRemoved, "customer {{.CRF}} is removed, so no complaint can be raised "+
				"for them", "CRF", p.CRF)
		}
		if _, err := connectionOfService(ctx, tx, p.CRF, p.Service); errors.Is(err, ErrNotFound) {
			return message.WithCause(ErrServiceNotConnected, "customer {{.CRF}} has no {{.Service}} connection",
				"CRF", p.CRF, "Service", ServiceText(p.Service))
		} else if err != nil {
			return err
		}

		c, err := insertComplaint(ctx, tx, p)
		if err != nil {
			return err
		}
		queued, err := queueComplaintEmail(ctx, tx, ComplaintDetails{Complaint: c, Customer: customer}, p.Email, p.Now)
		if err != nil {
			return err
		}
		err = insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "complaint.create",
			Entity: "complaint", EntityID: strconv.FormatInt(c.ID, 10),
			Details: fmt.Sprintf("%s, customer %d, %s, %s", c.Number, c.CustomerCRF, c.Service, c.Category)})
		res = ComplaintResult{Complaint: c, EmailQueued: queued}
		return err
	})
	return res, err
}

func insertComplaint(ctx context.Context, tx *sql.Tx, p CreateComplaintParams) (Complaint, error) {
	seq, err := nextCounter(ctx, tx, fmt.Sprintf("complaint:%d", p.Year))
	if err != nil {
		return Complaint{}, err
	}
	c := Complaint{Number: fmt.Sprintf("CMP-%d-%05d", p.Year, seq), Year: p.Year, Seq: seq,
		CustomerCRF: p.CRF, Service: p.Service, Category: p.Category, Description: p.Description,
		Status: ComplaintOpen, CreatedAt: p.Now.UTC().Truncate(time.Millisecond)}
	res, err := tx.ExecContext(ctx, `INSERT INTO complaints (number, year, seq, customer_crf, service,
		category, description, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Number, c.Year, c.Seq, c.CustomerCRF, c.Service, c.Category, c.Description, c.Status,
		formatTime(c.CreatedAt))
	if err != nil {
		return c, fmt.Errorf("insert complaint %s: %w", c.Number, err)
	}
	c.ID, err = res.LastInsertId()
	return c, err
}

// queueComplaintEmail queues the email that compose makes, unless compose
// is nil or the customer has no email address. It reports whether it
// queued one.
func queueComplaintEmail(ctx context.Context, tx *sql.Tx, d ComplaintDetails, compose ComplaintEmail, now time.Time) (bool, error) {
	if compose == nil || d.Customer.Email == "" {
		return false, nil
	}
	m, err := compose(d)
	if err != nil {
		return false, fmt.Errorf("compose email of complaint %s: %w", d.Complaint.Number, err)
	}
	m.CustomerCRF = d.Customer.CRF
	if _, err := insertOutbox(ctx, tx, m, now); err != nil {
		return false, err
	}
	return true, nil
}

// MarkComplaintRead records that the admin opened a complaint and returns
// it. Only the first opening is recorded and audited.
func (s *Store) MarkComplaintRead(ctx context.Context, id int64, now time.Time, actor string) (Complaint, error) {
	var c Complaint
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE complaints SET read_at = ? WHERE id = ? AND read_at IS NULL`,
			formatTime(now), id)
		if err != nil {
			return fmt.Errorf("mark complaint %d read: %w", id, err)
		}
		if c, err = getComplaint(ctx, tx, id); err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("mark complaint %d read: %w", id, err)
		}
		if n == 0 {
			return nil // opened before
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "complaint.read",
			Entity: "complaint", EntityID: strconv.FormatInt(id, 10), Details: c.Number})
	})
	return c, err
}

// MarkComplaintInProgress moves an open complaint to in progress and
// returns it. A complaint already in progress is returned unchanged, and a
// resolved one is rejected with ErrComplaintResolved.
func (s *Store) MarkComplaintInProgress(ctx context.Context, id int64, now time.Time, actor string) (Complaint, error) {
	var c Complaint
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = getComplaint(ctx, tx, id); err != nil {
			return err
		}
		switch c.Status {
		case ComplaintInProgress:
			return nil
		case ComplaintResolved:
			return resolvedError("mark complaint in progress", c)
		}
		_, err = tx.ExecContext(ctx, `UPDATE complaints SET status = 'in_progress',
			read_at = COALESCE(read_at, ?) WHERE id = ?`, formatTime(now), id)
		if err != nil {
			return fmt.Errorf("mark complaint %s in progress: %w", c.Number, err)
		}
		if c, err = getComplaint(ctx, tx, id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "complaint.in_progress",
			Entity: "complaint", EntityID: strconv.FormatInt(id, 10), Details: c.Number})
	})
	return c, err
}

func resolvedError(op string, c Complaint) error {
	return fmt.Errorf("%s %s: %w", op, c.Number, message.WithCause(ErrComplaintResolved,
		"complaint {{.Number}} is already resolved, so it cannot change any more", "Number", c.Number))
}

// ResolveComplaintParams describe the resolution of one complaint.
type ResolveComplaintParams struct {
	ID    int64
	Note  string // resolution note, sent to the customer
	Now   time.Time
	Actor string
	// Email, when set, composes the "complaint resolved" email.
	Email ComplaintEmail
}

// ResolveComplaint resolves a complaint in one immediate transaction: the
// status, time and note, the "complaint resolved" email and an audit row.
// A resolved complaint is rejected with ErrComplaintResolved, so two admins
// resolving it at once send one email.
func (s *Store) ResolveComplaint(ctx context.Context, p ResolveComplaintParams) (ComplaintResult, error) {
	var res ComplaintResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := getComplaint(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if c.Status == ComplaintResolved {
			return resolvedError("resolve complaint", c)
		}
		_, err = tx.ExecContext(ctx, `UPDATE complaints SET status = 'resolved', resolved_at = ?,
			resolution_note = ?, read_at = COALESCE(read_at, ?) WHERE id = ?`,
			formatTime(p.Now), p.Note, formatTime(p.Now), p.ID)
		if err != nil {
			return fmt.Errorf("resolve complaint %s: %w", c.Number, err)
		}
		if c, err = getComplaint(ctx, tx, p.ID); err != nil {
			return err
		}
		customer, err := getCustomer(ctx, tx, c.CustomerCRF)
		if err != nil {
			return err
		}
		queued, err := queueComplaintEmail(ctx, tx, ComplaintDetails{Complaint: c, Customer: customer}, p.Email, p.Now)
		if err != nil {
			return err
		}
		err = insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "complaint.resolve",
			Entity: "complaint", EntityID: strconv.FormatInt(c.ID, 10),
			Details: fmt.Sprintf("%s: %s", c.Number, c.ResolutionNote)})
		res = ComplaintResult{Complaint: c, EmailQueued: queued}
		return err
	})
	return res, err
}
