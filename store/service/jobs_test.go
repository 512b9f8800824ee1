package service

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// rawDB opens a second connection pool on the test database, so checks can
// read and seed rows in plain SQL, independently of the store's queries.
func (e *env) rawDB() *sql.DB {
	e.t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.store.Path()+"?_pragma=busy_timeout(15000)")
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

// storedPeriod is a periods row as the tests read it.
type storedPeriod struct {
	ID     int64
	Start  string
	End    string
	Year   int
	State  string
	Amount int64
	Paid   int64
	Billed string
}

func (p storedPeriod) String() string {
	return fmt.Sprintf("%s..%s %s %d/%d", p.Start, p.End, p.State, p.Paid, p.Amount)
}

// periodsOf returns the periods of a connection in start order.
func periodsOf(t *testing.T, db *sql.DB, connectionID int64) []storedPeriod {
	t.Helper()
	rows, err := db.Query(`SELECT id, starts_on, ends_on, year, state, amount, paid, COALESCE(billed_on, '')
		FROM periods WHERE connection_id = ? ORDER BY starts_on`, connectionID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []storedPeriod
	for rows.Next() {
		var p storedPeriod
		if err := rows.Scan(&p.ID, &p.Start, &p.End, &p.Year, &p.State, &p.Amount, &p.Paid, &p.Billed); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// countRows runs a COUNT query.
func countRows(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func date(year int, month time.Month, day int) billing.Date {
	return billing.NewDate(year, month, day)
}

// runJobs moves the clock to 10:00 local time on day and runs the billing
// jobs.
func (e *env) runJobs(day billing.Date) {
	e.t.Helper()
	e.clock.SetDate(day)
	if err := e.svc.RunBillingJobs(e.ctx); err != nil {
		e.t.Fatalf("billing jobs on %s: %v", day, err)
	}
}

// connection reads a connection back from the store.
func (e *env) connection(id int64) store.Connection {
	e.t.Helper()
	c, err := e.store.Connection(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// waiveOpen writes off every due and partial period of a connection.
func (e *env) waiveOpen(connectionID int64) {
	e.t.Helper()
	open, err := e.store.OpenPeriods(e.ctx, connectionID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range open {
		if err := e.svc.WaivePeriod(e.ctx, e.admin, p.ID, "goodwill"); err != nil {
			e.t.Fatalf("waive period %s: %v", p.Start, err)
		}
	}
}

func TestNewConnectionBilledAtOnce(t *testing.T) {
	tests := []struct {
		name       string
		activated  billing.Date
		wantStates []string // per period in start order
	}{
		{"activated today", date(2026, time.December, 4), []string{"due"}},
		{"activated two weeks ago", date(2026, time.November, 20), []string{"due", "scheduled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			db := e.rawDB()
			plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
			nc := e.addCustomer("Asha Rao")
			id := e.connect(nc.CRF, billing.ServiceCableTV, plan, tt.activated)

			periods := periodsOf(t, db, id)
			if len(periods) != len(tt.wantStates) {
				t.Fatalf("periods = %v, want %d", periods, len(tt.wantStates))
			}
			first := periods[0]
			if first.Start != tt.activated.String() {
				t.Errorf("first period starts %s, want %s", first.Start, tt.activated)
			}
			if first.Amount != 25000 {
				t.Errorf("first period amount = %d, want 25000", first.Amount)
			}
			for i, want := range tt.wantStates {
				if periods[i].State != want {
					t.Errorf("period %s state = %s, want %s", periods[i].Start, periods[i].State, want)
				}
			}

			c := e.connection(id)
			if c.Status != billing.StatusInactive {
				t.Errorf("status = %s, want inactive", c.Status)
			}
			if want := tt.activated.AddDays(-1); c.ExpiresOn != want {
				t.Errorf("expiry = %s, want %s", c.ExpiresOn, want)
			}
		})
	}
}

func TestPeriodsClampToMonthEnd(t *testing.T) {
	tests := []struct {
		name      string
		today     billing.Date
		activated billing.Date
		want      []string // start..end of the first four periods
	}{
		{
			name:      "common year",
			today:     date(2026, time.December, 4),
			activated: date(2026, time.January, 31),
			want: []string{"2026-01-31..2026-02-27", "2026-02-28..2026-03-30",
				"2026-03-31..2026-04-29", "2026-04-30..2026-05-30"},
		},
		{
			name:      "leap year",
			today:     date(2028, time.March, 1),
			activated: date(2028, time.January, 31),
			want: []string{"2028-01-31..2028-02-28", "2028-02-29..2028-03-30",
				"2028-03-31..2028-04-29", "2028-04-30..2028-05-30"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			db := e.rawDB()
			e.clock.SetDate(tt.today)
			plan := e.addPlan(billing.ServiceBroadband, "Fibre 50", "599")
			nc := e.addCustomer("Vikram Shah")
			id := e.connect(nc.CRF, billing.ServiceBroadband, plan, tt.activated)

			periods := periodsOf(t, db, id)
			if len(periods) < len(tt.want) {
				t.Fatalf("periods = %v, want at least %d", periods, len(tt.want))
			}
			for i, want := range tt.want {
				if got := periods[i].Start + ".." + periods[i].End; got != want {
					t.Errorf("period %d = %s, want %s", i, got, want)
				}
			}
		})
	}
}

func TestYearUpdaterCreatesRowsFromFirstJanuary(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Meera Iyer")
	id := e.connect(nc.CRF, billing.ServiceCableTV, plan, date(2026, time.March, 15))
	e.runJobs(e.svc.Today())

	// 00:05 on 1 Jan local time is still 31 Dec in UTC.
	e.clock.Set(time.Date(2027, time.January, 1, 0, 5, 0, 0, testLocation))
	if err := e.svc.RunBillingJobs(e.ctx); err != nil {
		t.Fatal(err)
	}

	const q = `SELECT COUNT(*) FROM periods WHERE connection_id = ? AND year = ? AND state = ?`
	if n := countRows(t, db, q, id, 2027, "scheduled"); n != 12 {
		t.Errorf("scheduled rows of 2027 on 1 Jan = %d, want 12", n)
	}
}

func TestYearUpdaterCatchesUpSkippedYears(t *testing.T) {
	tests := []struct {
		name        string
		ranBeforeIt bool // whether the jobs ran on the day of the connection
	}{
		{"jobs ran in 2026", true},
		{"jobs never ran before", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			db := e.rawDB()
			plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
			nc := e.addCustomer("Ravi Kumar")
			id := e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
			if tt.ranBeforeIt {
				e.runJobs(e.svc.Today())
			}

			// The program stays closed through 2027 and opens again in 2028.
			e.runJobs(date(2028, time.December, 4))
			const perYear = `SELECT COUNT(*) FROM periods WHERE connection_id = ? AND year = ?`
			for year, want := range map[int]int{2026: 1, 2027: 12, 2028: 12} {
				if n := countRows(t, db, perYear, id, year); n != want {
					t.Errorf("rows of %d = %d, want %d", year, n, want)
				}
			}

			const all = `SELECT COUNT(*) FROM periods`
			before := countRows(t, db, all)
			e.runJobs(date(2028, time.December, 4))
			if after := countRows(t, db, all); after != before {
				t.Errorf("second run changed the row count from %d to %d", before, after)
			}
		})
	}
}

// snapshot is every billing fact a job may change, as text that compares
// whole.
func snapshot(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	queries := []string{
		`SELECT id || ' ' || starts_on || ' ' || state || ' ' || amount || ' ' || paid || ' ' ||
			COALESCE(billed_on, '') FROM periods ORDER BY id`,
		`SELECT id || ' ' || status || ' ' || expires_on || ' ' || anchor_on FROM connections ORDER BY id`,
		`SELECT id || ' ' || action || ' ' || details FROM audit_log ORDER BY id`,
	}
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String()
}

func TestBillingTwiceOnOneDayChangesNothing(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	cable := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	broadband := e.addPlan(billing.ServiceBroadband, "Fibre 50", "599")
	for i, activated := range []billing.Date{
		date(2026, time.June, 1), date(2026, time.October, 31), date(2026, time.November, 20), e.svc.Today(),
	} {
		nc := e.addCustomer(fmt.Sprintf("Customer %d", i))
		e.connect(nc.CRF, billing.ServiceCableTV, cable, activated)
		e.connect(nc.CRF, billing.ServiceBroadband, broadband, activated)
	}

	day := date(2027, time.February, 28)
	e.runJobs(day)
	first := snapshot(t, db)
	if !strings.Contains(first, " due ") || !strings.Contains(first, " skipped ") {
		t.Fatalf("the first run billed nothing or skipped nothing:\n%s", first)
	}

	e.runJobs(day)
	e.clock.Add(8 * time.Hour) // 18:00, the same local day
	if err := e.svc.RunBillingJobs(e.ctx); err != nil {
		t.Fatal(err)
	}
	if second := snapshot(t, db); second != first {
		t.Errorf("running the jobs again on %s changed the data:\nbefore:\n%s\nafter:\n%s", day, first, second)
	}
}

// waivedFirstMonth connects a cable TV service on 4 Dec 2026 and waives its
// first period, so it expires on 3 Jan 2027.
func waivedFirstMonth(e *env) int64 {
	e.t.Helper()
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Anil Das")
	id := e.connect(nc.CRF, billing.ServiceCableTV, plan, date(2026, time.December, 4))
	e.waiveOpen(id)
	if got := e.connection(id).ExpiresOn; got != date(2027, time.January, 3) {
		e.t.Fatalf("expiry after waiving the first month = %s, want 2027-01-03", got)
	}
	return id
}

func TestStatusAroundExpiry(t *testing.T) {
	e := newEnv(t)
	id := waivedFirstMonth(e)

	// Expiry is 3 Jan 2027 and the grace is 60 days, so 4 Mar 2027 is the
	// last inactive day.
	steps := []struct {
		name  string
		today billing.Date
		want  billing.Status
	}{
		{"on the expiry day", date(2027, time.January, 3), billing.StatusActive},
		{"day after expiry", date(2027, time.January, 4), billing.StatusInactive},
		{"expiry is today minus 60", date(2027, time.March, 4), billing.StatusInactive},
		{"expiry is today minus 61", date(2027, time.March, 5), billing.StatusSuspended},
	}
	for _, step := range steps {
		e.runJobs(step.today)
		if got := e.connection(id).Status; got != step.want {
			t.Errorf("%s (%s): status = %s, want %s", step.name, step.today, got, step.want)
		}
	}
}

func TestSuspendedConnectionAccruesNothing(t *testing.T) {
	last := date(2027, time.June, 10)
	tests := []struct {
		name string
		days []billing.Date // days on which the jobs run, the last one being last
	}{
		{"jobs run every day", everyDay(date(2026, time.December, 4), last)},
		{"program closed until June", []billing.Date{last}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			db := e.rawDB()
			id := waivedFirstMonth(e)
			for _, day := range tt.days {
				e.runJobs(day)
			}

			want := []string{
				"2026-12-04 waived 25000", "2027-01-04 due 25000", "2027-02-04 due 25000",
				"2027-03-04 due 25000", "2027-04-04 skipped 0", "2027-05-04 skipped 0",
				"2027-06-04 skipped 0", "2027-07-04 scheduled 0",
			}
			periods := periodsOf(t, db, id)
			for i, w := range want {
				p := periods[i]
				if got := fmt.Sprintf("%s %s %d", p.Start, p.State, p.Amount); got != w {
					t.Errorf("period %d = %s, want %s", i, got, w)
				}
			}

			dash, err := e.svc.CustomerDashboard(e.ctx, e.admin, e.connection(id).CustomerCRF)
			if err != nil {
				t.Fatal(err)
			}
			overview := dash.Services[0]
			if overview.Status != billing.StatusSuspended {
				t.Errorf("status = %s, want suspended", overview.Status)
			}
			if overview.AmountDue != 75000 {
				t.Errorf("amount due = %s, want 750.00", overview.AmountDue.Plain())
			}
			if got := strings.Join(overview.MonthsPending, ", "); got != "Jan 2027, Feb 2027, Mar 2027" {
				t.Errorf("months pending = %q, want %q", got, "Jan 2027, Feb 2027, Mar 2027")
			}
		})
	}
}

func everyDay(from, to billing.Date) []billing.Date {
	var days []billing.Date
	for d := from; !d.After(to); d = d.AddDays(1) {
		days = append(days, d)
	}
	return days
}

func TestDisconnectKeepsHistoryAndReconnectRestarts(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Sunita Nair")
	id := e.connect(nc.CRF, billing.ServiceCableTV, plan, date(2026, time.November, 20))
	before := periodsOf(t, db, id)

	if err := e.svc.Disconnect(e.ctx, e.admin, id); err != nil {
		t.Fatal(err)
	}
	e.runJobs(date(2027, time.January, 25))
	disconnected := periodsOf(t, db, id)
	if len(disconnected) < len(before) {
		t.Fatalf("rows after disconnecting = %d, fewer than the %d before", len(disconnected), len(before))
	}
	wantHistory := []string{"2026-11-20 due 25000", "2026-12-20 skipped 0"}
	for i, w := range wantHistory {
		p := disconnected[i]
		if got := fmt.Sprintf("%s %s %d", p.Start, p.State, p.Amount); got != w {
			t.Errorf("period %d after disconnecting = %s, want %s", i, got, w)
		}
	}
	if len(disconnected) != len(wantHistory) {
		t.Errorf("periods after disconnecting = %v, want only %v", disconnected, wantHistory)
	}

	err := e.svc.Reconnect(e.ctx, e.admin, id)
	if !errors.Is(err, store.ErrConnectionOwes) {
		t.Fatalf("reconnect with 250.00 due: err = %v, want ErrConnectionOwes", err)
	}
	e.waiveOpen(id)
	if got := e.connection(id).Status; got != billing.StatusDisconnected {
		t.Errorf("status after waiving while disconnected = %s, want disconnected", got)
	}
	old := periodsOf(t, db, id)
	if err := e.svc.Reconnect(e.ctx, e.admin, id); err != nil {
		t.Fatalf("reconnect after waiving the dues: %v", err)
	}

	after := periodsOf(t, db, id)
	for _, p := range old {
		if !slices.Contains(after, p) {
			t.Errorf("reconnecting changed or removed the old period %v", p)
		}
	}
	c := e.connection(id)
	if c.AnchorOn != date(2027, time.January, 25) {
		t.Errorf("anchor = %s, want 2027-01-25", c.AnchorOn)
	}
	if c.Status != billing.StatusInactive {
		t.Errorf("status = %s, want inactive", c.Status)
	}
	if c.ExpiresOn != date(2027, time.January, 24) {
		t.Errorf("expiry = %s, want 2027-01-24", c.ExpiresOn)
	}
	first := after[len(old)]
	if got := fmt.Sprintf("%s %s %d", first.Start, first.State, first.Amount); got != "2027-01-25 due 25000" {
		t.Errorf("first period after reconnecting = %s, want 2027-01-25 due 25000", got)
	}
	if n := len(after) - len(old); n != 12 {
		t.Errorf("periods added by reconnecting = %d, want 12 (25 Jan to 25 Dec 2027)", n)
	}
}

func TestReconnectSuspendedBillsFirstMonth(t *testing.T) {
	tests := []struct {
		name      string
		activated billing.Date
	}{
		{"old anchor on another day", date(2026, time.June, 1)},
		// The old anchor's period of 4 Dec is skipped on the reconnection
		// day and becomes the first period of the new anchor.
		{"old anchor on the same day", date(2026, time.June, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			db := e.rawDB()
			plan := e.addPlan(billing.ServiceBroadband, "Fibre 50", "599")
			nc := e.addCustomer("Kiran Patil")
			id := e.connect(nc.CRF, billing.ServiceBroadband, plan, tt.activated)
			if got := e.connection(id).Status; got != billing.StatusSuspended {
				t.Fatalf("status of a connection unpaid since June = %s, want suspended", got)
			}

			e.waiveOpen(id)
			before := len(periodsOf(t, db, id))
			if err := e.svc.Reconnect(e.ctx, e.admin, id); err != nil {
				t.Fatalf("reconnect: %v", err)
			}

			periods := periodsOf(t, db, id)
			if len(periods) < before {
				t.Errorf("rows after reconnecting = %d, fewer than the %d before", len(periods), before)
			}
			i := slices.IndexFunc(periods, func(p storedPeriod) bool { return p.Start == "2026-12-04" })
			if i < 0 {
				t.Fatal("no period starts on the reconnection day 2026-12-04")
			}
			if got := periods[i]; got.State != "due" || got.Amount != 59900 || got.End != "2027-01-03" {
				t.Errorf("first period after reconnecting = %v, want 2026-12-04..2027-01-03 due at 59900", got)
			}
			if got := e.connection(id).Status; got != billing.StatusInactive {
				t.Errorf("status after reconnecting = %s, want inactive", got)
			}
		})
	}
}

func TestPriceChangeAppliesToLaterPeriods(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Farah Khan")
	id := e.connect(nc.CRF, billing.ServiceCableTV, plan, date(2026, time.November, 20))

	err := e.svc.UpdatePlan(e.ctx, e.admin, plan, PlanInput{Service: billing.ServiceCableTV,
		Name: "Basic", Price: "300", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	e.runJobs(date(2026, time.December, 20))

	periods := periodsOf(t, db, id)
	want := []string{"2026-11-20 due 25000", "2026-12-20 due 30000"}
	for i, w := range want {
		p := periods[i]
		if got := fmt.Sprintf("%s %s %d", p.Start, p.State, p.Amount); got != w {
			t.Errorf("period %d = %s, want %s", i, got, w)
		}
	}
}

func TestStatusChangesAreAudited(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	id := waivedFirstMonth(e)
	e.runJobs(date(2027, time.January, 4))
	e.runJobs(date(2027, time.March, 5))
	if err := e.svc.Disconnect(e.ctx, e.admin, id); err != nil {
		t.Fatal(err)
	}
	e.waiveOpen(id)
	if err := e.svc.Reconnect(e.ctx, e.admin, id); err != nil {
		t.Fatal(err)
	}
	e.waiveOpen(id)

	want := []string{
		"admin: inactive → active (expiry 2027-01-03)",
		"system: active → inactive (expiry 2027-01-03)",
		"system: inactive → suspended (expiry 2027-01-03)",
		"admin: suspended → disconnected",
		"admin: disconnected → reconnected from 2027-03-05",
		"admin: inactive → active (expiry 2027-04-04)",
	}
	rows, err := db.Query(`SELECT actor || ': ' || details FROM audit_log
		WHERE action = 'connection.status' AND entity = 'connection' AND entity_id = ? ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
	}
	if !slices.Equal(got, want) {
		t.Errorf("status changes in the audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if status := e.connection(id).Status; status != billing.StatusActive {
		t.Errorf("final status = %s, want active", status)
	}
}

func TestWaivePeriodRejects(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Rohan Mehta")
	id := e.connect(nc.CRF, billing.ServiceCableTV, plan, date(2026, time.November, 20))
	periods := periodsOf(t, db, id) // 20 Nov due, 20 Dec scheduled
	due, scheduled := periods[0].ID, periods[1].ID
	customer := e.loginCustomer(nc)

	tests := []struct {
		name     string
		sess     Session
		periodID int64
		reason   string
		want     error
	}{
		{"customer session", customer, due, "moved away", ErrForbidden},
		{"scheduled period", e.admin, scheduled, "moved away", store.ErrNotWaivable},
		{"unknown period", e.admin, 999999, "moved away", store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.WaivePeriod(e.ctx, tt.sess, tt.periodID, tt.reason)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	for _, reason := range []string{"", "   ", strings.Repeat("x", 201), "tab\x07bell"} {
		err := e.svc.WaivePeriod(e.ctx, e.admin, due, reason)
		if fe, ok := AsFieldErrors(err); !ok || fe.For("reason") == "" {
			t.Errorf("reason %q: err = %v, want a field error on reason", reason, err)
		}
	}
	if got := periodsOf(t, db, id); !slices.Equal(got, periods) {
		t.Errorf("rejected write-offs changed the periods:\n%v\nwant\n%v", got, periods)
	}
}

func TestWaivePartialPeriod(t *testing.T) {
	e := newEnv(t)
	db := e.rawDB()
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Nisha Gupta")
	id := e.connect(nc.CRF, billing.ServiceCableTV, plan, date(2026, time.November, 20))
	first := periodsOf(t, db, id)[0]
	if _, err := db.Exec(`UPDATE periods SET paid = 10000, state = 'partial' WHERE id = ?`, first.ID); err != nil {
		t.Fatal(err)
	}

	if err := e.svc.WaivePeriod(e.ctx, e.admin, first.ID, "  service outage in November  "); err != nil {
		t.Fatal(err)
	}
	p, err := e.store.Period(e.ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != billing.StateWaived || p.WaiveReason != "service outage in November" {
		t.Errorf("period = %s %q, want waived with the trimmed reason", p.State, p.WaiveReason)
	}
	if p.Amount != 25000 || p.Paid != 10000 || p.Due() != 0 {
		t.Errorf("amounts = %s paid %s due %s, want 250.00 paid 100.00 due 0.00",
			p.Amount.Plain(), p.Paid.Plain(), p.Due().Plain())
	}
	c := e.connection(id)
	if c.ExpiresOn != date(2026, time.December, 19) || c.Status != billing.StatusActive {
		t.Errorf("connection = %s until %s, want active until 2026-12-19", c.Status, c.ExpiresOn)
	}
	n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'period.waive' AND actor = 'admin'
		AND entity_id = ? AND details LIKE '%service outage in November'`, fmt.Sprint(first.ID))
	if n != 1 {
		t.Errorf("audit rows of the write-off = %d, want 1", n)
	}

	err = e.svc.WaivePeriod(e.ctx, e.admin, first.ID, "again")
	if !errors.Is(err, store.ErrNotWaivable) {
		t.Errorf("waiving twice: err = %v, want ErrNotWaivable", err)
	}
}

func TestConnectionKeepsActivationDate(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Date Check")
	activated := billing.NewDate(2026, time.November, 3)
	e.connect(nc.CRF, billing.ServiceCableTV, plan, activated)
	conns, err := e.svc.Connections(e.ctx, e.admin, nc.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 1 {
		t.Fatalf("%d connections", len(conns))
	}
	if conns[0].ActivatedOn != activated || conns[0].AnchorOn != activated {
		t.Errorf("activated %s, anchor %s; want both %s", conns[0].ActivatedOn, conns[0].AnchorOn, activated)
	}
}
