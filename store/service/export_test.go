package service

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/importer"
)

// exportPlans creates the same plans in any environment, so an export of
// one imports into another.
func exportPlans(e *env) map[string]int64 {
	return map[string]int64{
		"Basic":    e.addPlan(billing.ServiceCableTV, "Basic", "250"),
		"Fiber 50": e.addPlan(billing.ServiceBroadband, "Fiber 50", "599"),
	}
}

// addExportCustomers creates customers whose fields test the round trip:
// formula-like text, non-ASCII names, line breaks, both services or none,
// and a removed customer that the export leaves out.
func addExportCustomers(t *testing.T, e *env, plans map[string]int64) {
	t.Helper()
	customers := []store.CustomerParams{
		{Name: "Émile Zoë", Mobile: "+919876543210", Email: "emile@example.com", House: "@home", Street: "-5 Cross",
			City: "Pune", State: "Maharashtra", PostalCode: "411001", IDProofType: "Aadhaar",
			IDProofNumber: "=1+1", DateOfBirth: "1984-02-29", Notes: "first line\nsecond, \"quoted\""},
		{Name: "राज कुमार", Mobile: "9000000002", City: "Nashik"},
		{Name: "No Services", Mobile: "9000000003"},
	}
	var crfs []int64
	for _, p := range customers {
		nc, err := e.svc.CreateCustomer(e.ctx, e.admin, p)
		if err != nil {
			t.Fatal(err)
		}
		crfs = append(crfs, nc.CRF)
	}
	_, err := e.svc.Connect(e.ctx, e.admin, crfs[0], ConnectInput{Service: billing.ServiceCableTV,
		PlanID: plans["Basic"], DeviceID: "+STB-1", ActivatedOn: "2026-10-31"})
	if err != nil {
		t.Fatal(err)
	}
	e.connect(crfs[0], billing.ServiceBroadband, plans["Fiber 50"], billing.NewDate(2026, time.November, 30))
	e.connect(crfs[1], billing.ServiceBroadband, plans["Fiber 50"], billing.NewDate(2026, time.December, 4))

	gone, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Removed", Mobile: "9000000009"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveCustomer(e.ctx, e.admin, gone.CRF); err != nil {
		t.Fatal(err)
	}
}

// customerState is what a round trip must keep of a customer.
type customerState struct {
	customer    store.Customer
	connections []store.Connection
}

func (e *env) customerStates() map[int64]customerState {
	e.t.Helper()
	rows, err := e.svc.SearchCustomers(e.ctx, e.admin, store.CustomerQuery{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int64]customerState{}
	for _, r := range rows {
		c, err := e.svc.Customer(e.ctx, e.admin, r.CRF)
		if err != nil {
			e.t.Fatal(err)
		}
		conns, err := e.svc.Connections(e.ctx, e.admin, r.CRF)
		if err != nil {
			e.t.Fatal(err)
		}
		out[r.CRF] = customerState{customer: c, connections: conns}
	}
	return out
}

func TestExportCustomersRoundTrip(t *testing.T) {
	src := newEnv(t)
	addExportCustomers(t, src, exportPlans(src))
	want := src.customerStates()
	if len(want) != 3 {
		t.Fatalf("source has %d current customers, want 3", len(want))
	}

	for _, format := range []importer.Format{importer.FormatXLSX, importer.FormatCSV} {
		t.Run(string(format), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "customers."+string(format))
			n, err := src.svc.ExportCustomers(src.ctx, src.admin, path, format)
			if err != nil {
				t.Fatal(err)
			}
			if n != 3 {
				t.Errorf("exported %d customers, want 3 (the removed one left out)", n)
			}

			dst := newEnv(t)
			exportPlans(dst)
			preview, err := dst.svc.PreviewImport(dst.ctx, dst.admin, path, "")
			if err != nil {
				t.Fatal(err)
			}
			res, err := dst.svc.RunImport(dst.ctx, dst.admin, path, "", preview.Mapping, ImportOptions{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Customers != 3 {
				t.Fatalf("imported %d customers, want 3", res.Customers)
			}
			compareStates(t, want, dst.customerStates())
		})
	}
}

func compareStates(t *testing.T, want, got map[int64]customerState) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d customers, want %d", len(got), len(want))
	}
	for crf, w := range want {
		g, ok := got[crf]
		if !ok {
			t.Errorf("customer %d missing after the round trip", crf)
			continue
		}
		wc, gc := w.customer, g.customer
		wc.CreatedAt, gc.CreatedAt = time.Time{}, time.Time{}
		if gc != wc {
			t.Errorf("customer %d:\n got %+v\nwant %+v", crf, gc, wc)
		}
		if len(g.connections) != len(w.connections) {
			t.Errorf("customer %d has %d connections, want %d", crf, len(g.connections), len(w.connections))
			continue
		}
		for i, wconn := range w.connections {
			gconn := g.connections[i]
			if gconn.Service != wconn.Service || gconn.PlanName != wconn.PlanName ||
				gconn.DeviceID != wconn.DeviceID || gconn.ActivatedOn != wconn.ActivatedOn {
				t.Errorf("customer %d %s:\n got %+v\nwant %+v", crf, wconn.Service, gconn, wconn)
			}
		}
	}
}

