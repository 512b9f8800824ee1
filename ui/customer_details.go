package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// customerDetailsService is what the customer details pane needs.
type customerDetailsService interface {
	customerFormService
	connectService
	Customer(ctx context.Context, sess service.Session, crf int64) (store.Customer, error)
	Connections(ctx context.Context, sess service.Session, crf int64) ([]store.Connection, error)
	CustomerDashboard(ctx context.Context, sess service.Session, crf int64) (service.CustomerDashboard, error)
	settingsReader
	ArchiveCustomer(ctx context.Context, sess service.Session, crf int64) error
	Disconnect(ctx context.Context, sess service.Session, connectionID int64) error
	Reconnect(ctx context.Context, sess service.Session, connectionID int64) error
}

// customerDetails is the pane beside the customers table: the selected
// customer's record, services and actions.
type customerDetails struct {
	svc       customerDetailsService
	session   service.Session
	win       fyne.Window
	onChanged func()

	box      *fyne.Container
	customer store.Customer
	dues     map[int64]store.ServiceOverview
	symbol   string
}

func newCustomerDetails(svc customerDetailsService, sess service.Session, win fyne.Window, onChanged func()) *customerDetails {
	return &customerDetails{svc: svc, session: sess, win: win, onChanged: onChanged}
}

func (d *customerDetails) buildUI() fyne.CanvasObject {
	d.box = container.NewVBox(widget.NewLabel(lang.L("Select a customer to see the details.")))
	return container.NewVScroll(d.box)
}

// show loads and displays one customer.
func (d *customerDetails) show(crf int64) {
	ctx := context.Background()
	c, err := d.svc.Customer(ctx, d.session, crf)
	if err != nil {
		showError(d.win, "load customer", err)
		return
	}
	conns, err := d.svc.Connections(ctx, d.session, crf)
	if err != nil {
		showError(d.win, "load services", err)
		return
	}
	overview, err := d.svc.CustomerDashboard(ctx, d.session, crf)
	if err != nil {
		showError(d.win, "load amounts due", err)
		return
	}
	d.dues = map[int64]store.ServiceOverview{}
	for _, o := range overview.Services {
		d.dues[o.ConnectionID] = o
	}
	d.symbol = d.svc.CurrencySymbol(ctx)
	d.customer = c
	d.box.Objects = []fyne.CanvasObject{
		screenTitle(lang.L("{{.Name}} (CRF {{.CRF}})", map[string]any{"Name": c.Name, "CRF": c.CRF})),
		customerInfo(c),
		d.actions(c),
		widget.NewSeparator(),
		screenTitle(lang.L("Services")),
	}
	for _, conn := range conns {
		d.box.Add(d.connectionCard(conn))
	}
	if len(conns) == 0 {
		d.box.Add(widget.NewLabel(lang.L("No service yet.")))
	}
	d.box.Refresh()
}

func customerInfo(c store.Customer) fyne.CanvasObject {
	lines := []string{"Mobile: " + c.Mobile}
	if c.Email != "" {
		lines = append(lines, "Email: "+c.Email)
	}
	if addr := c.AddressLines(); len(addr) > 0 {
		lines = append(lines, "Address: "+strings.Join(addr, ", "))
	}
	if c.IDProofType != "" {
		lines = append(lines, lang.L("ID proof: {{.IDProofType}} {{.IDProofNumber}}", map[string]any{"IDProofType": c.IDProofType, "IDProofNumber": c.IDProofNumber}))
	}
	if c.DateOfBirth != "" {
		lines = append(lines, "Date of birth: "+c.DateOfBirth)
	}
	lines = append(lines, "Customer since: "+c.CreatedAt.Local().Format("02 Jan 2006"))
	if c.Archived() {
		lines = append(lines, "Removed on: "+c.ArchivedAt.Local().Format("02 Jan 2006"))
	}
	if c.Notes != "" {
		lines = append(lines, "Notes: "+c.Notes)
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (d *customerDetails) actions(c store.Customer) fyne.CanvasObject {
	if c.Archived() {
		return widget.NewLabel(lang.L("This customer was removed; history and invoices are kept."))
	}
	edit := widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() {
		showCustomerForm(d.svc, d.session, d.win, &d.customer, func(int64) {
			d.show(c.CRF)
			d.onChanged()
		})
	})
	connect := widget.NewButtonWithIcon(lang.L("Connect service"), theme.ContentAddIcon(), func() {
		showConnectForm(d.svc, d.session, d.win, c.CRF, func() { d.show(c.CRF) })
	})
	remove := widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), d.onRemove)
	remove.Importance = widget.DangerImportance
	return container.NewHBox(edit, connect, remove)
}

