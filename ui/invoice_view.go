package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// invoiceViewService lists the service methods that the invoice view uses.
type invoiceViewService interface {
	InvoiceDetails(ctx context.Context, sess service.Session, invoiceID int64) (store.InvoiceDetails, error)
	InvoicePDF(ctx context.Context, sess service.Session, invoiceID int64) (string, error)
}

// invoiceView shows one invoice inside the window with Save PDF and Print.
type invoiceView struct {
	svc       invoiceViewService
	session   service.Session
	win       fyne.Window
	invoiceID int64
	note      string
	details   store.InvoiceDetails
	// printer sends a file to the printer; tests replace it.
	printer func(path string) error
	// saveDir, when set, is the only folder Save PDF writes to, without a
	// file dialog. The kiosk uses it so customers cannot browse the disk.
	saveDir string
}

func newInvoiceView(svc invoiceViewService, sess service.Session, win fyne.Window, invoiceID int64, note string) *invoiceView {
	return &invoiceView{svc: svc, session: sess, win: win, invoiceID: invoiceID, note: note, printer: printPDF}
}

func (v *invoiceView) buildUI() fyne.CanvasObject {
	d, err := v.svc.InvoiceDetails(context.Background(), v.session, v.invoiceID)
	if err != nil {
		return errorPage(lang.L("This invoice could not be shown"), err)
	}
	v.details = d
	symbol := d.Business.CurrencySymbol
	inv, pay := d.Invoice, d.Payment

	lines := make([]string, 0, len(d.Lines))
	for _, l := range d.Lines {
		lines = append(lines, fmt.Sprintf("%s – %s   %s", formatDate(l.Start), formatDate(l.End), l.Amount.Format(symbol)))
	}
	mode := modeLabel(pay.Mode)
	if pay.Reference != "" {
		mode = lang.L("{{.Mode}}, reference {{.Reference}}", map[string]any{"Mode": mode, "Reference": pay.Reference})
	}
	text := lang.L("Invoice {{.Number}}, {{.Issued}}\n{{.Name}} (CRF {{.CRF}})\n{{.Service}} — plan {{.Plan}}\n\n"+
		"{{.Periods}}\n\nAmount paid: {{.Amount}} ({{.Mode}})\nBalance due: {{.Balance}}\nService valid until: {{.Expiry}}",
		map[string]any{"Number": inv.Number, "Issued": formatDateTime(inv.IssuedAt), "Name": d.Customer.Name,
			"CRF": d.Customer.CRF, "Service": serviceLabel(pay.Service), "Plan": inv.PlanName,
			"Periods": strings.Join(lines, "\n"), "Amount": inv.Amount.Format(symbol), "Mode": mode,
			"Balance": inv.BalanceAfter.Format(symbol), "Expiry": formatDate(inv.NewExpiry)})
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord

	save := widget.NewButtonWithIcon(lang.L("Save PDF"), theme.DocumentSaveIcon(), v.onSave)
	print := widget.NewButtonWithIcon(lang.L("Print"), theme.DocumentPrintIcon(), v.onPrint)
	box := container.NewVBox()
	if v.note != "" {
		note := widget.NewLabel(v.note)
		note.Wrapping = fyne.TextWrapWord
		note.Importance = widget.SuccessImportance
		box.Add(note)
	}
	box.Add(widget.NewCard(lang.L("Invoice {{.Number}}", map[string]any{"Number": inv.Number}), "", body))
	box.Add(container.NewHBox(save, print))
	return box
}

// pdfPath returns the invoice file, written again when missing. It shows
// the reason and returns false when the file cannot be had.
func (v *invoiceView) pdfPath() (string, bool) {
	path, err := v.svc.InvoicePDF(context.Background(), v.session, v.invoiceID)
	if err != nil {
		dialog.ShowInformation(lang.L("Invoice PDF unavailable"), plainMessage(err), v.win)
		return "", false
	}
	return path, true
}

func (v *invoiceView) onSave() {
	path, ok := v.pdfPath()
	if !ok {
		return
	}
	if v.saveDir != "" {
		v.saveToFolder(path)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(v.win, "save invoice", err)
			return
		}
		if w == nil {
			return
		}
		if err := copyFileTo(path, w); err != nil {
			showError(v.win, "save invoice", err)
			return
		}
		dialog.ShowInformation(lang.L("Saved"), lang.L("The invoice was saved to {{.Path}}", map[string]any{"Path": w.URI().Path()}), v.win)
	}, v.win)
	d.SetFileName(v.details.Invoice.Number + ".pdf")
	d.Show()
}

// saveToFolder copies the invoice into saveDir under its number.
func (v *invoiceView) saveToFolder(path string) {
	if err := os.MkdirAll(v.saveDir, 0o700); err != nil {
		showError(v.win, "save invoice", fmt.Errorf("create %s: %w", v.saveDir, err))
		return
	}
	target := filepath.Join(v.saveDir, v.details.Invoice.Number+".pdf")
	f, err := os.OpenFile(target, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		showError(v.win, "save invoice", fmt.Errorf("open %s: %w", target, err))
		return
	}
	if err := copyFileTo(path, f); err != nil {
		showError(v.win, "save invoice", err)
		return
	}
	dialog.ShowInformation(lang.L("Saved"), lang.L("The invoice was saved as {{.Path}}", map[string]any{"Path": target}), v.win)
}

// copyFileTo copies the file at path into w and closes w.
func copyFileTo(path string, w io.WriteCloser) error {
	f, err := os.Open(path)
	if err != nil {
		w.Close()
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		w.Close()
		return fmt.Errorf("copy invoice: %w", err)
	}
	return w.Close()
}

func (v *invoiceView) onPrint() {
	path, ok := v.pdfPath()
	if !ok {
		return
	}
	if err := v.printer(path); err != nil {
		dialog.ShowInformation(lang.L("Not printed"), plainMessage(err)+
			lang.L("\n\nThe payment is recorded. Use Save PDF and print the file from another program."), v.win)
		return
	}
	dialog.ShowInformation(lang.L("Printing"), lang.L("The invoice was sent to the default printer."), v.win)
}