func TestExportCustomersNeutralizes(t *testing.T) {
	e := newEnv(t)
	addExportCustomers(t, e, exportPlans(e))
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "customers.csv")
	if _, err := e.svc.ExportCustomers(e.ctx, e.admin, csvPath, importer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{",'+919876543210,", ",'@home,'-5 Cross,", ",'=1+1,", ",'+STB-1,"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("CSV does not contain %q", want)
		}
	}

	xlsxPath := filepath.Join(dir, "customers.xlsx")
	if _, err := e.svc.ExportCustomers(e.ctx, e.admin, xlsxPath, importer.FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"C2": "+919876543210", "E2": "@home", "F2": "-5 Cross", "K2": "=1+1"} {
		got, err := f.GetCellValue("Customers", cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
		typ, err := f.GetCellType("Customers", cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want a string", cell, typ)
		}
		if formula, _ := f.GetCellFormula("Customers", cell); formula != "" {
			t.Errorf("%s has formula %q, want none", cell, formula)
		}
	}
}

func TestExportPayments(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Asha Rao")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, billing.NewDate(2026, time.November, 4))
	quote, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := e.svc.CollectPayment(e.ctx, e.admin, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "250", Mode: store.ModeCash, RequestKey: quote.RequestKey})
	if err != nil {
		t.Fatal(err)
	}
	today := e.svc.Today()
	dir := t.TempDir()

	for _, format := range []importer.Format{importer.FormatCSV, importer.FormatXLSX} {
		path := filepath.Join(dir, "payments."+string(format))
		n, err := e.svc.ExportPayments(e.ctx, e.admin, path, format, today, today)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s: exported %d payments, want 1", format, n)
		}
		tbl, err := importer.ReadFile(path, "")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"CRF", "Name", "Service", "Amount", "Mode", "Reference", "Invoice number"}
		if strings.Join(tbl.Headers[1:], "|") != strings.Join(want, "|") {
			t.Errorf("%s headers = %q", format, tbl.Headers)
		}
		if len(tbl.Rows) != 1 {
			t.Fatalf("%s rows = %d, want 1", format, len(tbl.Rows))
		}
		row := tbl.Rows[0]
		got := []string{row.Cell(1), row.Cell(2), row.Cell(3), row.Cell(4), row.Cell(5), row.Cell(7)}
		wantRow := []string{"1001", "Asha Rao", "Cable TV", "250", "cash", receipt.Invoice.Number}
		if format == importer.FormatCSV {
			wantRow[3] = "250.00"
		}
		if strings.Join(got, "|") != strings.Join(wantRow, "|") {
			t.Errorf("%s row = %q, want %q", format, got, wantRow)
		}
	}

	path := filepath.Join(dir, "none.csv")
	n, err := e.svc.ExportPayments(e.ctx, e.admin, path, importer.FormatCSV, today.AddDays(1), today.AddDays(30))
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("payments after today = %d, want 0", n)
	}
	_, err = e.svc.ExportPayments(e.ctx, e.admin, path, importer.FormatCSV, today, today.AddDays(-1))
	if fe, ok := AsFieldErrors(err); !ok || fe.For("to") == "" {
		t.Errorf("reversed range error = %v, want a field error on the end date", err)
	}
}
