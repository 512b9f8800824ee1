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

// office is a small operator on 4 Dec 2026 with customers in every status.
type office struct {
	e  *env
	db *sql.DB
	// customers by short name, and their connections by "name/service".
	crf  map[string]int64
	conn map[string]int64
	// sessions of customers who logged in.
	login map[string]Session
}

func (o *office) add(name string, services ...billing.Service) int64 {
	nc := o.e.addCustomer(name)
	o.crf[name] = nc.CRF
	if name == "Asha" || name == "Bina" {
		o.login[name] = o.e.loginCustomer(nc)
	}
	return nc.CRF
}

func (o *office) connect(name string, svc billing.Service, plan int64, activated billing.Date) int64 {
	id := o.e.connect(o.crf[name], svc, plan, activated)
	o.conn[name+"/"+string(svc)] = id
	return id
}

const (
	cable     = billing.ServiceCableTV
	broadband = billing.ServiceBroadband
)

// newOffice builds the office. Statuses on 4 Dec 2026 (expiry in brackets):
//
//	Asha   cable active, renews today (4 Dec)
//	Bina   cable active (19 Dec)
//	Chetan cable inactive, billed today
//	Deepa  cable suspended, owes Oct and Nov
//	Esha   broadband inactive, Dec partly paid
//	Farid  broadband active, renews today (4 Dec)
//	Gopal  broadband disconnected, owes Jun and Jul
//	Hema   cable and broadband inactive, billed today
//	Imran  cable disconnected, expiry today, so no renewal
//	Jaya   broadband suspended, owes Sep and Oct
//	Kunal  cable inactive, owes Nov
//	Lata   cable suspended since January, owes nothing
func newOffice(t *testing.T) *office {
	e := newEnv(t)
	o := &office{e: e, db: e.rawDB(), crf: map[string]int64{}, conn: map[string]int64{}, login: map[string]Session{}}
	basic := e.addPlan(cable, "Basic", "250")
	gold := e.addPlan(cable, "Gold", "400")
	fibre := e.addPlan(broadband, "Fibre 50", "599")

	for _, name := range []string{"Asha", "Bina", "Chetan", "Deepa", "Esha", "Farid",
		"Gopal", "Hema", "Imran", "Jaya", "Kunal", "Lata"} {
		o.add(name)
	}
	e.waiveOpen(o.connect("Asha", cable, basic, date(2026, time.November, 5)))
	e.waiveOpen(o.connect("Bina", cable, gold, date(2026, time.November, 20)))
	o.connect("Chetan", cable, basic, date(2026, time.December, 4))
	o.connect("Deepa", cable, basic, date(2026, time.October, 4))
	o.connect("Esha", broadband, fibre, date(2026, time.December, 1))
	e.waiveOpen(o.connect("Farid", broadband, fibre, date(2026, time.November, 5)))
	gopal := o.connect("Gopal", broadband, fibre, date(2026, time.June, 1))
	o.connect("Hema", cable, basic, date(2026, time.December, 4))
	o.connect("Hema", broadband, fibre, date(2026, time.December, 4))
	imran := o.connect("Imran", cable, basic, date(2026, time.November, 5))
	e.waiveOpen(imran)
	o.connect("Jaya", broadband, fibre, date(2026, time.September, 20))
	o.connect("Kunal", cable, gold, date(2026, time.November, 10))
	e.waiveOpen(o.connect("Lata", cable, basic, date(2025, time.November, 1)))
	for _, id := range []int64{gopal, imran} {
		if err := e.svc.Disconnect(e.ctx, e.admin, id); err != nil {
			t.Fatal(err)
		}
	}
	e.runJobs(e.svc.Today())

	// Esha paid 300.00 of her 599.00 December bill.
	o.exec(`UPDATE periods SET paid = 30000, state = 'partial' WHERE connection_id = ? AND starts_on = ?`,
		o.conn["Esha/broadband"], "2026-12-01")
	o.seedPayments()
	o.seedComplaints()
	return o
}

