package service

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/mailer/smtptest"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/importer"
)

// authFixture is an office with two customers. The customer session
// belongs to mine; other has a connection, a paid invoice, a period and a
// complaint that mine must not reach.
type authFixture struct {
	*payEnv
	mine, other  NewCustomer
	customer     Session
	connectionID int64
	invoiceID    int64
	periodID     int64
	complaintID  int64
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	e := newPayEnv(t)
	f := &authFixture{payEnv: e, mine: e.dueCustomer("Kavya Menon"), other: e.dueCustomer("Rohan Gupta")}
	f.customer = e.loginCustomer(f.mine)

	conns, err := e.svc.Connections(e.ctx, e.admin, f.other.CRF)
	if err != nil || len(conns) != 1 {
		t.Fatalf("connections of the other customer: %v, %v", conns, err)
	}
	f.connectionID = conns[0].ID
	receipt := e.collect(f.other.CRF, "300")
	f.invoiceID = receipt.Invoice.ID
	if err := e.rawDB().QueryRow(`SELECT id FROM periods WHERE connection_id = ? AND state = 'due'`,
		f.connectionID).Scan(&f.periodID); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.RaiseComplaint(e.ctx, e.admin, ComplaintInput{CRF: f.other.CRF, Service: billing.ServiceCableTV,
		Category: store.CategoryNoSignal, Description: "No signal since morning."})
	if err != nil {
		t.Fatal(err)
	}
	f.complaintID = res.Complaint.ID
	return f
}

// authCase calls one Service method in a way that must be forbidden. It
// uses the customer session on the other customer's data, the customer
// session for an admin-only method, or no login at all for a method about
// the session's own login.
type authCase struct {
	method string
	call   func(f *authFixture) error
}

