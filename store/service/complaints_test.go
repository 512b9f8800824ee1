package service

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// complaintEnv is a test environment with a cable TV plan, on 4 Dec 2026
// like newEnv's.
type complaintEnv struct {
	*env
	plan int64
}

func newComplaintEnv(t *testing.T) *complaintEnv {
	t.Helper()
	e := newEnv(t)
	return &complaintEnv{env: e, plan: e.addPlan(billing.ServiceCableTV, "Silver 250", "250")}
}

// cableCustomer adds a customer with cable TV, logs them in and returns
// their session.
func (e *complaintEnv) cableCustomer(name string) Session {
	e.t.Helper()
	nc := e.addCustomer(name)
	e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))
	return e.loginCustomer(nc)
}

func noSignal(crf int64) ComplaintInput {
	return ComplaintInput{CRF: crf, Service: billing.ServiceCableTV, Category: store.CategoryNoSignal,
		Description: "No picture on any channel since this morning."}
}

func (e *complaintEnv) raise(sess Session, in ComplaintInput) store.Complaint {
	e.t.Helper()
	res, err := e.svc.RaiseComplaint(e.ctx, sess, in)
	if err != nil {
		e.t.Fatalf("raise complaint for customer %d: %v", in.CRF, err)
	}
	return res.Complaint
}

// complaintEmails returns the queued emails of one kind to crf, oldest
// first.
func (e *complaintEnv) complaintEmails(kind mailer.Kind, crf int64) []store.OutboxMessage {
	e.t.Helper()
	all, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []store.OutboxMessage
	for _, m := range all {
		if m.Kind == string(kind) && m.CustomerCRF == crf {
			out = append(out, m)
		}
	}
	slices.Reverse(out)
	return out
}

// auditActions returns the actions of the audit rows about complaint id,
// oldest first.
func (e *complaintEnv) auditActions(id int64) []string {
	e.t.Helper()
	rows, err := e.store.ListAudit(e.ctx, store.AuditFilter{Action: "complaint."})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if r.EntityID == fmt.Sprint(id) {
			out = append(out, r.Action)
		}
	}
	slices.Reverse(out)
	return out
}

func TestRaiseComplaintQueuesEmailAndAudit(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	res, err := e.svc.RaiseComplaint(e.ctx, sess, noSignal(sess.CRF))
	if err != nil {
		t.Fatal(err)
	}
	c := res.Complaint
	if c.Number != "CMP-2026-00001" {
		t.Errorf("number = %s, want CMP-2026-00001", c.Number)
	}
	if c.Status != store.ComplaintOpen {
		t.Errorf("status = %s, want open", c.Status)
	}
	if !c.Unread() {
		t.Error("a new complaint is marked read")
	}
	if !res.EmailQueued {
		t.Error("EmailQueued is false for a customer with an email address")
	}

	emails := e.complaintEmails(mailer.KindComplaintReceived, sess.CRF)
	if len(emails) != 1 {
		t.Fatalf("complaint received emails = %d, want 1", len(emails))
	}
	m := emails[0]
	if !strings.Contains(m.Subject, c.Number) {
		t.Errorf("subject %q lacks the number %s", m.Subject, c.Number)
	}
	for _, want := range []string{c.Number, "Anitha Menon", "Cable TV", "No signal", "No picture on any channel"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("email text lacks %q:\n%s", want, m.Text)
		}
	}
	if m.State != store.OutboxQueued {
		t.Errorf("email state = %s, want queued", m.State)
	}
	if !strings.HasSuffix(m.Recipient, "@example.com") {
		t.Errorf("email recipient = %q, want the customer's address", m.Recipient)
	}
	if got := e.auditActions(c.ID); !slices.Equal(got, []string{"complaint.create"}) {
		t.Errorf("audit actions = %v, want [complaint.create]", got)
	}
}

func TestRaiseComplaintWithoutEmailQueuesNothing(t *testing.T) {
	e := newComplaintEnv(t)
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Ravi Kumar",
		Mobile: "9123456780", City: "Pune"})
	if err != nil {
		t.Fatal(err)
	}
	e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))

	res, err := e.svc.RaiseComplaint(e.ctx, e.admin, noSignal(nc.CRF))
	if err != nil {
		t.Fatal(err)
	}
	if res.EmailQueued {
		t.Error("EmailQueued is true for a customer without an email address")
	}
	if n := len(e.complaintEmails(mailer.KindComplaintReceived, nc.CRF)); n != 0 {
		t.Errorf("complaint received emails = %d, want 0", n)
	}
}

