package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store/service"
)

// customerDashboardService lists the service methods that the customer's
// dashboard uses.
type customerDashboardService interface {
	CustomerDashboard(ctx context.Context, sess service.Session, crf int64) (service.CustomerDashboard, error)
	settingsReader
}

// customerDashboardScreen shows a customer each service's status, plan,
// expiry date, amount due and months pending.
type customerDashboardScreen struct {
	svc     customerDashboardService
	session service.Session
	// onPay opens the payment screen, or is nil where paying is not offered.
	onPay func()
}

func newCustomerDashboardScreen(svc customerDashboardService, sess service.Session, onPay func()) *customerDashboardScreen {
	return &customerDashboardScreen{svc: svc, session: sess, onPay: onPay}
}

func (s *customerDashboardScreen) buildUI() fyne.CanvasObject {
	ctx := context.Background()
	d, err := s.svc.CustomerDashboard(ctx, s.session, s.session.CRF)
	if err != nil {
		return errorPage(lang.L("Your account could not be loaded"), err)
	}
	symbol := s.svc.CurrencySymbol(ctx)
	box := container.NewVBox(screenTitle(lang.L("Welcome, {{.Name}}", map[string]any{"Name": d.Customer.Name})))
	cards := container.NewGridWithColumns(2)
	for _, sv := range d.Services {
		pending := lang.L("None")
		if len(sv.MonthsPending) > 0 {
			pending = monthsLabel(sv.MonthsPending)
		}
		body := widget.NewLabel(lang.L("Status: {{.Status}}\nPlan: {{.Plan}}\nValid until: {{.Expiry}}\nAmount due: {{.Due}}\nMonths pending: {{.Months}}",
			map[string]any{"Status": statusLabel(sv.Status), "Plan": sv.PlanName, "Expiry": formatDate(sv.ExpiresOn),
				"Due": sv.AmountDue.Format(symbol), "Months": pending}))
		body.Wrapping = fyne.TextWrapWord
		content := container.NewVBox(body)
		if sv.AmountDue > 0 && s.onPay != nil {
			pay := widget.NewButton(lang.L("Pay now"), s.onPay)
			pay.Importance = widget.HighImportance
			content.Add(pay)
		}
		cards.Add(widget.NewCard(serviceLabel(sv.Service), "", content))
	}
	box.Add(cards)
	if len(d.Services) == 0 {
		box.Add(widget.NewLabel(lang.L("You have no service yet. Please ask at the office.")))
	}
	return padded(container.NewVScroll(box))
}