var authCases = []authCase{
	// Admin only.
	{"AdminDashboard", func(f *authFixture) error { _, err := f.svc.AdminDashboard(f.ctx, f.customer); return err }},
	{"ArchiveCustomer", func(f *authFixture) error { return f.svc.ArchiveCustomer(f.ctx, f.customer, f.other.CRF) }},
	{"AuditLog", func(f *authFixture) error { _, err := f.svc.AuditLog(f.ctx, f.customer, AuditQuery{}); return err }},
	{"BackupNow", func(f *authFixture) error { _, err := f.svc.BackupNow(f.ctx, f.customer); return err }},
	{"BusinessSettings", func(f *authFixture) error { _, err := f.svc.BusinessSettings(f.ctx, f.customer); return err }},
	{"CollectPayment", func(f *authFixture) error {
		_, err := f.svc.CollectPayment(f.ctx, f.customer, PaymentInput{CRF: f.mine.CRF, Service: billing.ServiceCableTV,
			Amount: "300", Mode: store.ModeCash, RequestKey: "k1"})
		return err
	}},
	{"ComplaintCounts", func(f *authFixture) error { _, err := f.svc.ComplaintCounts(f.ctx, f.customer); return err }},
	{"Connect", func(f *authFixture) error {
		_, err := f.svc.Connect(f.ctx, f.customer, f.mine.CRF, ConnectInput{Service: billing.ServiceBroadband, PlanID: f.plan})
		return err
	}},
	{"CountCustomers", func(f *authFixture) error {
		_, err := f.svc.CountCustomers(f.ctx, f.customer, store.CustomerQuery{})
		return err
	}},
	{"CreateCustomer", func(f *authFixture) error {
		_, err := f.svc.CreateCustomer(f.ctx, f.customer, store.CustomerParams{Name: "New", Mobile: "9123456789"})
		return err
	}},
	{"CreatePlan", func(f *authFixture) error {
		_, err := f.svc.CreatePlan(f.ctx, f.customer, PlanInput{Service: billing.ServiceCableTV, Name: "Free", Price: "1"})
		return err
	}},
	{"Disconnect", func(f *authFixture) error { return f.svc.Disconnect(f.ctx, f.customer, f.connectionID) }},
	{"EmailTemplates", func(f *authFixture) error { _, err := f.svc.EmailTemplates(f.ctx, f.customer); return err }},
	{"ListBackups", func(f *authFixture) error { _, err := f.svc.ListBackups(f.ctx, f.customer); return err }},
	{"ListComplaints", func(f *authFixture) error {
		_, err := f.svc.ListComplaints(f.ctx, f.customer, ComplaintFilter{})
		return err
	}},
	{"ListOutbox", func(f *authFixture) error { _, err := f.svc.ListOutbox(f.ctx, f.customer, ""); return err }},
	{"PreviewImport", func(f *authFixture) error {
		_, err := f.svc.PreviewImport(f.ctx, f.customer, "x.csv", "")
		return err
	}},
	{"DryRunImport", func(f *authFixture) error {
		_, err := f.svc.DryRunImport(f.ctx, f.customer, "x.csv", "", importer.Mapping{})
		return err
	}},
	{"RunImport", func(f *authFixture) error {
		_, err := f.svc.RunImport(f.ctx, f.customer, "x.csv", "", importer.Mapping{}, ImportOptions{}, nil)
		return err
	}},
	{"ExportCustomers", func(f *authFixture) error {
		_, err := f.svc.ExportCustomers(f.ctx, f.customer, "x.csv", importer.FormatCSV)
		return err
	}},
	{"ExportPayments", func(f *authFixture) error {
		_, err := f.svc.ExportPayments(f.ctx, f.customer, "x.csv", importer.FormatCSV, billing.Date{}, billing.Date{})
		return err
	}},
	{"SetLogo", func(f *authFixture) error { return f.svc.SetLogo(f.ctx, f.customer, "") }},
	{"MarkComplaintInProgress", func(f *authFixture) error {
		_, err := f.svc.MarkComplaintInProgress(f.ctx, f.customer, f.complaintID)
		return err
	}},
	{"QueueReminders", func(f *authFixture) error {
		_, err := f.svc.QueueReminders(f.ctx, f.customer, []int64{f.other.CRF}, true, nil)
		return err
	}},
	{"Reconnect", func(f *authFixture) error { return f.svc.Reconnect(f.ctx, f.customer, f.connectionID) }},
	{"ReminderCandidates", func(f *authFixture) error {
		_, err := f.svc.ReminderCandidates(f.ctx, f.customer, store.ReminderFilter{})
		return err
	}},
	{"ReportPreview", func(f *authFixture) error {
		_, err := f.svc.ReportPreview(f.ctx, f.customer, ReportFilter{Service: billing.ServiceCableTV, Year: 2026,
			Month: time.December, Kind: ReportPaid})
		return err
	}},
	{"ResetEmailTemplate", func(f *authFixture) error {
		return f.svc.ResetEmailTemplate(f.ctx, f.customer, mailer.KindInvoice)
	}},
	{"ResolveComplaint", func(f *authFixture) error {
		_, err := f.svc.ResolveComplaint(f.ctx, f.customer, f.complaintID, "Fixed.")
		return err
	}},
	{"RestoreBackup", func(f *authFixture) error {
		_, err := f.svc.RestoreBackup(f.ctx, f.customer, f.store.Path())
		return err
	}},
	{"RetryEmail", func(f *authFixture) error { return f.svc.RetryEmail(f.ctx, f.customer, 1) }},
	{"SMTPSettings", func(f *authFixture) error { _, err := f.svc.SMTPSettings(f.ctx, f.customer); return err }},
	{"SaveBusinessSettings", func(f *authFixture) error {
		return f.svc.SaveBusinessSettings(f.ctx, f.customer, BusinessSettingsInput{BusinessName: "Mine",
			CurrencySymbol: "$", MinimumPayment: "1", GraceDays: "1", ReminderDailyLimit: "1"})
	}},
	{"SaveEmailTemplate", func(f *authFixture) error {
		return f.svc.SaveEmailTemplate(f.ctx, f.customer, mailer.KindInvoice, mailer.Template{Subject: "x", Text: "x", HTML: "x"})
	}},
	{"SaveReport", func(f *authFixture) error {
		return f.svc.SaveReport(f.ctx, f.customer, ReportFilter{Service: billing.ServiceCableTV, Year: 2026,
			Month: time.December, Kind: ReportPaid}, filepath.Join(f.t.TempDir(), "report.pdf"), nil)
	}},
	{"SaveSMTPSettings", func(f *authFixture) error {
		return f.svc.SaveSMTPSettings(f.ctx, f.customer, SMTPInput{Host: "127.0.0.1", Port: "25", From: "a@example.com"})
	}},
	{"SearchCustomers", func(f *authFixture) error {
		_, err := f.svc.SearchCustomers(f.ctx, f.customer, store.CustomerQuery{})
		return err
	}},
	{"SendTestEmail", func(f *authFixture) error { return f.svc.SendTestEmail(f.ctx, f.customer, "a@example.com") }},
	{"UpdateConnection", func(f *authFixture) error {
		return f.svc.UpdateConnection(f.ctx, f.customer, f.connectionID, f.plan, "STB-X")
	}},
	{"UpdateCustomer", func(f *authFixture) error {
		return f.svc.UpdateCustomer(f.ctx, f.customer, f.mine.CRF, store.CustomerParams{Name: "Changed", Mobile: "9123456789"})
	}},
	{"UpdatePlan", func(f *authFixture) error {
		return f.svc.UpdatePlan(f.ctx, f.customer, f.plan, PlanInput{Service: billing.ServiceCableTV, Name: "Cheap", Price: "1"})
	}},
	{"WaivePeriod", func(f *authFixture) error { return f.svc.WaivePeriod(f.ctx, f.customer, f.periodID, "Free") }},

	// A customer on another customer's data.
	{"BillsOfMonth", func(f *authFixture) error {
		_, err := f.svc.BillsOfMonth(f.ctx, f.customer, f.other.CRF, 2026, time.December)
		return err
	}},
	{"Complaint", func(f *authFixture) error { _, err := f.svc.Complaint(f.ctx, f.customer, f.complaintID); return err }},
	{"Connections", func(f *authFixture) error { _, err := f.svc.Connections(f.ctx, f.customer, f.other.CRF); return err }},
	{"Customer", func(f *authFixture) error { _, err := f.svc.Customer(f.ctx, f.customer, f.other.CRF); return err }},
	{"CustomerComplaints", func(f *authFixture) error {
		_, err := f.svc.CustomerComplaints(f.ctx, f.customer, f.other.CRF)
		return err
	}},
	{"CustomerDashboard", func(f *authFixture) error {
		_, err := f.svc.CustomerDashboard(f.ctx, f.customer, f.other.CRF)
		return err
	}},
	{"InvoiceDetails", func(f *authFixture) error { _, err := f.svc.InvoiceDetails(f.ctx, f.customer, f.invoiceID); return err }},
	{"InvoicePDF", func(f *authFixture) error { _, err := f.svc.InvoicePDF(f.ctx, f.customer, f.invoiceID); return err }},
	{"PayOnline", func(f *authFixture) error {
		_, err := f.svc.PayOnline(f.ctx, f.customer, PaymentInput{CRF: f.other.CRF, Service: billing.ServiceCableTV,
			Amount: "300", Reference: "REF123456", RequestKey: "k2"})
		return err
	}},
	{"PaymentDetails", func(f *authFixture) error {
		_, err := f.svc.PaymentDetails(f.ctx, f.customer, f.other.CRF, 2026)
		return err
	}},
	{"PaymentQuote", func(f *authFixture) error {
		_, err := f.svc.PaymentQuote(f.ctx, f.customer, f.other.CRF, billing.ServiceCableTV)
		return err
	}},
	{"RaiseComplaint", func(f *authFixture) error {
		_, err := f.svc.RaiseComplaint(f.ctx, f.customer, ComplaintInput{CRF: f.other.CRF, Service: billing.ServiceCableTV,
			Category: store.CategoryOther, Description: "Raised in someone else's name."})
		return err
	}},
	{"UpdateMyDetails", func(f *authFixture) error {
		return f.svc.UpdateMyDetails(f.ctx, f.customer, f.other.CRF, store.ContactParams{Mobile: "9123456789"})
	}},

	// The session's own login, without a login.
	{"ChangePasswordWithOTP", func(f *authFixture) error {
		return f.svc.ChangePasswordWithOTP(f.ctx, Session{}, "123456", "new-password-1", "new-password-1")
	}},
	{"RequestPasswordOTP", func(f *authFixture) error {
		return f.svc.RequestPasswordOTP(f.ctx, Session{}, "customer-pass-1")
	}},
	{"SetInitialPassword", func(f *authFixture) error {
		// The customer already replaced the initial password at login.
		sess := f.customer
		return f.svc.SetInitialPassword(f.ctx, &sess, "new-password-1", "new-password-1")
	}},
	// ListPlans shows customers the active plans, so only a missing login
	// is forbidden.
	{"ListPlans", func(f *authFixture) error { _, err := f.svc.ListPlans(f.ctx, Session{}, true); return err }},
}

