// Package service is the layer every screen talks to. It checks who is
// asking (an admin or one customer), validates input, reads the clock and
// settings, and calls the store. Permissions are enforced here, not by
// hiding buttons: a customer session can reach only its own data.
package service

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// Clock returns the current time. Tests inject a clock they can move.
type Clock interface {
	Now() time.Time
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Options configure a Service.
type Options struct {
	// DataDir holds invoices/, reports/ and backups/.
	DataDir string
	Clock   Clock
	// Location is the operator's time zone, for calendar dates; nil means
	// time.Local.
	Location *time.Location
	Logger   *slog.Logger
	// PasswordCost is the bcrypt cost; zero means bcrypt.DefaultCost. Tests
	// lower it to keep many logins fast.
	PasswordCost int
}

// Service implements every operation of the admin and customer screens.
type Service struct {
	store   *store.Store
	clock   Clock
	loc     *time.Location
	dataDir string
	log     *slog.Logger
	cost    int
	// systemLanguage is the language of emails and invoices while the
	// settings leave the choice to the system locale.
	systemLanguage atomic.Value
}

// New returns a Service over an open store.
func New(st *store.Store, opts Options) *Service {
	s := &Service{store: st, clock: opts.Clock, loc: opts.Location, dataDir: opts.DataDir,
		log: opts.Logger, cost: opts.PasswordCost}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Store returns the underlying store, for background jobs and tools that
// run without a session.
func (s *Service) Store() *store.Store { return s.store }

// Now returns the current instant.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Today returns the operator's local calendar date.
func (s *Service) Today() billing.Date {
	return billing.DateOf(s.clock.Now().In(s.loc))
}

// Location returns the operator's time zone.
func (s *Service) Location() *time.Location { return s.loc }

// DataDir returns the data folder.
func (s *Service) DataDir() string { return s.dataDir }

// InvoicesDir returns the folder that holds invoice PDFs.
func (s *Service) InvoicesDir() string { return filepath.Join(s.dataDir, "invoices") }

// ReportsDir returns the default folder for saved reports.
func (s *Service) ReportsDir() string { return filepath.Join(s.dataDir, "reports") }

// jobClock returns the moment and the grace days for a billing change.
func (s *Service) jobClock(ctx context.Context) (store.JobClock, error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return store.JobClock{}, err
	}
	now := s.clock.Now()
	return store.JobClock{Now: now, Today: billing.DateOf(now.In(s.loc)), GraceDays: st.GraceDays}, nil
}

// Session is a logged-in user.
type Session struct {
	UserID   int64
	Username string
	Role     string
	// CRF is the customer's number for a customer session, zero for admins.
	CRF                int64
	MustChangePassword bool
}

// IsAdmin reports whether the session belongs to an admin.
func (s Session) IsAdmin() bool { return s.Role == store.RoleAdmin && s.UserID != 0 }

// ErrForbidden is returned when a session requests data or a change that
// its role or customer may not see or make.
var ErrForbidden = message.NewError("not allowed for this account")

func requireAdmin(sess Session) error {
	if !sess.IsAdmin() {
		return message.Wrap(ErrForbidden, "only the admin can do this")
	}
	return nil
}

// requireCustomer allows an admin, or the customer whose CRF number is crf.
func requireCustomer(sess Session, crf int64) error {
	if sess.IsAdmin() {
		return nil
	}
	if sess.Role == store.RoleCustomer && sess.CRF != 0 && sess.CRF == crf {
		return nil
	}
	return message.Wrap(ErrForbidden, "customer {{.CRF}}", "CRF", crf)
}

// CurrencySymbol returns the currency symbol from the settings, or "₹"
// when the settings cannot be read.
func (s *Service) CurrencySymbol(ctx context.Context) string {
	st, err := s.store.Settings(ctx)
	if err != nil || st.CurrencySymbol == "" {
		return store.DefaultSettings().CurrencySymbol
	}
	return st.CurrencySymbol
}