func TestRaiseComplaintChecksFields(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Meera Iyer")
	tests := []struct {
		name  string
		edit  func(*ComplaintInput)
		field string
	}{
		{"no service", func(in *ComplaintInput) { in.Service = "" }, "service"},
		{"unknown service", func(in *ComplaintInput) { in.Service = "radio" }, "service"},
		{"service not connected", func(in *ComplaintInput) { in.Service = billing.ServiceBroadband }, "service"},
		{"no category", func(in *ComplaintInput) { in.Category = "" }, "category"},
		{"unknown category", func(in *ComplaintInput) { in.Category = "noise" }, "category"},
		{"empty description", func(in *ComplaintInput) { in.Description = "   " }, "description"},
		{"nine characters", func(in *ComplaintInput) { in.Description = " 123456789 " }, "description"},
		{"2001 characters", func(in *ComplaintInput) { in.Description = strings.Repeat("é", 2001) }, "description"},
		{"control character", func(in *ComplaintInput) { in.Description = "No signal\x00 at all" }, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := noSignal(sess.CRF)
			tt.edit(&in)
			_, err := e.svc.RaiseComplaint(e.ctx, sess, in)
			fe, ok := AsFieldErrors(err)
			if !ok {
				t.Fatalf("error = %v, want field errors", err)
			}
			if fe.For(tt.field) == "" {
				t.Errorf("no error for %s in %v", tt.field, fe)
			}
		})
	}

	list, err := e.svc.CustomerComplaints(e.ctx, sess, sess.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("%d complaints recorded from invalid forms, want 0", len(list))
	}
}

func TestRaiseComplaintAcceptsLengthBounds(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Meera Iyer")
	for i, text := range []string{"  0123456789 ", strings.Repeat("ñ", 2000)} {
		in := noSignal(sess.CRF)
		in.Description = text
		c := e.raise(sess, in)
		if c.Description != strings.TrimSpace(text) {
			t.Errorf("description %d stored as %q, want it trimmed", i, c.Description)
		}
	}
}

func TestComplaintNumbersUnderConcurrency(t *testing.T) {
	e := newComplaintEnv(t)
	const n = 20
	sessions := make([]Session, n)
	for i := range sessions {
		sessions[i] = e.cableCustomer(fmt.Sprintf("Customer %02d", i))
	}

	results := make([]store.ComplaintResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.svc.RaiseComplaint(e.ctx, sessions[i], noSignal(sessions[i].CRF))
		}()
	}
	wg.Wait()

	var numbers []string
	for i, err := range errs {
		if err != nil {
			if strings.Contains(err.Error(), "locked") {
				t.Errorf("complaint %d hit a locked database: %v", i, err)
			} else {
				t.Errorf("complaint %d: %v", i, err)
			}
			continue
		}
		numbers = append(numbers, results[i].Complaint.Number)
	}
	if len(numbers) != n {
		t.Fatalf("%d complaints succeeded, want %d", len(numbers), n)
	}
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := fmt.Sprintf("CMP-2026-%05d", i+1); got != want {
			t.Errorf("number %d = %s, want %s (all: %v)", i, got, want, numbers)
			break
		}
	}
}

func TestComplaintNumbersRestartInNewLocalYear(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	e.raise(sess, noSignal(sess.CRF))

	e.clock.Set(time.Date(2026, time.December, 31, 23, 59, 0, 0, testLocation))
	if got := e.raise(sess, noSignal(sess.CRF)).Number; got != "CMP-2026-00002" {
		t.Errorf("number at 23:59 on 31 Dec = %s, want CMP-2026-00002", got)
	}
	// 00:01 in India is still 31 Dec in UTC, so a number taken from the
	// UTC year would stay in 2026.
	e.clock.Set(time.Date(2027, time.January, 1, 0, 1, 0, 0, testLocation))
	c := e.raise(sess, noSignal(sess.CRF))
	if c.Number != "CMP-2027-00001" {
		t.Errorf("number at 00:01 on 1 Jan = %s, want CMP-2027-00001", c.Number)
	}
	if c.Year != 2027 || c.Seq != 1 {
		t.Errorf("year and sequence = %d, %d, want 2027, 1", c.Year, c.Seq)
	}
}