func TestAuthorizationTable(t *testing.T) {
	f := newAuthFixture(t)
	before, err := f.svc.Customer(f.ctx, f.admin, f.other.CRF)
	if err != nil {
		t.Fatal(err)
	}
	paymentsBefore := countRows(t, f.rawDB(), `SELECT COUNT(*) FROM payments`)

	for _, c := range authCases {
		t.Run(c.method, func(t *testing.T) {
			if err := c.call(f); !errors.Is(err, ErrForbidden) {
				t.Errorf("err = %v, want ErrForbidden", err)
			}
		})
	}

	after, err := f.svc.Customer(f.ctx, f.admin, f.other.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("other customer changed by forbidden calls:\n%+v\n%+v", before, after)
	}
	if n := countRows(t, f.rawDB(), `SELECT COUNT(*) FROM payments`); n != paymentsBefore {
		t.Errorf("payments = %d after forbidden calls, want %d", n, paymentsBefore)
	}
}

// TestAuthorizationTableCoversService fails when an exported Service method
// takes a Session but has no row in authCases, so a new method cannot skip
// the permission check unnoticed.
func TestAuthorizationTableCoversService(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range authCases {
		if covered[c.method] {
			t.Errorf("method %s has two rows", c.method)
		}
		covered[c.method] = true
	}
	sessionType := reflect.TypeFor[Session]()
	serviceType := reflect.TypeFor[*Service]()
	var takesSession []string
	for i := range serviceType.NumMethod() {
		m := serviceType.Method(i)
		for j := range m.Type.NumIn() {
			in := m.Type.In(j)
			if in == sessionType || in == reflect.PointerTo(sessionType) {
				takesSession = append(takesSession, m.Name)
				break
			}
		}
	}
	for _, name := range takesSession {
		if !covered[name] {
			t.Errorf("Service.%s takes a Session but has no row in authCases; add one that expects ErrForbidden", name)
		}
	}
	for name := range covered {
		if !slices.Contains(takesSession, name) {
			t.Errorf("authCases has a row for %s, which is not a Service method taking a Session", name)
		}
	}
}