func (o *office) exec(query string, args ...any) sql.Result {
	o.e.t.Helper()
	res, err := o.db.Exec(query, args...)
	if err != nil {
		o.e.t.Fatalf("%s: %v", query, err)
	}
	return res
}

// seedPayment is a payment row written directly, because the tests must
// not depend on how payments are recorded.
type seedPayment struct {
	conn    string // "name/service"
	amount  billing.Money
	at      time.Time
	invoice string
}

// ist returns an instant in the operator's zone.
func ist(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, testLocation)
}

var officePayments = []seedPayment{
	// 00:15 on 1 Dec local time is 18:45 on 30 Nov in UTC: a December payment.
	{conn: "Asha/cable_tv", amount: 25000, at: ist(2026, time.December, 1, 0, 15)},
	// 23:30 on 30 Nov local time: a November payment.
	{conn: "Farid/broadband", amount: 59900, at: ist(2026, time.November, 30, 23, 30)},
	{conn: "Esha/broadband", amount: 30000, at: ist(2026, time.December, 3, 14, 0), invoice: "INV-2026-000001"},
	{conn: "Bina/cable_tv", amount: 40000, at: ist(2026, time.December, 4, 9, 0)},
	{conn: "Gopal/broadband", amount: 59900, at: ist(2026, time.July, 9, 11, 0)},
	// Either side of the new year in local time, both on 31 Dec in UTC.
	{conn: "Lata/cable_tv", amount: 25000, at: ist(2025, time.December, 31, 23, 59)},
	{conn: "Lata/cable_tv", amount: 25000, at: ist(2026, time.January, 1, 0, 10)},
}

func (o *office) seedPayments() {
	for i, p := range officePayments {
		conn := o.conn[p.conn]
		var crf int64
		if err := o.db.QueryRow(`SELECT customer_crf FROM connections WHERE id = ?`, conn).Scan(&crf); err != nil {
			o.e.t.Fatal(err)
		}
		res := o.exec(`INSERT INTO payments (customer_crf, connection_id, amount, mode, reference, received_at,
			received_by, request_key) VALUES (?, ?, ?, 'online', ?, ?, ?, ?)`,
			crf, conn, p.amount, fmt.Sprintf("UPI%06d", i), p.at.UTC().Format("2006-01-02T15:04:05.000Z"),
			o.e.admin.UserID, fmt.Sprintf("seed-%d", i))
		if p.invoice == "" {
			continue
		}
		id, err := res.LastInsertId()
		if err != nil {
			o.e.t.Fatal(err)
		}
		o.exec(`INSERT INTO invoices (number, year, seq, payment_id, issued_at, amount, balance_after, new_expiry)
			VALUES (?, 2026, 1, ?, '2026-12-03T08:30:00.000Z', ?, 0, '2026-11-30')`, p.invoice, id, p.amount)
	}
}

func (o *office) seedComplaints() {
	complaints := []struct {
		name, status string
		read         bool
	}{
		{"Chetan", "open", false},
		{"Deepa", "in_progress", true},
		{"Esha", "open", true},
		{"Hema", "resolved", true},
		{"Jaya", "resolved", false},
	}
	for i, c := range complaints {
		var readAt any
		if c.read {
			readAt = "2026-12-02T05:00:00.000Z"
		}
		o.exec(`INSERT INTO complaints (number, year, seq, customer_crf, service, category, description,
			status, created_at, read_at) VALUES (?, 2026, ?, ?, 'cable_tv', 'no_signal', 'No picture', ?, ?, ?)`,
			fmt.Sprintf("CMP-2026-%05d", i+1), i+1, o.crf[c.name], c.status, "2026-12-01T04:00:00.000Z", readAt)
	}
}

