package service

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// pdfText returns the text of the PDF at path as pdftotext reads it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not on PATH, so the PDF cannot be read back")
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestInvoicePDFText(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("José Muñoz")
	in := e.cashInput(nc.CRF, "600")
	in.Mode, in.Reference = store.ModeOnline, "upi4827361950"
	r, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.PDFError != nil {
		t.Fatalf("PDF error: %v", r.PDFError)
	}
	if want := filepath.Join(e.svc.InvoicesDir(), "2026", "INV-2026-000001.pdf"); r.PDFPath != want {
		t.Errorf("PDF path = %q, want %q", r.PDFPath, want)
	}

	text := pdfText(t, r.PDFPath)
	for _, want := range []string{"INV-2026-000001", "₹600.00", "José Muñoz", "Sunrise Cable Network",
		"Gold 300", "UPI4827361950", "31 Dec 2026", "admin"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text does not contain %q:\n%s", want, text)
		}
	}
}

func TestInvoicePDFRegeneratedWhenDeleted(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("José Muñoz")
	sess := e.loginCustomer(nc)
	r := e.collect(nc.CRF, "600")
	if err := os.Remove(r.PDFPath); err != nil {
		t.Fatal(err)
	}

	path, err := e.svc.InvoicePDF(e.ctx, sess, r.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if path != r.PDFPath {
		t.Errorf("regenerated PDF path = %q, want %q", path, r.PDFPath)
	}
	text := pdfText(t, path)
	for _, want := range []string{r.Invoice.Number, "₹600.00", "José Muñoz"} {
		if !strings.Contains(text, want) {
			t.Errorf("regenerated PDF text does not contain %q:\n%s", want, text)
		}
	}
}

// TestInvoicePDFRegeneratedWhenCut stands for a power cut after the file
// was renamed but before its end reached the disk: the file is there but
// cut short, and both the screen and the email get a whole PDF.
func TestInvoicePDFRegeneratedWhenCut(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("José Muñoz")
	r := e.collect(nc.CRF, "600")
	whole, err := os.ReadFile(r.PDFPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, len(whole) / 2} {
		if err := os.WriteFile(r.PDFPath, whole[:size], 0o600); err != nil {
			t.Fatal(err)
		}
		path, err := e.svc.InvoicePDF(e.ctx, e.admin, r.Invoice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, path); !strings.Contains(text, r.Invoice.Number) {
			t.Errorf("PDF written again over %d bytes lacks %s:\n%s", size, r.Invoice.Number, text)
		}
	}
	if err := os.WriteFile(r.PDFPath, whole[:len(whole)-10], 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := e.svc.InvoiceAttachment(e.ctx, r.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(bytes.TrimSpace(a.Data), []byte("%%EOF")) {
		t.Errorf("attachment of %d bytes does not end like a PDF", len(a.Data))
	}
}

func TestInvoiceKeepsPlanOfIssueDay(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	r := e.collect(nc.CRF, "600")
	err := e.svc.UpdatePlan(e.ctx, e.admin, e.plan, PlanInput{Service: billing.ServiceCableTV,
		Name: "Platinum 300", Price: "300", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(r.PDFPath); err != nil {
		t.Fatal(err)
	}

	path, err := e.svc.InvoicePDF(e.ctx, e.admin, r.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
	if !strings.Contains(text, "Gold 300") {
		t.Errorf("regenerated PDF does not show the plan paid for, Gold 300:\n%s", text)
	}
	if strings.Contains(text, "Platinum 300") {
		t.Errorf("regenerated PDF shows the renamed plan:\n%s", text)
	}
}

func TestPDFFailureKeepsPayment(t *testing.T) {
	tests := []struct {
		name string
		// block makes the invoices folder unusable, or skips the test when
		// it cannot.
		block func(t *testing.T, dir string)
	}{
		{"read-only folder", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			probe := filepath.Join(dir, "probe")
			if err := os.WriteFile(probe, nil, 0o600); err == nil {
				t.Skip("the folder is writable despite mode 0500 (running as root), so this case cannot fail")
			}
		}},
		{"file in place of folder", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPayEnv(t)
			nc := e.dueCustomer("Asha Rao")
			tt.block(t, e.svc.InvoicesDir())

			r, err := e.svc.CollectPayment(e.ctx, e.admin, e.cashInput(nc.CRF, "600"))
			if err != nil {
				t.Fatalf("payment failed with the PDF: %v", err)
			}
			if r.PDFError == nil {
				t.Error("receipt reports no PDF error")
			}
			if r.PDFPath != "" {
				t.Errorf("receipt PDF path = %q, want none", r.PDFPath)
			}
			if bills := e.bills(nc.CRF, 2026, time.December); len(bills) != 1 {
				t.Errorf("%d payments recorded, want 1", len(bills))
			}
			if conn := cableConnection(t, e.env, nc.CRF); conn.Status != billing.StatusActive {
				t.Errorf("status after payment = %s, want active", conn.Status)
			}
			if emails := e.invoiceEmails(nc.CRF); len(emails) != 1 {
				t.Errorf("%d invoice emails queued, want 1", len(emails))
			}

			_, err = e.svc.InvoicePDF(e.ctx, e.admin, r.Invoice.ID)
			if !errors.Is(err, ErrInvoiceUnavailable) {
				t.Errorf("InvoicePDF error = %v, want ErrInvoiceUnavailable", err)
			}
			if err != nil && !strings.Contains(err.Error(), r.Invoice.Number) {
				t.Errorf("InvoicePDF error %q does not name invoice %s", err, r.Invoice.Number)
			}
		})
	}
}

func TestBillsOfMonth(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	sess := e.loginCustomer(nc)
	december := e.collect(nc.CRF, "300")
	// 00:30 on 1 Jan in India is 19:00 on 31 Dec in UTC, and belongs to
	// the local January.
	e.clock.Set(time.Date(2027, time.January, 1, 0, 30, 0, 0, testLocation))
	january := e.collect(nc.CRF, "300")

	tests := []struct {
		name  string
		year  int
		month time.Month
		want  []string
	}{
		{"december", 2026, time.December, []string{december.Invoice.Number}},
		{"january", 2027, time.January, []string{january.Invoice.Number}},
		{"november", 2026, time.November, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bills, err := e.svc.BillsOfMonth(e.ctx, sess, nc.CRF, tt.year, tt.month)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range bills {
				got = append(got, b.InvoiceNumber)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("invoices = %v, want %v", got, tt.want)
			}
		})
	}

	bills, err := e.svc.BillsOfMonth(e.ctx, sess, nc.CRF, 2027, time.January)
	if err != nil {
		t.Fatal(err)
	}
	if len(bills) != 1 {
		t.Fatalf("%d bills in January, want 1", len(bills))
	}
	if bills[0].InvoiceID != january.Invoice.ID {
		t.Errorf("bill invoice id = %d, want %d", bills[0].InvoiceID, january.Invoice.ID)
	}
	if bills[0].Amount != 30000 {
		t.Errorf("bill amount = %s, want 300.00", bills[0].Amount.Plain())
	}
	if _, err := e.svc.BillsOfMonth(e.ctx, sess, nc.CRF, 2027, 13); err == nil {
		t.Error("month 13 accepted")
	}
}

func TestInvoiceByNumber(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	r := e.collect(nc.CRF, "600")

	inv, err := e.store.InvoiceByNumber(e.ctx, r.Invoice.Number)
	if err != nil {
		t.Fatal(err)
	}
	if inv.ID != r.Invoice.ID || inv.PDFPath != r.PDFPath || inv.Amount != 60000 {
		t.Errorf("invoice = %+v, want id %d, PDF %q, amount 600.00", inv, r.Invoice.ID, r.PDFPath)
	}
	if _, err := e.store.InvoiceByNumber(e.ctx, "INV-2026-999999"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown number: error = %v, want ErrNotFound", err)
	}
}

func TestInvoiceAttachmentWritesMissingPDF(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	r := e.collect(nc.CRF, "600")
	if err := os.Remove(r.PDFPath); err != nil {
		t.Fatal(err)
	}

	a, err := e.svc.InvoiceAttachment(e.ctx, r.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != r.Invoice.Number+".pdf" {
		t.Errorf("attachment name = %q, want %s.pdf", a.Name, r.Invoice.Number)
	}
	if a.ContentType != "application/pdf" {
		t.Errorf("content type = %q, want application/pdf", a.ContentType)
	}
	if !strings.HasPrefix(string(a.Data), "%PDF-") {
		t.Errorf("attachment does not start with %%PDF-: %q", a.Data[:min(len(a.Data), 16)])
	}
	if _, err := os.Stat(r.PDFPath); err != nil {
		t.Errorf("PDF not written again: %v", err)
	}
}
