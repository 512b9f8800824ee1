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
