package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// dashboardService lists the service methods that the admin dashboard uses.
type dashboardService interface {
	AdminDashboard(ctx context.Context, sess service.Session) (service.AdminDashboard, error)
	settingsReader
}

// settingsReader reads the settings for the currency symbol.
type settingsReader interface {
	CurrencySymbol(ctx context.Context) string
}

// dashboardScreen shows the office's figures at a glance.
type dashboardScreen struct {
	svc     dashboardService
	session service.Session
	win     fyne.Window
	data    service.AdminDashboard
	symbol  string
}

func newDashboardScreen(svc dashboardService, sess service.Session, win fyne.Window) *dashboardScreen {
	return &dashboardScreen{svc: svc, session: sess, win: win}
}

func (s *dashboardScreen) buildUI() fyne.CanvasObject {
	d, err := s.svc.AdminDashboard(context.Background(), s.session)
	if err != nil {
		return errorPage(lang.L("The dashboard could not be loaded"), err)
	}
	s.data = d
	s.symbol = s.svc.CurrencySymbol(context.Background())

	title := screenTitle(lang.L("Dashboard — {{.Date}}", map[string]any{"Date": formatDate(d.Today)}))
	statuses := container.NewGridWithColumns(2,
		s.statusCard(billing.ServiceCableTV), s.statusCard(billing.ServiceBroadband))
	money := container.NewGridWithColumns(4,
		figureCard(lang.L("Received this month"), s.received()),
		figureCard(lang.L("Pending this month"), s.perService(d.PendingThisMonth)),
		figureCard(lang.L("Total outstanding"), s.perService(d.Outstanding)),
		figureCard(lang.L("Today"), lang.L("Renewals today: {{.Renewals}}\nOpen complaints: {{.Open}}\nUnread complaints: {{.Unread}}",
			map[string]any{"Renewals": d.RenewalsToday, "Open": d.Complaints.Open, "Unread": d.Complaints.Unread})),
	)
	chart := widget.NewCard(lang.L("Collections, last 12 months"), "",
		container.NewBorder(nil, legend(), nil, nil, newCollectionChart(d.Collections, s.symbol)))
	return padded(container.NewVScroll(container.NewVBox(title, statuses, money, chart)))
}

func (s *dashboardScreen) statusCard(sv billing.Service) fyne.CanvasObject {
	c := s.data.Statuses[sv]
	grid := container.NewGridWithColumns(4,
		bigFigure(statusLabel(billing.StatusActive), c.Active), bigFigure(statusLabel(billing.StatusInactive), c.Inactive),
		bigFigure(statusLabel(billing.StatusSuspended), c.Suspended), bigFigure(statusLabel(billing.StatusDisconnected), c.Disconnected))
	return widget.NewCard(serviceLabel(sv), "", grid)
}

func bigFigure(label string, n int) fyne.CanvasObject {
	value := widget.NewLabelWithStyle(fmt.Sprint(n), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	value.SizeName = theme.SizeNameHeadingText
	return container.NewVBox(value, widget.NewLabelWithStyle(label, fyne.TextAlignCenter, fyne.TextStyle{}))
}

func figureCard(title, body string) fyne.CanvasObject {
	return widget.NewCard("", title, widget.NewLabel(body))
}

func (s *dashboardScreen) received() string {
	var total billing.Money
	text := ""
	for _, sv := range billing.Services {
		c := s.data.ReceivedThisMonth[sv]
		total += c.Amount
		text += fmt.Sprintf("%s: %s (%d)\n", serviceLabel(sv), c.Amount.Format(s.symbol), c.Count)
	}
	return text + lang.L("Total: {{.Amount}}", map[string]any{"Amount": total.Format(s.symbol)})
}

func (s *dashboardScreen) perService(a store.ServiceAmounts) string {
	text := ""
	for _, sv := range billing.Services {
		text += fmt.Sprintf("%s: %s\n", serviceLabel(sv), a[sv].Format(s.symbol))
	}
	return text + lang.L("Total: {{.Amount}}", map[string]any{"Amount": a.Total().Format(s.symbol)})
}