func (d *customerDetails) onRemove() {
	c := d.customer
	msg := fmt.Sprintf("Remove %s (CRF %d)? The login is disabled and services are disconnected. "+
		"Payment history and invoices are kept.", c.Name, c.CRF)
	dialog.ShowConfirm(lang.L("Remove customer"), msg, func(ok bool) {
		if !ok {
			return
		}
		err := d.svc.ArchiveCustomer(context.Background(), d.session, c.CRF)
		if errors.Is(err, store.ErrCustomerOwes) {
			dialog.ShowInformation(lang.L("Cannot remove"), lang.L("{{.Name}} still owes money. Collect or waive the amount due first.", map[string]any{"Name": c.Name}), d.win)
			return
		}
		if err != nil {
			showError(d.win, "remove customer", err)
			return
		}
		d.show(c.CRF)
		d.onChanged()
	}, d.win)
}

func (d *customerDetails) connectionCard(c store.Connection) fyne.CanvasObject {
	due := d.dues[c.ID]
	pending := "none"
	if len(due.MonthsPending) > 0 {
		pending = strings.Join(due.MonthsPending, ", ")
	}
	info := widget.NewLabel(fmt.Sprintf("Plan: %s (%s a month)\nDevice: %s\nActivated: %s\nValid until: %s\n"+
		"Amount due: %s\nMonths pending: %s",
		c.PlanName, c.PlanPrice.Format(d.symbol), orDash(c.DeviceID), formatDate(c.AnchorOn), formatDate(c.ExpiresOn),
		due.AmountDue.Format(d.symbol), pending))
	info.Wrapping = fyne.TextWrapWord
	var action *widget.Button
	switch c.Status {
	case billing.StatusDisconnected, billing.StatusSuspended:
		action = widget.NewButtonWithIcon(lang.L("Reconnect"), theme.MediaPlayIcon(), func() {
			d.runConnectionAction(lang.L("reconnect"), func() error {
				return d.svc.Reconnect(context.Background(), d.session, c.ID)
			})
		})
	default:
		action = widget.NewButtonWithIcon(lang.L("Disconnect"), theme.MediaStopIcon(), func() {
			dialog.ShowConfirm(lang.L("Disconnect"), lang.L("Disconnect {{.Service}} for {{.Name}}? No new month is billed until it is reconnected.", map[string]any{"Service": serviceLabel(c.Service), "Name": d.customer.Name}), func(ok bool) {
				if ok {
					d.runConnectionAction(lang.L("disconnect"), func() error {
						return d.svc.Disconnect(context.Background(), d.session, c.ID)
					})
				}
			}, d.win)
		})
	}
	if d.customer.Archived() {
		action.Disable()
	}
	title := widget.NewLabelWithStyle(fmt.Sprintf("%s: %s", serviceLabel(c.Service), statusLabel(c.Status)),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(title, info, container.NewHBox(action), widget.NewSeparator())
}

func (d *customerDetails) runConnectionAction(what string, run func() error) {
	if err := run(); err != nil {
		if errors.Is(err, store.ErrConnectionOwes) {
			dialog.ShowInformation("Cannot "+what, lang.L("The connection still has an amount due. Collect or waive it first."), d.win)
			return
		}
		showError(d.win, what, err)
		return
	}
	d.show(d.customer.CRF)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