func TestResolveComplaintEmailsNote(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	c := e.raise(sess, noSignal(sess.CRF))
	e.clock.Add(26 * time.Hour)

	const note = "The amplifier on your street was replaced; all channels are back."
	res, err := e.svc.ResolveComplaint(e.ctx, e.admin, c.ID, "  "+note+"\n")
	if err != nil {
		t.Fatal(err)
	}
	got := res.Complaint
	if got.Status != store.ComplaintResolved {
		t.Errorf("status = %s, want resolved", got.Status)
	}
	if got.ResolutionNote != note {
		t.Errorf("note = %q, want %q", got.ResolutionNote, note)
	}
	if !got.ResolvedAt.Equal(e.clock.Now().Truncate(time.Millisecond)) {
		t.Errorf("resolved at %v, want %v", got.ResolvedAt, e.clock.Now())
	}
	if got.Unread() {
		t.Error("a resolved complaint is still unread")
	}

	emails := e.complaintEmails(mailer.KindComplaintResolved, sess.CRF)
	if len(emails) != 1 {
		t.Fatalf("complaint resolved emails = %d, want 1", len(emails))
	}
	for _, want := range []string{c.Number, note} {
		if !strings.Contains(emails[0].Text, want) {
			t.Errorf("resolved email text lacks %q:\n%s", want, emails[0].Text)
		}
		if !strings.Contains(emails[0].HTML, strings.ReplaceAll(want, "'", "&#39;")) {
			t.Errorf("resolved email HTML lacks %q", want)
		}
	}
	if !strings.Contains(emails[0].Subject, c.Number) {
		t.Errorf("subject %q lacks the number", emails[0].Subject)
	}
	if got := e.auditActions(c.ID); !slices.Equal(got, []string{"complaint.create", "complaint.resolve"}) {
		t.Errorf("audit actions = %v, want create then resolve", got)
	}

	mine, err := e.svc.CustomerComplaints(e.ctx, sess, sess.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Status != store.ComplaintResolved || mine[0].ResolutionNote != note {
		t.Errorf("customer's list = %+v, want the resolved complaint with its note", mine)
	}
}

func TestResolveComplaintRequiresNote(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	c := e.raise(sess, noSignal(sess.CRF))
	for _, note := range []string{"", "  \n ", strings.Repeat("x", 2001)} {
		_, err := e.svc.ResolveComplaint(e.ctx, e.admin, c.ID, note)
		fe, ok := AsFieldErrors(err)
		if !ok || fe.For("note") == "" {
			t.Errorf("note of %d characters: error = %v, want a field error for note", len(note), err)
		}
	}
	got, err := e.store.Complaint(e.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ComplaintOpen {
		t.Errorf("status after invalid notes = %s, want open", got.Status)
	}
}

func TestResolvedComplaintCannotChange(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	c := e.raise(sess, noSignal(sess.CRF))
	if _, err := e.svc.ResolveComplaint(e.ctx, e.admin, c.ID, "Set-top box restarted."); err != nil {
		t.Fatal(err)
	}

	_, err := e.svc.ResolveComplaint(e.ctx, e.admin, c.ID, "Resolved a second time.")
	if !errors.Is(err, store.ErrComplaintResolved) {
		t.Errorf("second resolve: error = %v, want ErrComplaintResolved", err)
	}
	if err != nil && !strings.Contains(err.Error(), c.Number) {
		t.Errorf("error %q does not name the complaint", err)
	}
	_, err = e.svc.MarkComplaintInProgress(e.ctx, e.admin, c.ID)
	if !errors.Is(err, store.ErrComplaintResolved) {
		t.Errorf("mark in progress after resolving: error = %v, want ErrComplaintResolved", err)
	}

	got, err := e.store.Complaint(e.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ResolutionNote != "Set-top box restarted." || got.Status != store.ComplaintResolved {
		t.Errorf("complaint after rejected changes = %s %q, want the first resolution", got.Status, got.ResolutionNote)
	}
	if n := len(e.complaintEmails(mailer.KindComplaintResolved, sess.CRF)); n != 1 {
		t.Errorf("complaint resolved emails = %d, want 1", n)
	}
}

func TestMarkComplaintInProgress(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	c := e.raise(sess, noSignal(sess.CRF))

	for range 2 {
		got, err := e.svc.MarkComplaintInProgress(e.ctx, e.admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.ComplaintInProgress {
			t.Errorf("status = %s, want in_progress", got.Status)
		}
		if got.Unread() {
			t.Error("a complaint in progress is still unread")
		}
	}
	if got := e.auditActions(c.ID); !slices.Equal(got, []string{"complaint.create", "complaint.in_progress"}) {
		t.Errorf("audit actions = %v, want one in_progress row after two clicks", got)
	}
}

func TestCustomerCannotReachOthersComplaints(t *testing.T) {
	e := newComplaintEnv(t)
	owner := e.cableCustomer("Anitha Menon")
	other := e.cableCustomer("Ravi Kumar")
	c := e.raise(owner, noSignal(owner.CRF))

	checks := []struct {
		name string
		call func() error
	}{
		{"list another's", func() error {
			_, err := e.svc.CustomerComplaints(e.ctx, other, owner.CRF)
			return err
		}},
		{"read another's", func() error {
			_, err := e.svc.Complaint(e.ctx, other, c.ID)
			return err
		}},
		{"raise for another", func() error {
			_, err := e.svc.RaiseComplaint(e.ctx, other, noSignal(owner.CRF))
			return err
		}},
		{"resolve another's", func() error {
			_, err := e.svc.ResolveComplaint(e.ctx, other, c.ID, "Fixed it myself.")
			return err
		}},
		{"resolve own", func() error {
			_, err := e.svc.ResolveComplaint(e.ctx, owner, c.ID, "Fixed it myself.")
			return err
		}},
		{"mark own in progress", func() error {
			_, err := e.svc.MarkComplaintInProgress(e.ctx, owner, c.ID)
			return err
		}},
		{"admin list", func() error {
			_, err := e.svc.ListComplaints(e.ctx, owner, ComplaintFilter{})
			return err
		}},
		{"unread count", func() error {
			_, err := e.svc.ComplaintCounts(e.ctx, owner)
			return err
		}},
		{"no session", func() error {
			_, err := e.svc.CustomerComplaints(e.ctx, Session{}, owner.CRF)
			return err
		}},
	}
	for _, tt := range checks {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrForbidden) {
				t.Errorf("error = %v, want ErrForbidden", err)
			}
		})
	}

	got, err := e.store.Complaint(e.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ComplaintOpen || !got.Unread() {
		t.Errorf("complaint after rejected calls: status %s, unread %v; want open and unread", got.Status, got.Unread())
	}
	mine, err := e.svc.Complaint(e.ctx, owner, c.ID)
	if err != nil {
		t.Fatalf("owner reading own complaint: %v", err)
	}
	if !mine.Unread() {
		t.Error("the customer reading their complaint marked it read for the admin")
	}
	others, err := e.svc.CustomerComplaints(e.ctx, other, other.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if len(others) != 0 {
		t.Errorf("the other customer's own list has %d complaints, want 0", len(others))
	}
}

func TestOpeningComplaintMarksItRead(t *testing.T) {
	e := newComplaintEnv(t)
	sess := e.cableCustomer("Anitha Menon")
	first := e.raise(sess, noSignal(sess.CRF))
	e.raise(sess, noSignal(sess.CRF))

	counts, err := e.svc.ComplaintCounts(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Unread != 2 || counts.Open != 2 {
		t.Errorf("counts before opening = %+v, want 2 open, 2 unread", counts)
	}
	e.clock.Add(time.Hour)
	openedAt := e.clock.Now().Truncate(time.Millisecond)
	for range 2 {
		got, err := e.svc.Complaint(e.ctx, e.admin, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.ReadAt.Equal(openedAt) {
			t.Errorf("read at %v, want the first opening at %v", got.ReadAt, openedAt)
		}
		e.clock.Add(time.Minute)
	}
	counts, err = e.svc.ComplaintCounts(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Unread != 1 {
		t.Errorf("unread after opening one = %d, want 1", counts.Unread)
	}
	if got := e.auditActions(first.ID); !slices.Equal(got, []string{"complaint.create", "complaint.read"}) {
		t.Errorf("audit actions = %v, want one read row after two openings", got)
	}
}

func TestListComplaintsFiltersAndOrder(t *testing.T) {
	e := newComplaintEnv(t)
	broadband := e.addPlan(billing.ServiceBroadband, "Fibre 100", "600")
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Lakshmi Nair",
		Mobile: "9000011111", Email: "lakshmi@example.com", Street: "MG Road", City: "Kochi"})
	if err != nil {
		t.Fatal(err)
	}
	e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))
	e.connect(nc.CRF, billing.ServiceBroadband, broadband, billing.NewDate(2026, time.November, 1))
	other := e.cableCustomer("Ravi Kumar")

	// Raised on 20 Nov, 25 Nov, 1 Dec and 4 Dec; the list is read on 4 Dec.
	e.clock.SetDate(billing.NewDate(2026, time.November, 20))
	oldest := e.raise(e.admin, noSignal(nc.CRF))
	e.clock.SetDate(billing.NewDate(2026, time.November, 25))
	slow := e.raise(e.admin, ComplaintInput{CRF: nc.CRF, Service: billing.ServiceBroadband,
		Category: store.CategorySlowSpeed, Description: "Speed drops below 5 Mbps every evening."})
	e.clock.SetDate(billing.NewDate(2026, time.December, 1))
	billingIssue := e.raise(other, ComplaintInput{CRF: other.CRF, Service: billing.ServiceCableTV,
		Category: store.CategoryBilling, Description: "Charged twice for November."})
	e.clock.SetDate(billing.NewDate(2026, time.December, 4))
	newest := e.raise(other, noSignal(other.CRF))

	if _, err := e.svc.MarkComplaintInProgress(e.ctx, e.admin, slow.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ResolveComplaint(e.ctx, e.admin, oldest.ID, "Cable joint repaired."); err != nil {
		t.Fatal(err)
	}

	numbers := func(items []ComplaintItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Number)
		}
		return out
	}
	unresolved := []store.ComplaintStatus{store.ComplaintOpen, store.ComplaintInProgress}
	tests := []struct {
		name   string
		filter ComplaintFilter
		want   []store.Complaint
	}{
		{"all, unresolved oldest first", ComplaintFilter{}, []store.Complaint{slow, billingIssue, newest, oldest}},
		{"unresolved", ComplaintFilter{Statuses: unresolved}, []store.Complaint{slow, billingIssue, newest}},
		{"open", ComplaintFilter{Statuses: []store.ComplaintStatus{store.ComplaintOpen}}, []store.Complaint{billingIssue, newest}},
		{"in progress", ComplaintFilter{Statuses: []store.ComplaintStatus{store.ComplaintInProgress}}, []store.Complaint{slow}},
		{"resolved", ComplaintFilter{Statuses: []store.ComplaintStatus{store.ComplaintResolved}}, []store.Complaint{oldest}},
		{"broadband", ComplaintFilter{Service: billing.ServiceBroadband}, []store.Complaint{slow}},
		{"billing", ComplaintFilter{Category: store.CategoryBilling}, []store.Complaint{billingIssue}},
		{"older than 3 days", ComplaintFilter{OlderThanDays: 3}, []store.Complaint{slow, oldest}},
		{"older than 2 days", ComplaintFilter{OlderThanDays: 2}, []store.Complaint{slow, billingIssue, oldest}},
		{"cable TV unresolved older than 2 days", ComplaintFilter{Statuses: unresolved,
			Service: billing.ServiceCableTV, OlderThanDays: 2}, []store.Complaint{billingIssue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := e.svc.ListComplaints(e.ctx, e.admin, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range tt.want {
				want = append(want, c.Number)
			}
			if got := numbers(items); !slices.Equal(got, want) {
				t.Errorf("complaints = %v, want %v", got, want)
			}
		})
	}

	items, err := e.svc.ListComplaints(e.ctx, e.admin, ComplaintFilter{Category: store.CategorySlowSpeed})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("slow speed complaints = %d, want 1", len(items))
	}
	row := items[0]
	if row.CustomerCRF != nc.CRF || row.CustomerName != "Lakshmi Nair" || row.Mobile != "9000011111" ||
		row.Area != "MG Road" || row.City != "Kochi" {
		t.Errorf("customer columns = %d %q %q %q %q, want Lakshmi Nair's", row.CustomerCRF, row.CustomerName,
			row.Mobile, row.Area, row.City)
	}
	if row.AgeDays != 9 {
		t.Errorf("age of a complaint raised on 25 Nov, on 4 Dec = %d days, want 9", row.AgeDays)
	}
	if row.Unread() {
		t.Error("a complaint marked in progress is listed as unread")
	}

	all, err := e.svc.ListComplaints(e.ctx, e.admin, ComplaintFilter{Statuses: unresolved})
	if err != nil {
		t.Fatal(err)
	}
	if last := all[len(all)-1]; !last.Unread() || last.AgeDays != 0 {
		t.Errorf("newest complaint: unread %v, age %d; want unread, 0 days", last.Unread(), last.AgeDays)
	}
	if _, err := e.svc.ListComplaints(e.ctx, e.admin, ComplaintFilter{OlderThanDays: -1}); err == nil {
		t.Error("a negative age was accepted")
	}
}
