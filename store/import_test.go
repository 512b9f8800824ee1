package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// snapshot returns the row count of every table and the counter values,
// so a test can tell that a rolled-back write left no trace.
func (f *paymentFixture) snapshot() map[string]int {
	f.t.Helper()
	rows, err := f.store.ro.QueryContext(f.ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err != nil {
		f.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			f.t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string]int{}
	for _, table := range tables {
		out[table] = f.count(`SELECT COUNT(*) FROM "` + table + `"`)
	}
	out["counter crf"] = f.count(`SELECT value FROM counters WHERE name = 'crf'`)
	return out
}

func (f *paymentFixture) planID(name string) int64 {
	f.t.Helper()
	plans, err := f.store.ListPlans(f.ctx, true)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, p := range plans {
		if p.Name == name {
			return p.ID
		}
	}
	f.t.Fatalf("no plan %q", name)
	return 0
}

// importRows returns n customers; the one at index kept keeps CRF 5000.
func (f *paymentFixture) importRows(n, kept int) []ImportCustomer {
	plan := f.planID("Gold 300")
	var out []ImportCustomer
	for i := range n {
		c := ImportCustomer{Row: i + 2, Create: CreateCustomerParams{
			Customer:     CustomerParams{Name: fmt.Sprintf("Imported %d", i), Mobile: fmt.Sprintf("91000000%02d", i)},
			PasswordHash: "hash", MustChangePassword: true,
			Welcome: func(crf int64) (OutboxMessage, error) {
				return OutboxMessage{Kind: "welcome", Recipient: "x@example.com", Subject: fmt.Sprint(crf)}, nil
			}}}
		if i == kept {
			c.Create.CRF = 5000
		}
		c.Connections = []ImportConnection{{Service: billing.ServiceCableTV, PlanID: plan, DeviceID: "STB",
			ActivatedOn: billing.NewDate(2026, time.October, 15)}}
		out = append(out, c)
	}
	return out
}

func TestImportCustomersKeepsAndAssignsCRFs(t *testing.T) {
	f := newPaymentFixture(t)
	before := f.snapshot()
	var progress []int
	counts, err := f.store.ImportCustomers(f.ctx, ImportParams{Customers: f.importRows(3, 1), Source: "old.xlsx",
		Actor: "admin", Clock: f.clock, Progress: func(done int) { progress = append(progress, done) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{5001, 5000, 5002}; !reflect.DeepEqual(counts.CRFs, want) {
		t.Errorf("CRFs = %v, want %v: numbers without a kept CRF come after the highest kept one", counts.CRFs, want)
	}
	if counts.Customers != 3 || counts.CableTV != 3 || counts.Broadband != 0 || counts.Welcome != 3 {
		t.Errorf("counts = %+v", counts)
	}
	if !reflect.DeepEqual(progress, []int{1, 2, 3}) {
		t.Errorf("progress = %v", progress)
	}

	after := f.snapshot()
	for table, added := range map[string]int{"customers": 3, "users": 3, "connections": 3, "outbox": 3} {
		if got := after[table] - before[table]; got != added {
			t.Errorf("%s grew by %d, want %d", table, got, added)
		}
	}
	// Activated on 15 Oct, on 4 Dec the periods of 15 Oct and 15 Nov are due.
	for _, crf := range counts.CRFs {
		due, err := customerDue(f.ctx, f.store.ro, crf)
		if err != nil {
			t.Fatal(err)
		}
		if due != 60000 {
			t.Errorf("customer %d owes %s, want 600.00", crf, billing.Money(due).Plain())
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM users WHERE customer_crf = 5000 AND must_change_password = 1`); n != 1 {
		t.Errorf("login of customer 5000 with forced change: %d rows, want 1", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'customer.import' AND entity_id = 'old.xlsx'
		AND details LIKE '3 customers, 3 cable TV%'`); n != 1 {
		t.Errorf("import audit rows = %d, want 1", n)
	}

	next, err := f.store.CreateCustomer(f.ctx, CreateCustomerParams{Customer: CustomerParams{Name: "New",
		Mobile: "9200000000"}, PasswordHash: "x", Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if next != 5003 {
		t.Errorf("next customer got CRF %d, want 5003", next)
	}
}

func TestImportCustomersRollsBackBadRow(t *testing.T) {
	f := newPaymentFixture(t)
	before := f.snapshot()
	rows := f.importRows(3, 0)
	rows[2].Create.Customer.Mobile = "9876543210" // the fixture customer's mobile
	_, err := f.store.ImportCustomers(f.ctx, ImportParams{Customers: rows, Actor: "admin", Clock: f.clock})
	if !errors.Is(err, ErrDuplicateMobile) {
		t.Fatalf("error = %v, want ErrDuplicateMobile", err)
	}
	if !strings.Contains(err.Error(), "import row 4") {
		t.Errorf("error %q does not name the row", err)
	}
	if after := f.snapshot(); !reflect.DeepEqual(after, before) {
		t.Errorf("database changed by a failed import:\nbefore %v\nafter  %v", before, after)
	}
}

func TestImportCustomersCancelled(t *testing.T) {
	f := newPaymentFixture(t)
	before := f.snapshot()
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	_, err := f.store.ImportCustomers(ctx, ImportParams{Customers: f.importRows(5, 3), Actor: "admin",
		Clock: f.clock, Progress: func(done int) {
			if done == 2 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if after := f.snapshot(); !reflect.DeepEqual(after, before) {
		t.Errorf("database changed by a cancelled import:\nbefore %v\nafter  %v", before, after)
	}
}

func TestCRFsInUseIncludesRemoved(t *testing.T) {
	f := newPaymentFixture(t)
	other, err := f.store.CreateCustomer(f.ctx, CreateCustomerParams{Customer: CustomerParams{Name: "Gone",
		Mobile: "9111111111"}, PasswordHash: "x", Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.ArchiveCustomer(f.ctx, other, "admin", f.clock.Now, f.clock.Today.String()); err != nil {
		t.Fatal(err)
	}
	used, err := f.store.CRFsInUse(f.ctx, []int64{f.crf, other, 7777})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int64]bool{f.crf: true, other: true}; !reflect.DeepEqual(used, want) {
		t.Errorf("CRFsInUse = %v, want %v", used, want)
	}
	owners, err := f.store.MobileOwners(f.ctx, []string{"9876543210", "9111111111", "9000000000"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"9876543210": f.crf}; !reflect.DeepEqual(owners, want) {
		t.Errorf("MobileOwners = %v, want %v: a removed customer's mobile is free", owners, want)
	}
}

// importPaidThrough imports one customer whose cable TV was activated on
// 4 Dec 2024, two years before the fixture's today, and paid in the
// earlier system through paidThrough. The plan costs 300.00 until 3 Jun
// 2026 and 320.00 from 4 Jun 2026.
func (f *paymentFixture) importPaidThrough(paidThrough billing.Date) Connection {
	f.t.Helper()
	plan := f.planID("Gold 300")
	err := f.store.UpdatePlan(f.ctx, plan, PlanParams{Service: billing.ServiceCableTV, Name: "Gold 300",
		Price: 32000, Active: true}, billing.NewDate(2026, time.June, 4), "admin", f.clock.Now)
	if err != nil {
		f.t.Fatal(err)
	}
	rows := f.importRows(1, -1)
	rows[0].Connections[0].ActivatedOn = billing.NewDate(2024, time.December, 4)
	rows[0].Connections[0].PaidThrough = paidThrough
	counts, err := f.store.ImportCustomers(f.ctx, ImportParams{Customers: rows, Source: "old.csv", Actor: "admin",
		Clock: f.clock})
	if err != nil {
		f.t.Fatal(err)
	}
	conns, err := f.store.Connections(f.ctx, counts.CRFs[0])
	if err != nil {
		f.t.Fatal(err)
	}
	if len(conns) != 1 {
		f.t.Fatalf("imported customer has %d connections, want 1", len(conns))
	}
	return conns[0]
}

func (f *paymentFixture) periodsOf(connectionID int64) []PeriodRow {
	f.t.Helper()
	periods, err := queryPeriods(f.ctx, f.store.ro, `p.connection_id = ?`, connectionID)
	if err != nil {
		f.t.Fatal(err)
	}
	return periods
}

func TestImportPaidThroughSettlesPeriods(t *testing.T) {
	dec := func(year int) billing.Date { return billing.NewDate(year, time.December, 3) }
	cases := []struct {
		name        string
		paidThrough billing.Date
		waived      int
		due         []billing.Date // starts of the due periods
		skipped     int
		expiry      billing.Date
		status      billing.Status
	}{
		{"previous month paid", dec(2026), 24,
			[]billing.Date{billing.NewDate(2026, time.December, 4)}, 0, dec(2026), billing.StatusInactive},
		{"inside a period", billing.NewDate(2026, time.November, 20), 23,
			[]billing.Date{billing.NewDate(2026, time.November, 4), billing.NewDate(2026, time.December, 4)}, 0,
			billing.NewDate(2026, time.November, 3), billing.StatusInactive},
		{"prepaid", billing.NewDate(2027, time.March, 3), 27, nil, 0,
			billing.NewDate(2027, time.March, 3), billing.StatusActive},
		{"paid through today", billing.NewDate(2027, time.January, 3), 25, nil, 0,
			billing.NewDate(2027, time.January, 3), billing.StatusActive},
		{"paid a year ago", dec(2025), 12,
			[]billing.Date{billing.NewDate(2025, time.December, 4), billing.NewDate(2026, time.January, 4)}, 11,
			dec(2025), billing.StatusSuspended},
		{"nothing paid", billing.Date{}, 0,
			[]billing.Date{billing.NewDate(2024, time.December, 4), billing.NewDate(2025, time.January, 4)}, 23,
			dec(2024), billing.StatusSuspended},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newPaymentFixture(t)
			conn := f.importPaidThrough(c.paidThrough)
			if conn.ExpiresOn != c.expiry {
				t.Errorf("expiry = %s, want %s", conn.ExpiresOn, c.expiry)
			}
			if conn.Status != c.status {
				t.Errorf("status = %s, want %s", conn.Status, c.status)
			}

			var waived int
			var due []billing.Date
			var skipped int
			for _, p := range f.periodsOf(conn.ID) {
				switch p.State {
				case billing.StateWaived:
					waived++
					f.checkPaidBeforeImport(p, c.paidThrough)
				case billing.StateDue:
					due = append(due, p.Start)
				case billing.StateSkipped:
					skipped++
				case billing.StateScheduled:
					if !p.Start.After(f.clock.Today) {
						t.Errorf("period from %s has started but is still scheduled", p.Start)
					}
				default:
					t.Errorf("period from %s is %s", p.Start, p.State)
				}
			}
			if waived != c.waived {
				t.Errorf("waived periods = %d, want %d", waived, c.waived)
			}
			if !reflect.DeepEqual(due, c.due) {
				t.Errorf("due periods start on %v, want %v", due, c.due)
			}
			if skipped != c.skipped {
				t.Errorf("skipped periods = %d, want %d", skipped, c.skipped)
			}
			billed := f.count(`SELECT COUNT(*) FROM periods WHERE connection_id = ? AND state = 'waived'
				AND billed_on = '2026-12-04'`, conn.ID)
			if billed != c.waived {
				t.Errorf("waived periods with billed_on set to today = %d, want %d", billed, c.waived)
			}
			audits := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'period.waive' AND entity = 'connection'
				AND entity_id = ?`, fmt.Sprint(conn.ID))
			if want := min(c.waived, 1); audits != want {
				t.Errorf("waive audit rows = %d, want %d", audits, want)
			}
		})
	}
}

// checkPaidBeforeImport checks a waived period of importPaidThrough.
func (f *paymentFixture) checkPaidBeforeImport(p PeriodRow, paidThrough billing.Date) {
	f.t.Helper()
	if p.End.After(paidThrough) {
		f.t.Errorf("period %s to %s is waived but ends after the paid-through date %s", p.Start, p.End, paidThrough)
	}
	if p.WaiveReason != "paid in the previous system before the import" {
		f.t.Errorf("period from %s has waive reason %q", p.Start, p.WaiveReason)
	}
	price := billing.Money(30000)
	if !p.Start.Before(billing.NewDate(2026, time.June, 4)) {
		price = 32000
	}
	if p.Amount != price || p.Paid != 0 || p.Due() != 0 {
		f.t.Errorf("period from %s: amount %s, paid %s, due %s; want amount %s, nothing paid or due",
			p.Start, p.Amount.Plain(), p.Paid.Plain(), p.Due().Plain(), price.Plain())
	}
}

// TestImportPrepaidIntoNextYear moves the clock past the new year: the
// prepaid periods of the new year were stored at the import, so the year
// updater leaves them waived and only the first unpaid month is billed.
func TestImportPrepaidIntoNextYear(t *testing.T) {
	f := newPaymentFixture(t)
	conn := f.importPaidThrough(billing.NewDate(2027, time.March, 3))
	if n := f.count(`SELECT COUNT(*) FROM payments`); n != 0 {
		t.Errorf("payments = %d, want none for months paid in the earlier system", n)
	}

	f.clock.Now = time.Date(2027, time.March, 10, 10, 0, 0, 0, time.UTC)
	f.clock.Today = billing.DateOf(f.clock.Now)
	if _, err := f.store.CreateYearPeriods(f.ctx, f.clock); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.BillStartedPeriods(f.ctx, f.clock); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateStatuses(f.ctx, f.clock); err != nil {
		t.Fatal(err)
	}
	open, err := f.store.OpenPeriods(f.ctx, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Start != billing.NewDate(2027, time.March, 4) || open[0].Amount != 32000 {
		t.Errorf("open periods = %+v, want only the one from 2027-03-04 at 320.00", open)
	}
	got, err := f.store.Connection(f.ctx, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ExpiresOn != billing.NewDate(2027, time.March, 3) || got.Status != billing.StatusInactive {
		t.Errorf("connection = expiry %s, %s; want 2027-03-03, inactive", got.ExpiresOn, got.Status)
	}
	if n := f.count(`SELECT COUNT(*) FROM periods WHERE connection_id = ? AND year = 2027`, conn.ID); n != 12 {
		t.Errorf("periods starting in 2027 = %d, want 12", n)
	}
}

func TestImportRejectsPaidThroughBeforeActivation(t *testing.T) {
	f := newPaymentFixture(t)
	before := f.snapshot()
	rows := f.importRows(2, -1)
	rows[1].Connections[0].PaidThrough = rows[1].Connections[0].ActivatedOn.AddDays(-1)
	_, err := f.store.ImportCustomers(f.ctx, ImportParams{Customers: rows, Actor: "admin", Clock: f.clock})
	if err == nil || !strings.Contains(err.Error(), "import row 3") || !strings.Contains(err.Error(), "before the activation") {
		t.Fatalf("error = %v, want row 3 rejected for a paid-through date before the activation", err)
	}
	if after := f.snapshot(); !reflect.DeepEqual(after, before) {
		t.Errorf("database changed by a failed import:\nbefore %v\nafter  %v", before, after)
	}
}