// otpCode returns the code in the newest OTP email of the outbox.
func otpCode(t *testing.T, e *env) string {
	t.Helper()
	all, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var code string
	for _, m := range all {
		if m.Kind == string(mailer.KindOTP) {
			code = regexp.MustCompile(`\b\d{6}\b`).FindString(m.Text)
		}
	}
	if code == "" {
		t.Fatal("no OTP email with a 6-digit code in the outbox")
	}
	return code
}

func TestLogsHoldNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	previous := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(previous)

	e := newPayEnv(t)
	e.svc.log = logger
	secrets := []string{testAdminPassword}

	const wrongAdmin, smtpSecret = "wrong-admin-guess-4", "smtp-secret-pass-7"
	secrets = append(secrets, wrongAdmin, smtpSecret)
	if _, err := e.svc.Login(e.ctx, "admin", wrongAdmin); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong admin password: err = %v", err)
	}
	if _, err := e.svc.Login(e.ctx, "admin", testAdminPassword); err != nil {
		t.Fatal(err)
	}
	err := e.svc.SaveSMTPSettings(e.ctx, e.admin, SMTPInput{Host: "127.0.0.1", Port: fmt.Sprint(smtptest.ClosedPort(t)),
		Security: mailer.SecurityNone, Username: "office", Password: smtpSecret, From: "office@example.com",
		TimeoutSeconds: "2"})
	if err != nil {
		t.Fatal(err)
	}

	nc := e.dueCustomer("Meera Iyer")
	const wrongCustomer, firstPassword, changedPassword = "guessed-pass-5", "customer-first-6", "customer-changed-8"
	secrets = append(secrets, nc.InitialPassword, wrongCustomer, firstPassword, changedPassword)
	if _, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), wrongCustomer); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong customer password: err = %v", err)
	}
	sess, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), nc.InitialPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetInitialPassword(e.ctx, &sess, firstPassword, firstPassword); err != nil {
		t.Fatal(err)
	}
	q, err := e.svc.PaymentQuote(e.ctx, sess, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.PayOnline(e.ctx, sess, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "600", Reference: "UPI20261204A1", RequestKey: q.RequestKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RequestPasswordOTP(e.ctx, sess, firstPassword); err != nil {
		t.Fatal(err)
	}
	code := otpCode(t, e.env)
	secrets = append(secrets, code)
	if err := e.svc.ChangePasswordWithOTP(e.ctx, sess, code, changedPassword, changedPassword); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SendTestEmail(e.ctx, e.admin, "owner@example.com"); err == nil {
		t.Error("test email to a closed port succeeded")
	}
	_, failed, err := NewOutboxWorker(e.svc).RunOnce(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if failed == 0 {
		t.Error("no delivery attempt failed on the closed port, so the SMTP error path did not run")
	}

	text := logs.String()
	for _, want := range []string{"login failed", "payment recorded", "password code queued"} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %q, so the flow did not log as expected:\n%s", want, text)
		}
	}
	for _, secret := range secrets {
		if strings.Contains(text, secret) {
			t.Errorf("log contains the secret %q", secret)
		}
	}
}

func TestDataFilesArePrivate(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Farah Khan")
	receipt := e.collect(nc.CRF, "600")
	backup, err := e.svc.BackupNow(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	files := []string{e.store.Path(), e.store.Path() + "-wal", receipt.PDFPath, backup.Path}
	for _, path := range files {
		st, err := os.Stat(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if mode := st.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(path), mode)
		}
	}
	for _, dir := range []string{e.svc.BackupsDir(), e.svc.InvoicesDir()} {
		st, err := os.Stat(dir)
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		if mode := st.Mode().Perm(); mode&0o077 != 0 {
			t.Errorf("folder %s has mode %o, want no access for group and others", filepath.Base(dir), mode)
		}
	}
}
