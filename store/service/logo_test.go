package service

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/invoice"
)

// writePNG writes a w×h PNG file and returns its path.
func writePNG(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, h/2, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSetLogoStoresAndRemoves(t *testing.T) {
	e := newEnv(t)
	if e.svc.Logo() != nil {
		t.Fatal("a new office has a logo")
	}
	src := writePNG(t, 160, 80)
	if err := e.svc.SetLogo(e.ctx, e.admin, src); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(src)
	if got := e.svc.Logo(); !bytes.Equal(got, want) {
		t.Errorf("stored logo has %d bytes, want %d", len(got), len(want))
	}
	if err := e.svc.SetLogo(e.ctx, e.admin, ""); err != nil {
		t.Fatal(err)
	}
	if e.svc.Logo() != nil {
		t.Error("the logo stays after removal")
	}
}

func TestSetLogoRejectsBadFiles(t *testing.T) {
	e := newEnv(t)
	text := filepath.Join(t.TempDir(), "notes.png")
	os.WriteFile(text, []byte("not an image"), 0o600)
	tests := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(t.TempDir(), "none.png"), "cannot be read"},
		{"not an image", text, "not a PNG or JPEG"},
		{"too large", writePNG(t, 2100, 10), "at most 2000 pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.SetLogo(e.ctx, e.admin, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a message with %q", err, tt.want)
			}
		})
	}
	if e.svc.Logo() != nil {
		t.Error("a rejected file became the logo")
	}
}

func TestSetLogoIsAdminOnly(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Logo Tester")
	sess := e.loginCustomer(nc)
	if err := e.svc.SetLogo(e.ctx, sess, writePNG(t, 10, 10)); !errors.Is(err, ErrForbidden) {
		t.Errorf("customer setting the logo: err = %v, want ErrForbidden", err)
	}
}

func TestInvoicePrintsLogo(t *testing.T) {
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages (poppler-utils) is not installed")
	}
	e := newEnv(t)
	if err := e.svc.SetLogo(e.ctx, e.admin, writePNG(t, 120, 60)); err != nil {
		t.Fatal(err)
	}
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Logo Invoice")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.CollectPayment(e.ctx, e.admin, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "250", Mode: "cash", RequestKey: q.RequestKey})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfimages", "-list", r.PDFPath).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfimages: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "120    60") {
		t.Errorf("invoice has no 120×60 logo image:\n%s", out)
	}
	// The logo is mostly transparent, zero bytes before compression.
	if !invoice.Complete(r.PDFPath) {
		t.Errorf("invoice %s with a logo is not taken for a whole PDF", r.PDFPath)
	}
}
