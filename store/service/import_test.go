package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/importer"
)

// sampleHeaders name the columns as an older program might, so the
// proposed mapping is tested on synonyms.
var sampleHeaders = []string{"Customer ID", "Customer name", "Mobile No", "Email", "Address line 1", "Area",
	"City", "State", "PIN", "ID proof type", "ID proof number", "DOB", "Notes", "Cable plan", "STB",
	"Cable since", "Broadband plan", "ISP username", "Broadband activation"}

const (
	colCRF = iota
	colName
	colMobile
	colEmail
	colHouse
	colStreet
	colCity
	colState
	colPIN
	colIDType
	colIDNumber
	colDOB
	colNotes
	colCablePlan
	colSTB
	colCableSince
	colBroadbandPlan
	colISPUser
	colBroadbandSince
)

const sampleRows = 1000

// sampleRow returns the cells of a valid row i. Every second row keeps a
// CRF number; dates come in each accepted form, some as real date cells.
func sampleRow(i int) []any {
	cells := make([]any, len(sampleHeaders))
	if i%2 == 0 {
		cells[colCRF] = 20001 + i
	}
	cells[colName] = fmt.Sprintf("Customer %04d", i)
	cells[colMobile] = fmt.Sprintf("9%09d", i+1)
	if i%3 != 0 {
		cells[colEmail] = fmt.Sprintf("c%d@example.com", i)
	}
	cells[colHouse] = fmt.Sprintf("%d, Lake View", i)
	cells[colStreet] = "MG Road"
	cells[colCity] = "Pune"
	cells[colState] = "Maharashtra"
	cells[colPIN] = "411001"
	cells[colIDType] = "Aadhaar"
	cells[colIDNumber] = fmt.Sprintf("XXXX-%04d", i)
	cells[colDOB] = []any{"1985-07-21", "21/07/1985", "21.07.1985",
		time.Date(1985, time.July, 21, 0, 0, 0, 0, time.UTC)}[i%4]
	if i%5 != 4 {
		cells[colCablePlan] = []string{"basic", "PREMIUM"}[i%2]
		cells[colSTB] = fmt.Sprintf("STB-%04d", i)
		cells[colCableSince] = []any{"2026-11-15", "15/10/2026", "5-11-2026",
			time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)}[i%4]
	}
	if i%3 == 0 {
		cells[colBroadbandPlan] = "Fiber 50"
		cells[colISPUser] = fmt.Sprintf("user%d", i)
		cells[colBroadbandSince] = "01.11.2026"
	}
	return cells
}

// sampleError is a deliberate mistake in row i of the sample.
type sampleError struct {
	i      int
	change func(cells []any, e *importEnv)
	column string
	text   string
}

func set(col int, v any) func([]any, *importEnv) {
	return func(cells []any, _ *importEnv) { cells[col] = v }
}

// sampleErrors are twenty mistakes of different kinds, each in its own row.
var sampleErrors = []sampleError{
	{10, set(colName, ""), "Customer name", "Name is required"},
	{50, set(colMobile, "12ab"), "Mobile No", `Mobile number "12ab" is invalid`},
	{90, set(colEmail, "x@"), "Email", `Email "x@" is invalid`},
	{130, set(colCablePlan, "Gold"), "Cable plan", `"Gold" is not a Cable TV plan; use one of: Basic, Premium`},
	{170, func(c []any, _ *importEnv) { c[colBroadbandPlan], c[colISPUser] = "Fiber 999", "u170" },
		"Broadband plan", `"Fiber 999" is not a Broadband plan`},
	{210, set(colCRF, 20201), "Customer ID", "CRF 20201 is also in row 202"},
	{250, func(c []any, e *importEnv) { c[colCRF] = e.existing.CRF }, "Customer ID", "already belongs to a customer"},
	{290, set(colMobile, fmt.Sprintf("9%09d", 281)), "Mobile No", "is also in row 282"},
	{330, func(c []any, e *importEnv) { c[colMobile] = e.existingMobile }, "Mobile No", "already belongs to customer"},
	{370, set(colCRF, "12a"), "Customer ID", `CRF "12a" is not a positive whole number`},
	{410, set(colDOB, "31/02/1990"), "DOB", `"31/02/1990" does not exist`},
	{450, set(colCableSince, "12/25/2025"), "Cable since", "looks like month/day/year"},
	{490, set(colCableSince, "2026-12-05"), "Cable since", "is in the future"},
	{530, set(colCablePlan, "old gold"), "Cable plan", `"Old Gold" is no longer offered`},
	{570, func(c []any, _ *importEnv) { c[colCablePlan], c[colCableSince] = nil, nil },
		"STB", "Set-top box is filled but Cable plan is empty"},
	{610, set(colDOB, "2027-01-01"), "DOB", "is in the future"},
	{650, set(colPIN, "41#001"), "PIN", `Postal code "41#001" may contain only`},
	{690, set(colCableSince, "2020/13/01"), "Cable since", `"2020/13/01" is not in a known form`},
	{730, set(colName, strings.Repeat("n", 121)), "Customer name", "longer than 120 characters"},
	{770, set(colCRF, "0"), "Customer ID", `CRF "0" is not a positive whole number`},
}

