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

// customerDetailsService lists the service methods that the customer details pane uses.
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
	lines := []string{lang.L("Mobile: {{.Mobile}}", map[string]any{"Mobile": c.Mobile})}
	if c.Email != "" {
		lines = append(lines, lang.L("Email: {{.Email}}", map[string]any{"Email": c.Email}))
	}
	if addr := c.AddressLines(); len(addr) > 0 {
		lines = append(lines, lang.L("Address: {{.Address}}", map[string]any{"Address": strings.Join(addr, ", ")}))
	}
	if c.IDProofType != "" {
		lines = append(lines, lang.L("ID proof: {{.Type}} {{.Number}}",
			map[string]any{"Type": c.IDProofType, "Number": c.IDProofNumber}))
	}
	if c.DateOfBirth != "" {
		lines = append(lines, lang.L("Date of birth: {{.Date}}", map[string]any{"Date": c.DateOfBirth}))
	}
	lines = append(lines, lang.L("Customer since: {{.Date}}",
		map[string]any{"Date": formatWithMonth(c.CreatedAt.Local(), "02 Jan 2006")}))
	if c.Archived() {
		lines = append(lines, lang.L("Removed on: {{.Date}}",
			map[string]any{"Date": formatWithMonth(c.ArchivedAt.Local(), "02 Jan 2006")}))
	}
	if c.Notes != "" {
		lines = append(lines, lang.L("Notes: {{.Notes}}", map[string]any{"Notes": c.Notes}))
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
	msg := lang.L("Remove {{.Name}} (CRF {{.CRF}})? The login is disabled and services are disconnected. "+
		"Payment history and invoices are kept.", map[string]any{"Name": c.Name, "CRF": c.CRF})
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
	info := widget.NewLabel(lang.L("Plan: {{.Plan}} ({{.Price}} a month)\nDevice: {{.Device}}\nActivated: {{.Activated}}\n"+
		"Valid until: {{.Expiry}}\nAmount due: {{.Due}}\nMonths pending: {{.Pending}}",
		map[string]any{"Plan": c.PlanName, "Price": c.PlanPrice.Format(d.symbol), "Device": orDash(c.DeviceID),
			"Activated": formatDate(c.AnchorOn), "Expiry": expiryLabel(c),
			"Due": due.AmountDue.Format(d.symbol), "Pending": pendingLabel(due.MonthsPending)}))
	info.Wrapping = fyne.TextWrapWord
	var action *widget.Button
	switch c.Status {
	case billing.StatusDisconnected, billing.StatusSuspended:
		action = widget.NewButtonWithIcon(lang.L("Reconnect"), theme.MediaPlayIcon(), func() {
			d.runConnectionAction(lang.L("Cannot reconnect"), func() error {
				return d.svc.Reconnect(context.Background(), d.session, c.ID)
			})
		})
	default:
		action = widget.NewButtonWithIcon(lang.L("Disconnect"), theme.MediaStopIcon(), func() {
			dialog.ShowConfirm(lang.L("Disconnect"), lang.L("Disconnect {{.Service}} for {{.Name}}? No new month is billed until it is reconnected.", map[string]any{"Service": serviceLabel(c.Service), "Name": d.customer.Name}), func(ok bool) {
				if ok {
					d.runConnectionAction(lang.L("Cannot disconnect"), func() error {
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

// runConnectionAction runs a reconnect or disconnect, explaining a
// refusal under failedTitle.
func (d *customerDetails) runConnectionAction(failedTitle string, run func() error) {
	if err := run(); err != nil {
		if errors.Is(err, store.ErrConnectionOwes) {
			dialog.ShowInformation(failedTitle, lang.L("The connection still has an amount due. Collect or waive it first."), d.win)
			return
		}
		showError(d.win, failedTitle, err)
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
