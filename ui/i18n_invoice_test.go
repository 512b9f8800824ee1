package ui

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/invoice"
)

// TestSpanishInvoiceGlyphError draws an invoice for a name the font lacks
// and shows the failure in Spanish, as the outbox and the bills page do.
func TestSpanishInvoiceGlyphError(t *testing.T) {
	applyLanguage(billing.Spanish)
	t.Cleanup(func() { applyLanguage(billing.English) })
	d := invoice.Document{Business: invoice.Business{Name: "Sunrise Cable"}, CurrencySymbol: "₹",
		Number: "INV-2026-000001", IssuedAt: time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC),
		Customer: invoice.Customer{CRF: 1001, Name: "राम"}, Service: "Cable TV", Plan: "Basic",
		Lines: []invoice.Line{{Start: billing.NewDate(2026, time.December, 1), End: billing.NewDate(2026, time.December, 31),
			Description: "Cable TV — Basic", Amount: 25000}},
		Amount: 25000, Mode: "Cash", NewExpiry: billing.NewDate(2026, time.December, 31), ReceivedBy: "admin"}
	err := invoice.WriteFile(filepath.Join(t.TempDir(), "inv.pdf"), d)
	if !errors.Is(err, invoice.ErrMissingGlyph) {
		t.Fatalf("error = %v, want ErrMissingGlyph", err)
	}
	checkSpanish(t, "glyph error", plainMessage(err), "que la fuente", "which the font")
}
