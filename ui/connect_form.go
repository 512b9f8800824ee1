package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// connectService lists the service methods that the connect-service form uses.
type connectService interface {
	ListPlans(ctx context.Context, sess service.Session, includeInactive bool) ([]store.Plan, error)
	Connect(ctx context.Context, sess service.Session, crf int64, in service.ConnectInput) (int64, error)
}

// connectForm adds a cable TV or broadband service to a customer.
type connectForm struct {
	service   *widget.RadioGroup
	plan      *widget.Select
	device    *entry
	activated *entry
	plans     []store.Plan
	dialog    *formDialog
}

func showConnectForm(svc connectService, sess service.Session, win fyne.Window, crf int64, onSaved func()) *connectForm {
	plans, err := svc.ListPlans(context.Background(), sess, false)
	if err != nil {
		showError(win, "load plans", err)
		return nil
	}
	f := &connectForm{plans: plans}
	f.plan = widget.NewSelect(nil, nil)
	f.plan.PlaceHolder = lang.L("Choose a plan")
	f.service = widget.NewRadioGroup([]string{serviceLabel(billing.ServiceCableTV), serviceLabel(billing.ServiceBroadband)}, func(string) { f.onServiceChanged() })
	f.service.Horizontal = true
	f.device = newEntry()
	f.activated = newEntry()
	f.activated.SetPlaceHolder(lang.L("YYYY-MM-DD, empty for today"))
	validateAsTyped(service.CheckDate, f.activated)

	f.dialog = newFormDialog(lang.L("Connect a service for CRF {{.Crf}}", map[string]any{"Crf": crf}), lang.L("Connect"), lang.L("connect service"), win, func() error {
		_, err := svc.Connect(context.Background(), sess, crf, f.input())
		if err == nil {
			onSaved()
		}
		return err
	})
	fields := f.dialog.fields
	fields.add("service", "Service", f.service, "")
	fields.add("plan", "Plan", f.plan, "")
	fields.add("device_id", "Device id", f.device, "Set-top box number, or ISP username / router MAC")
	fields.add("activated_on", "Activation date", f.activated, "The first month is billed from this day")
	f.service.SetSelected(serviceLabel(billing.ServiceCableTV))
	f.dialog.show(fyne.NewSize(520, 400))
	return f
}

func (f *connectForm) selectedService() billing.Service {
	if f.service.Selected == serviceLabel(billing.ServiceBroadband) {
		return billing.ServiceBroadband
	}
	return billing.ServiceCableTV
}

func (f *connectForm) onServiceChanged() {
	var options []string
	for _, p := range f.plans {
		if p.Service == f.selectedService() {
			options = append(options, planOption(p))
		}
	}
	f.plan.Options = options
	f.plan.ClearSelected()
	f.plan.Refresh()
}

func planOption(p store.Plan) string {
	return fmt.Sprintf("%s — %s", p.Name, p.Price.Plain())
}

func (f *connectForm) input() service.ConnectInput {
	in := service.ConnectInput{Service: f.selectedService(), DeviceID: f.device.Text, ActivatedOn: f.activated.Text}
	for _, p := range f.plans {
		if p.Service == in.Service && planOption(p) == f.plan.Selected {
			in.PlanID = p.ID
		}
	}
	return in
}