// queryInt runs a query that returns one integer.
func (o *office) queryInt(query string, args ...any) int64 {
	o.e.t.Helper()
	var n int64
	if err := o.db.QueryRow(query, args...).Scan(&n); err != nil {
		o.e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestAdminDashboardStatusCounts(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.AdminDashboard(o.e.ctx, o.e.admin)
	if err != nil {
		t.Fatal(err)
	}
	want := map[billing.Service]store.StatusCounts{
		cable:     {Active: 2, Inactive: 3, Suspended: 2, Disconnected: 1},
		broadband: {Active: 1, Inactive: 2, Suspended: 1, Disconnected: 1},
	}
	for _, svc := range billing.Services {
		if got := d.Statuses[svc]; got != want[svc] {
			t.Errorf("%s counts = %+v, want %+v", svc, got, want[svc])
		}
		got := d.Statuses[svc]
		for status, n := range map[string]int{"active": got.Active, "inactive": got.Inactive,
			"suspended": got.Suspended, "disconnected": got.Disconnected} {
			sqlCount := o.queryInt(`SELECT COUNT(*) FROM connections WHERE service = ? AND status = ?`, svc, status)
			if int64(n) != sqlCount {
				t.Errorf("%s %s = %d, SQL counts %d", svc, status, n, sqlCount)
			}
		}
	}
}

func TestAdminDashboardRenewalsToday(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.AdminDashboard(o.e.ctx, o.e.admin)
	if err != nil {
		t.Fatal(err)
	}
	sqlCount := o.queryInt(`SELECT COUNT(*) FROM connections WHERE expires_on = '2026-12-04' AND status <> 'disconnected'`)
	if d.RenewalsToday != 2 {
		t.Errorf("renewals today = %d, want 2", d.RenewalsToday)
	}
	if int64(d.RenewalsToday) != sqlCount {
		t.Errorf("renewals today = %d, SQL counts %d", d.RenewalsToday, sqlCount)
	}
	want := []store.Renewal{
		{ConnectionID: o.conn["Asha/cable_tv"], CRF: o.crf["Asha"], Name: "Asha", Service: cable, PlanName: "Basic"},
		{ConnectionID: o.conn["Farid/broadband"], CRF: o.crf["Farid"], Name: "Farid", Service: broadband, PlanName: "Fibre 50"},
	}
	if !slices.Equal(d.Renewals, want) {
		t.Errorf("renewals = %+v, want %+v", d.Renewals, want)
	}
}

func TestAdminDashboardReceivedThisMonth(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.AdminDashboard(o.e.ctx, o.e.admin)
	if err != nil {
		t.Fatal(err)
	}
	// December 2026 in UTC+5:30 runs from 30 Nov 18:30 to 31 Dec 18:30 UTC.
	want := map[billing.Service]store.Collected{
		cable:     {Amount: 65000, Count: 2},
		broadband: {Amount: 30000, Count: 1},
	}
	for _, svc := range billing.Services {
		got := d.ReceivedThisMonth[svc]
		if got != want[svc] {
			t.Errorf("%s received this month = %+v, want %+v", svc, got, want[svc])
		}
		var sum, count int64
		err := o.db.QueryRow(`SELECT COALESCE(SUM(p.amount), 0), COUNT(*) FROM payments p
			JOIN connections c ON c.id = p.connection_id
			WHERE c.service = ? AND p.received_at >= '2026-11-30T18:30:00.000Z'
			  AND p.received_at < '2026-12-31T18:30:00.000Z'`, svc).Scan(&sum, &count)
		if err != nil {
			t.Fatal(err)
		}
		if int64(got.Amount) != sum {
			t.Errorf("%s received this month = %s, SQL sums %d", svc, got.Amount.Plain(), sum)
		}
		if int64(got.Count) != count {
			t.Errorf("%s payments this month = %d, SQL counts %d", svc, got.Count, count)
		}
	}
}

func TestAdminDashboardPendingAndOutstanding(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.AdminDashboard(o.e.ctx, o.e.admin)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		got     store.ServiceAmounts
		where   string
		cable   billing.Money
		broad   billing.Money
		wantSum billing.Money
	}{
		{"pending this month", d.PendingThisMonth, `AND p.starts_on BETWEEN '2026-12-01' AND '2026-12-31'`,
			50000, 89800, 139800},
		{"outstanding", d.Outstanding, ``, 140000, 329400, 469400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := map[billing.Service]billing.Money{cable: tt.cable, broadband: tt.broad}
			for _, svc := range billing.Services {
				sqlSum := o.queryInt(`SELECT COALESCE(SUM(p.amount - p.paid), 0) FROM periods p
					JOIN connections c ON c.id = p.connection_id
					WHERE c.service = ? AND p.state IN ('due', 'partial') `+tt.where, svc)
				if tt.got[svc] != want[svc] {
					t.Errorf("%s = %s, want %s", svc, tt.got[svc].Plain(), want[svc].Plain())
				}
				if int64(tt.got[svc]) != sqlSum {
					t.Errorf("%s = %s, SQL sums %d", svc, tt.got[svc].Plain(), sqlSum)
				}
			}
			if tt.got.Total() != tt.wantSum {
				t.Errorf("total = %s, want %s", tt.got.Total().Plain(), tt.wantSum.Plain())
			}
		})
	}
}