// importEnv is a service with the plans the sample names and one
// existing customer.
type importEnv struct {
	*env
	existing       NewCustomer
	existingMobile string
}

func newImportEnv(t *testing.T) *importEnv {
	e := &importEnv{env: newEnv(t)}
	e.addPlan(billing.ServiceCableTV, "Basic", "250")
	e.addPlan(billing.ServiceCableTV, "Premium", "400")
	old := e.addPlan(billing.ServiceCableTV, "Old Gold", "300")
	err := e.svc.UpdatePlan(e.ctx, e.admin, old, PlanInput{Service: billing.ServiceCableTV, Name: "Old Gold",
		Price: "300", Active: false})
	if err != nil {
		t.Fatal(err)
	}
	e.addPlan(billing.ServiceBroadband, "Fiber 50", "599")
	nc := e.addCustomer("Existing Customer")
	e.existing = nc
	c, err := e.svc.Customer(e.ctx, e.admin, nc.CRF)
	if err != nil {
		t.Fatal(err)
	}
	e.existingMobile = c.Mobile
	return e
}

// writeSample writes the 1,000-row sample to an .xlsx file, with the
// deliberate errors when withErrors is set.
func writeSample(t *testing.T, e *importEnv, withErrors bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "customers.xlsx")
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	header := make([]any, len(sampleHeaders))
	for i, h := range sampleHeaders {
		header[i] = h
	}
	if err := sw.SetRow("A1", header); err != nil {
		t.Fatal(err)
	}
	changes := map[int]sampleError{}
	if withErrors {
		for _, se := range sampleErrors {
			changes[se.i] = se
		}
	}
	for i := range sampleRows {
		cells := sampleRow(i)
		if se, ok := changes[i]; ok {
			se.change(cells, e)
		}
		for j, c := range cells {
			if d, ok := c.(time.Time); ok {
				cells[j] = excelize.Cell{StyleID: dateStyle, Value: d}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// dataCounts are figures that any write by an import would change.
type dataCounts struct {
	customers, outbox, audit int
}

func (e *env) dataCounts() dataCounts {
	e.t.Helper()
	n, err := e.svc.CountCustomers(e.ctx, e.admin, store.CustomerQuery{IncludeArchived: true})
	if err != nil {
		e.t.Fatal(err)
	}
	out, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{Limit: 1_000_000})
	if err != nil {
		e.t.Fatal(err)
	}
	audit, err := e.store.ListAudit(e.ctx, store.AuditFilter{Limit: 1_000_000})
	if err != nil {
		e.t.Fatal(err)
	}
	return dataCounts{customers: n, outbox: len(out), audit: len(audit)}
}

func (e *env) previewMapping(path string) importer.Mapping {
	e.t.Helper()
	p, err := e.svc.PreviewImport(e.ctx, e.admin, path, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if err := p.Mapping.Check(p.Headers); err != nil {
		e.t.Fatal(err)
	}
	return p.Mapping
}

func TestDryRunReportsDeliberateErrors(t *testing.T) {
	e := newImportEnv(t)
	path := writeSample(t, e, true)
	m := e.previewMapping(path)
	before := e.dataCounts()

	report, err := e.svc.DryRunImport(e.ctx, e.admin, path, "", m)
	if err != nil {
		t.Fatal(err)
	}
	if report.Rows != sampleRows {
		t.Errorf("rows = %d, want %d", report.Rows, sampleRows)
	}
	if len(report.Problems) != len(sampleErrors) {
		t.Errorf("got %d problems, want %d", len(report.Problems), len(sampleErrors))
		for _, p := range report.Problems {
			t.Log(p)
		}
	}
	for k, want := range sampleErrors {
		if k >= len(report.Problems) {
			break
		}
		got := report.Problems[k]
		if got.Row != want.i+2 {
			t.Errorf("problem %d is in row %d, want row %d (%s)", k, got.Row, want.i+2, got)
		}
		if got.Column != want.column {
			t.Errorf("row %d problem is in column %q, want %q", got.Row, got.Column, want.column)
		}
		if !strings.Contains(got.Message, want.text) {
			t.Errorf("row %d message %q does not contain %q", got.Row, got.Message, want.text)
		}
	}
	if after := e.dataCounts(); after != before {
		t.Errorf("dry run changed data: before %+v, after %+v", before, after)
	}

	_, err = e.svc.RunImport(e.ctx, e.admin, path, "", m, ImportOptions{SendWelcome: true}, nil)
	var problems *ImportProblemsError
	if !errors.As(err, &problems) {
		t.Fatalf("RunImport error = %v, want *ImportProblemsError", err)
	}
	if len(problems.Report.Problems) != len(sampleErrors) {
		t.Errorf("refused import lists %d problems, want %d", len(problems.Report.Problems), len(sampleErrors))
	}
	if after := e.dataCounts(); after != before {
		t.Errorf("refused import changed data: before %+v, after %+v", before, after)
	}
	nc := e.addCustomer("After refusal")
	if nc.CRF != e.existing.CRF+1 {
		t.Errorf("next CRF after a refused import = %d, want %d", nc.CRF, e.existing.CRF+1)
	}
}

func TestImportCorrectedSample(t *testing.T) {
	e := newImportEnv(t)
	path := writeSample(t, e, false)
	m := e.previewMapping(path)
	before := e.dataCounts()

	report, err := e.svc.DryRunImport(e.ctx, e.admin, path, "", m)
	if err != nil {
		t.Fatal(err)
	}
	if !report.OK() {
		t.Fatalf("corrected file has problems: %v", report.Problems[:min(5, len(report.Problems))])
	}
	var phases = map[ImportPhase]int{}
	res, err := e.svc.RunImport(e.ctx, e.admin, path, "", m, ImportOptions{SendWelcome: true},
		func(p ImportProgress) { phases[p.Phase] = max(phases[p.Phase], p.Done) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Customers != sampleRows || len(res.CRFs) != sampleRows {
		t.Fatalf("imported %d customers (%d numbers), want %d", res.Customers, len(res.CRFs), sampleRows)
	}
	if phases[ImportHashing] != sampleRows || phases[ImportWriting] != sampleRows {
		t.Errorf("progress reached %v, want %d in each phase", phases, sampleRows)
	}
	if want := sampleRows - sampleRows/5; res.CableTV != want {
		t.Errorf("cable TV connections = %d, want %d", res.CableTV, want)
	}
	if want := (sampleRows + 2) / 3; res.Broadband != want {
		t.Errorf("broadband connections = %d, want %d", res.Broadband, want)
	}
	withEmail := sampleRows - (sampleRows+2)/3
	if res.Welcome != withEmail || len(res.Unsent) != sampleRows-withEmail {
		t.Errorf("welcome emails = %d, unsent logins = %d, want %d and %d", res.Welcome, len(res.Unsent),
			withEmail, sampleRows-withEmail)
	}
	after := e.dataCounts()
	if after.customers-before.customers != sampleRows {
		t.Errorf("customers grew by %d, want %d", after.customers-before.customers, sampleRows)
	}
	if after.outbox-before.outbox != withEmail {
		t.Errorf("outbox grew by %d, want %d", after.outbox-before.outbox, withEmail)
	}

	var highest int64
	for i, crf := range res.CRFs {
		if i%2 == 0 && crf != int64(20001+i) {
			t.Errorf("row %d got CRF %d, want the kept %d", i+2, crf, 20001+i)
		}
		highest = max(highest, crf)
	}
	e.checkImportedCustomer(res.CRFs[0], 0)
	e.checkImportedCustomer(res.CRFs[3], 3)
	e.checkUnsentLogin(res.Unsent[0])

	nc := e.addCustomer("After import")
	if nc.CRF <= highest {
		t.Errorf("new customer got CRF %d, want above the highest imported %d", nc.CRF, highest)
	}
}

// checkImportedCustomer compares a stored customer with sample row i.
func (e *env) checkImportedCustomer(crf int64, i int) {
	e.t.Helper()
	c, err := e.svc.Customer(e.ctx, e.admin, crf)
	if err != nil {
		e.t.Fatal(err)
	}
	cells := sampleRow(i)
	if c.Name != cells[colName] || c.Mobile != cells[colMobile] || c.City != "Pune" || c.DateOfBirth != "1985-07-21" {
		e.t.Errorf("customer %d = %+v, want row %d of the sample", crf, c, i+2)
	}
	conns, err := e.svc.Connections(e.ctx, e.admin, crf)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(conns) != 2 {
		e.t.Fatalf("customer %d has %d connections, want cable TV and broadband", crf, len(conns))
	}
	cable, broadband := conns[0], conns[1]
	wantActivation := map[int]billing.Date{0: billing.NewDate(2026, time.November, 15),
		3: billing.NewDate(2026, time.November, 1)}[i]
	if cable.Service != billing.ServiceCableTV || cable.ActivatedOn != wantActivation ||
		cable.DeviceID != cells[colSTB] || !strings.EqualFold(cable.PlanName, cells[colCablePlan].(string)) {
		e.t.Errorf("cable TV of customer %d = %+v", crf, cable)
	}
	if broadband.PlanName != "Fiber 50" || broadband.ActivatedOn != billing.NewDate(2026, time.November, 1) {
		e.t.Errorf("broadband of customer %d = %+v", crf, broadband)
	}
	periods, err := e.store.PeriodsOfYear(e.ctx, crf, 2026)
	if err != nil {
		e.t.Fatal(err)
	}
	due := 0
	for _, p := range periods {
		if p.State == billing.StateDue {
			due++
		}
	}
	// 4 Dec 2026: cable TV from 15 Nov owes one month, from 1 Nov two, and
	// broadband from 1 Nov two.
	if want := map[int]int{0: 3, 3: 4}[i]; due != want {
		e.t.Errorf("customer %d has %d due periods in 2026, want %d", crf, due, want)
	}
}

// checkUnsentLogin logs in with a password returned for a customer without
// a welcome email, which must be changed first.
func (e *env) checkUnsentLogin(c Credential) {
	e.t.Helper()
	sess, err := e.svc.Login(e.ctx, strconv.FormatInt(c.CRF, 10), c.Password)
	if err != nil {
		e.t.Fatalf("login of imported customer %d: %v", c.CRF, err)
	}
	if !sess.MustChangePassword {
		e.t.Errorf("imported customer %d need not change the initial password", c.CRF)
	}
}

func TestImportWithoutWelcomeEmails(t *testing.T) {
	e := newImportEnv(t)
	path := writeCSV(t, "Name,Mobile,Email\nAsha,9000000001,asha@example.com\nBala,9000000002,\n")
	before := e.dataCounts()
	res, err := e.svc.RunImport(e.ctx, e.admin, path, "", e.previewMapping(path), ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Welcome != 0 || len(res.Unsent) != 2 {
		t.Errorf("welcome = %d, unsent = %d, want 0 and 2", res.Welcome, len(res.Unsent))
	}
	if after := e.dataCounts(); after.outbox != before.outbox {
		t.Errorf("outbox grew by %d, want 0", after.outbox-before.outbox)
	}
}

func TestRunImportCancelled(t *testing.T) {
	e := newImportEnv(t)
	path := writeSample(t, e, false)
	m := e.previewMapping(path)
	before := e.dataCounts()
	for _, phase := range []ImportPhase{ImportHashing, ImportWriting} {
		t.Run(string(phase), func(t *testing.T) {
			ctx, cancel := context.WithCancel(e.ctx)
			defer cancel()
			_, err := e.svc.RunImport(ctx, e.admin, path, "", m, ImportOptions{SendWelcome: true},
				func(p ImportProgress) {
					if p.Phase == phase && p.Done == 100 {
						cancel()
					}
				})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
			if after := e.dataCounts(); after != before {
				t.Errorf("cancelled import changed data: before %+v, after %+v", before, after)
			}
		})
	}
	nc := e.addCustomer("After cancel")
	if nc.CRF != e.existing.CRF+1 {
		t.Errorf("next CRF after a cancelled import = %d, want %d", nc.CRF, e.existing.CRF+1)
	}
}

func TestImportAdminOnly(t *testing.T) {
	e := newImportEnv(t)
	path := writeCSV(t, "Name,Mobile\nAsha,9000000001\n")
	cust := e.loginCustomer(e.existing)
	if _, err := e.svc.PreviewImport(e.ctx, cust, path, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("PreviewImport by a customer: %v, want ErrForbidden", err)
	}
	m := importer.Mapping{importer.FieldName: 0, importer.FieldMobile: 1}
	if _, err := e.svc.DryRunImport(e.ctx, cust, path, "", m); !errors.Is(err, ErrForbidden) {
		t.Errorf("DryRunImport by a customer: %v, want ErrForbidden", err)
	}
	if _, err := e.svc.RunImport(e.ctx, cust, path, "", m, ImportOptions{}, nil); !errors.Is(err, ErrForbidden) {
		t.Errorf("RunImport by a customer: %v, want ErrForbidden", err)
	}
	out := filepath.Join(t.TempDir(), "c.csv")
	if _, err := e.svc.ExportCustomers(e.ctx, cust, out, importer.FormatCSV); !errors.Is(err, ErrForbidden) {
		t.Errorf("ExportCustomers by a customer: %v, want ErrForbidden", err)
	}
	_, err := e.svc.ExportPayments(e.ctx, cust, out, importer.FormatCSV, e.svc.Today(), e.svc.Today())
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("ExportPayments by a customer: %v, want ErrForbidden", err)
	}
}

// writeCSV writes text to a .csv file in a temporary folder.
func writeCSV(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// paidThroughCSV has customers activated two years before newEnv's today,
// 4 Dec 2026: paid through the end of the previous month's period, prepaid
// into next year, and with nothing recorded as paid.
const paidThroughCSV = "Name,Mobile,Cable plan,STB,Cable since,Cable paid till,Broadband plan,ISP username," +
	"Broadband since,Broadband paid upto\n" +
	"Asha,9000000001,Basic,STB-1,04/12/2024,03/12/2026,Fiber 50,asha,2025-06-20,2027-01-19\n" +
	"Bala,9000000002,Premium,STB-2,2024-12-04,2027-03-03,,,,\n" +
	"Chitra,9000000003,Basic,STB-3,2024-12-04,,,,,\n"

// overview returns the customer dashboard rows of crf, cable TV first.
func (e *env) overview(crf int64) []store.ServiceOverview {
	e.t.Helper()
	d, err := e.svc.CustomerDashboard(e.ctx, e.admin, crf)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Services
}

func TestImportPaidThrough(t *testing.T) {
	e := newImportEnv(t)
	path := writeCSV(t, paidThroughCSV)
	res, err := e.svc.RunImport(e.ctx, e.admin, path, "", e.previewMapping(path), ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.CRFs) != 3 {
		t.Fatalf("imported %d customers, want 3", len(res.CRFs))
	}
	type want struct {
		status billing.Status
		expiry billing.Date
		due    billing.Money
		months []string
	}
	cases := []struct {
		name string
		crf  int64
		want []want
	}{
		{"paid through the previous month", res.CRFs[0], []want{
			{billing.StatusInactive, billing.NewDate(2026, time.December, 3), 25000, []string{"Dec 2026"}},
			{billing.StatusActive, billing.NewDate(2027, time.January, 19), 0, nil},
		}},
		{"prepaid", res.CRFs[1], []want{
			{billing.StatusActive, billing.NewDate(2027, time.March, 3), 0, nil},
		}},
		{"nothing paid", res.CRFs[2], []want{
			{billing.StatusSuspended, billing.NewDate(2024, time.December, 3), 50000, []string{"Dec 2024", "Jan 2025"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			services := e.overview(c.crf)
			if len(services) != len(c.want) {
				t.Fatalf("customer %d has %d services, want %d", c.crf, len(services), len(c.want))
			}
			for i, w := range c.want {
				got := services[i]
				if got.Status != w.status {
					t.Errorf("%s status = %s, want %s", got.Service, got.Status, w.status)
				}
				if got.ExpiresOn != w.expiry {
					t.Errorf("%s expiry = %s, want %s", got.Service, got.ExpiresOn, w.expiry)
				}
				if got.AmountDue != w.due {
					t.Errorf("%s amount due = %s, want %s", got.Service, got.AmountDue.Plain(), w.due.Plain())
				}
				if strings.Join(got.MonthsPending, ", ") != strings.Join(w.months, ", ") {
					t.Errorf("%s months pending = %v, want %v", got.Service, got.MonthsPending, w.months)
				}
			}
		})
	}

	details, err := e.svc.PaymentDetails(e.ctx, e.admin, res.CRFs[0], 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(details.Payments) != 0 {
		t.Errorf("payments in 2026 = %d, want none for months paid in the earlier system", len(details.Payments))
	}
}

func TestDryRunReportsPaidThroughProblems(t *testing.T) {
	e := newImportEnv(t)
	path := writeCSV(t, "Name,Mobile,Cable plan,Cable since,Cable valid until,Broadband plan,Broadband paid till\n"+
		"Asha,9000000001,Basic,2024-12-04,2026-13-03,,\n"+
		"Bala,9000000002,Basic,2024-12-04,2024-11-30,,\n"+
		"Chitra,9000000003,Basic,2024-12-04,2026-12-03,,2026-12-03\n")
	report, err := e.svc.DryRunImport(e.ctx, e.admin, path, "", e.previewMapping(path))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		row    int
		column string
		text   string
	}{
		{2, "Cable valid until", `Cable paid through "2026-13-03" does not exist`},
		{3, "Cable valid until", "Cable paid through 2024-11-30 is before Cable activation 2024-12-04"},
		{4, "Broadband paid till", "Broadband paid through is filled but Broadband plan is empty"},
	}
	if len(report.Problems) != len(want) {
		t.Errorf("got %d problems, want %d: %v", len(report.Problems), len(want), report.Problems)
	}
	for i := 0; i < min(len(want), len(report.Problems)); i++ {
		p, w := report.Problems[i], want[i]
		if p.Row != w.row {
			t.Errorf("problem %d is in row %d, want %d (%s)", i, p.Row, w.row, p)
		}
		if p.Column != w.column {
			t.Errorf("problem %d is in column %q, want %q", i, p.Column, w.column)
		}
		if !strings.Contains(p.Message, w.text) {
			t.Errorf("problem %d message %q does not contain %q", i, p.Message, w.text)
		}
	}
}

// TestExportKeepsPaidThrough exports imported customers and imports the
// file into another database: each connection gets the same expiry,
// status and amount due.
func TestExportKeepsPaidThrough(t *testing.T) {
	src := newImportEnv(t)
	in := writeCSV(t, paidThroughCSV)
	res, err := src.svc.RunImport(src.ctx, src.admin, in, "", src.previewMapping(in), ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []importer.Format{importer.FormatXLSX, importer.FormatCSV} {
		t.Run(string(format), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "customers."+string(format))
			if _, err := src.svc.ExportCustomers(src.ctx, src.admin, out, format); err != nil {
				t.Fatal(err)
			}
			dst := newEnv(t)
			dst.addPlan(billing.ServiceCableTV, "Basic", "250")
			dst.addPlan(billing.ServiceCableTV, "Premium", "400")
			dst.addPlan(billing.ServiceBroadband, "Fiber 50", "599")
			back, err := dst.svc.RunImport(dst.ctx, dst.admin, out, "", dst.previewMapping(out), ImportOptions{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, crf := range res.CRFs {
				want, got := src.overview(crf), dst.overview(crf)
				if len(got) != len(want) {
					t.Errorf("customer %d has %d services after the round trip, want %d", crf, len(got), len(want))
					continue
				}
				for i := range want {
					w, g := want[i], got[i]
					if g.Status != w.Status || g.ExpiresOn != w.ExpiresOn || g.AmountDue != w.AmountDue {
						t.Errorf("customer %d %s = %s, expiry %s, due %s; want %s, %s, %s", crf, w.Service,
							g.Status, g.ExpiresOn, g.AmountDue.Plain(), w.Status, w.ExpiresOn, w.AmountDue.Plain())
					}
				}
			}
			if back.Customers != len(res.CRFs)+1 {
				t.Errorf("imported %d customers, want %d with the source's existing one", back.Customers,
					len(res.CRFs)+1)
			}
		})
	}
}