func TestAdminDashboardComplaints(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.AdminDashboard(o.e.ctx, o.e.admin)
	if err != nil {
		t.Fatal(err)
	}
	open := o.queryInt(`SELECT COUNT(*) FROM complaints WHERE status <> 'resolved'`)
	unread := o.queryInt(`SELECT COUNT(*) FROM complaints WHERE read_at IS NULL`)
	if d.Complaints.Open != 3 {
		t.Errorf("open complaints = %d, want 3", d.Complaints.Open)
	}
	if int64(d.Complaints.Open) != open {
		t.Errorf("open complaints = %d, SQL counts %d", d.Complaints.Open, open)
	}
	if d.Complaints.Unread != 2 {
		t.Errorf("unread complaints = %d, want 2", d.Complaints.Unread)
	}
	if int64(d.Complaints.Unread) != unread {
		t.Errorf("unread complaints = %d, SQL counts %d", d.Complaints.Unread, unread)
	}
}

func TestAdminDashboardCollectionSeries(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.AdminDashboard(o.e.ctx, o.e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Collections) != 12 {
		t.Fatalf("series has %d months, want 12", len(d.Collections))
	}

	// Shifting the stored UTC text by the fixed +5:30 offset gives the
	// local month without any of the store's bounds.
	rows, err := o.db.Query(`SELECT strftime('%Y-%m', p.received_at, '+330 minutes'), c.service, SUM(p.amount)
		FROM payments p JOIN connections c ON c.id = p.connection_id GROUP BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	sqlSums := map[string]billing.Money{}
	for rows.Next() {
		var month, svc string
		var sum billing.Money
		if err := rows.Scan(&month, &svc, &sum); err != nil {
			t.Fatal(err)
		}
		sqlSums[month+" "+svc] = sum
	}
	rows.Close()

	var labels []string
	var total billing.Money
	for _, m := range d.Collections {
		labels = append(labels, m.Label())
		for _, svc := range billing.Services {
			key := fmt.Sprintf("%d-%02d %s", m.Year, m.Month, svc)
			if got := m.ByService[svc]; got != sqlSums[key] {
				t.Errorf("%s %s = %s, SQL sums %s", m.Label(), svc, got.Plain(), sqlSums[key].Plain())
			}
		}
		total += m.ByService.Total()
	}
	if labels[0] != "Jan 2026" || labels[11] != "Dec 2026" {
		t.Errorf("series runs %s to %s, want Jan 2026 to Dec 2026", labels[0], labels[11])
	}
	checks := []struct {
		name string
		got  billing.Money
		want billing.Money
	}{
		{"Jan 2026 cable, paid 00:10 on 1 Jan", d.Collections[0].ByService[cable], 25000},
		{"Nov 2026 broadband, paid 23:30 on 30 Nov", d.Collections[10].ByService[broadband], 59900},
		{"Dec 2026 cable, paid 00:15 on 1 Dec", d.Collections[11].ByService[cable], 65000},
		{"whole series, without Dec 2025", total, 239800},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got.Plain(), c.want.Plain())
		}
	}
}

func TestCustomerDashboardOverview(t *testing.T) {
	o := newOffice(t)
	tests := []struct {
		name string
		want []store.ServiceOverview
	}{
		{"Deepa", []store.ServiceOverview{{ConnectionID: o.conn["Deepa/cable_tv"], Service: cable,
			PlanName: "Basic", Status: billing.StatusSuspended, ExpiresOn: date(2026, time.October, 3),
			AmountDue: 50000, MonthsPending: []string{"Oct 2026", "Nov 2026"}}}},
		{"Esha", []store.ServiceOverview{{ConnectionID: o.conn["Esha/broadband"], Service: broadband,
			PlanName: "Fibre 50", Status: billing.StatusInactive, ExpiresOn: date(2026, time.November, 30),
			AmountDue: 29900, MonthsPending: []string{"Dec 2026"}}}},
		{"Hema", []store.ServiceOverview{
			{ConnectionID: o.conn["Hema/cable_tv"], Service: cable, PlanName: "Basic",
				Status: billing.StatusInactive, ExpiresOn: date(2026, time.December, 3),
				AmountDue: 25000, MonthsPending: []string{"Dec 2026"}},
			{ConnectionID: o.conn["Hema/broadband"], Service: broadband, PlanName: "Fibre 50",
				Status: billing.StatusInactive, ExpiresOn: date(2026, time.December, 3),
				AmountDue: 59900, MonthsPending: []string{"Dec 2026"}}}},
		{"Lata", []store.ServiceOverview{{ConnectionID: o.conn["Lata/cable_tv"], Service: cable,
			PlanName: "Basic", Status: billing.StatusSuspended, ExpiresOn: date(2025, time.December, 31),
			MonthsPending: []string{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := o.e.svc.CustomerDashboard(o.e.ctx, o.e.admin, o.crf[tt.name])
			if err != nil {
				t.Fatal(err)
			}
			if d.Customer.Name != tt.name {
				t.Errorf("customer = %q, want %q", d.Customer.Name, tt.name)
			}
			if len(d.Services) != len(tt.want) {
				t.Fatalf("services = %+v, want %+v", d.Services, tt.want)
			}
			for i, want := range tt.want {
				got := d.Services[i]
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("service %d = %+v, want %+v", i, got, want)
				}
				sqlDue := o.queryInt(`SELECT COALESCE(SUM(amount - paid), 0) FROM periods
					WHERE connection_id = ? AND state IN ('due', 'partial')`, got.ConnectionID)
				if int64(got.AmountDue) != sqlDue {
					t.Errorf("%s amount due = %s, SQL sums %d", got.Service, got.AmountDue.Plain(), sqlDue)
				}
			}
		})
	}
}

func TestPaymentDetailsOfYear(t *testing.T) {
	o := newOffice(t)
	d, err := o.e.svc.PaymentDetails(o.e.ctx, o.e.admin, o.crf["Esha"], 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Services) != 1 || d.Services[0].Service != broadband {
		t.Fatalf("services = %+v, want broadband only", d.Services)
	}

	months := d.Services[0].Months
	for i, m := range months {
		if m.Month != time.January+time.Month(i) {
			t.Errorf("month %d is %s", i, m.Month)
		}
		if m.Month < time.December && len(m.Periods) != 0 {
			t.Errorf("%s has periods before the activation: %+v", m.Month, m.Periods)
		}
	}

	dec := months[11]
	if dec.State() != billing.StatePartial {
		t.Errorf("December state = %s, want partial", dec.State())
	}
	amounts := fmt.Sprintf("%s paid %s due %s", dec.Amount.Plain(), dec.Paid.Plain(), dec.Due.Plain())
	if amounts != "599.00 paid 300.00 due 299.00" {
		t.Errorf("December = %s, want 599.00 paid 300.00 due 299.00", amounts)
	}

	if len(d.Payments) != 1 {
		t.Fatalf("payments = %+v, want one", d.Payments)
	}
	p := d.Payments[0]
	if p.Amount != 30000 {
		t.Errorf("payment amount = %s, want 300.00", p.Amount.Plain())
	}
	if p.InvoiceNumber != "INV-2026-000001" {
		t.Errorf("invoice number = %q, want INV-2026-000001", p.InvoiceNumber)
	}
	if p.Mode != "online" || p.Reference != "UPI000002" {
		t.Errorf("payment = %s %s, want online UPI000002", p.Mode, p.Reference)
	}
	if want := ist(2026, time.December, 3, 14, 0); !p.ReceivedAt.Equal(want) {
		t.Errorf("received at %s, want %s", p.ReceivedAt, want)
	}
}

func TestPaymentDetailsYearInLocalTime(t *testing.T) {
	o := newOffice(t)
	tests := []struct {
		year int
		want time.Time
	}{
		{2025, ist(2025, time.December, 31, 23, 59)},
		{2026, ist(2026, time.January, 1, 0, 10)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			d, err := o.e.svc.PaymentDetails(o.e.ctx, o.e.admin, o.crf["Lata"], tt.year)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Payments) != 1 {
				t.Fatalf("payments of %d = %+v, want one", tt.year, d.Payments)
			}
			if got := d.Payments[0].ReceivedAt; !got.Equal(tt.want) {
				t.Errorf("payment of %d received at %s, want %s", tt.year, got.In(testLocation), tt.want)
			}
			if d.Payments[0].InvoiceNumber != "" {
				t.Errorf("invoice number = %q, want none", d.Payments[0].InvoiceNumber)
			}
		})
	}

	d, err := o.e.svc.PaymentDetails(o.e.ctx, o.e.admin, o.crf["Lata"], 2025)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, m := range d.Services[0].Months[10:] {
		states = append(states, fmt.Sprintf("%s %s", m.Month, m.State()))
	}
	if got := strings.Join(states, ", "); got != "November waived, December waived" {
		t.Errorf("Lata's 2025 = %s, want November waived, December waived", got)
	}
}

func TestPaymentDetailsRejectsBadYear(t *testing.T) {
	o := newOffice(t)
	for _, year := range []int{0, 1999, 10000} {
		_, err := o.e.svc.PaymentDetails(o.e.ctx, o.e.admin, o.crf["Asha"], year)
		fe, ok := AsFieldErrors(err)
		if !ok || fe.For("year") == "" {
			t.Errorf("year %d: err = %v, want a field error on year", year, err)
		}
	}
}

func TestDashboardsEnforceOwnership(t *testing.T) {
	o := newOffice(t)
	asha, bina := o.login["Asha"], o.login["Bina"]
	ctx, svc := o.e.ctx, o.e.svc

	if _, err := svc.CustomerDashboard(ctx, asha, o.crf["Asha"]); err != nil {
		t.Errorf("own dashboard: %v", err)
	}
	if _, err := svc.PaymentDetails(ctx, asha, o.crf["Asha"], 2026); err != nil {
		t.Errorf("own payment details: %v", err)
	}

	tests := []struct {
		name string
		call func() error
	}{
		{"customer dashboard of another customer", func() error {
			_, err := svc.CustomerDashboard(ctx, asha, o.crf["Bina"])
			return err
		}},
		{"payment details of another customer", func() error {
			_, err := svc.PaymentDetails(ctx, bina, o.crf["Asha"], 2026)
			return err
		}},
		{"admin dashboard", func() error {
			_, err := svc.AdminDashboard(ctx, asha)
			return err
		}},
		{"customer dashboard without login", func() error {
			_, err := svc.CustomerDashboard(ctx, Session{}, o.crf["Asha"])
			return err
		}},
		{"waive as a customer", func() error {
			open, err := o.e.store.OpenPeriods(ctx, o.conn["Chetan/cable_tv"])
			if err != nil || len(open) == 0 {
				t.Fatalf("Chetan's open periods = %v, %v", open, err)
			}
			return svc.WaivePeriod(ctx, asha, open[0].ID, "friend of the customer")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrForbidden) {
				t.Errorf("err = %v, want ErrForbidden", err)
			}
		})
	}
}
