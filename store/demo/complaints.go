package demo

import (
	"context"
	"fmt"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// demoComplaint is one complaint of the demo office, raised some days
// before the last day and left in the given state.
type demoComplaint struct {
	daysAgo  int
	category store.ComplaintCategory
	text     string
	state    store.ComplaintStatus
	note     string
}

var demoComplaints = []demoComplaint{
	{40, store.CategoryNoSignal, "No signal on any channel since last night after the storm.", store.ComplaintResolved, "Replaced the damaged line amplifier on the street; signal restored."},
	{25, store.CategoryBilling, "I paid in cash on the 5th but the app still shows the month as due.", store.ComplaintResolved, "The payment was entered against the wrong service; corrected and invoice reissued."},
	{18, store.CategorySetTopBox, "Set-top box restarts by itself every few minutes.", store.ComplaintResolved, "Swapped the set-top box; the old one had a failing power adapter."},
	{12, store.CategorySlowSpeed, "Speed drops below 5 Mbps every evening between 8 and 11.", store.ComplaintInProgress, ""},
	{9, store.CategoryBroadbandDown, "Internet down since the morning, router shows a red light.", store.ComplaintResolved, "Fibre cut near the junction box repaired."},
	{6, store.CategoryNoSignal, "Three regional channels show 'no signal' since yesterday.", store.ComplaintInProgress, ""},
	{4, store.CategoryOther, "Please move the cable point from the hall to the bedroom.", store.ComplaintOpen, ""},
	{3, store.CategorySetTopBox, "Remote control does not work even with new batteries.", store.ComplaintOpen, ""},
	{2, store.CategoryBilling, "Charged for the sports pack I never asked for.", store.ComplaintOpen, ""},
	{1, store.CategorySlowSpeed, "Video calls keep freezing since the plan change.", store.ComplaintOpen, ""},
	{0, store.CategoryBroadbandDown, "No internet at all since 9 am today.", store.ComplaintOpen, ""},
}

// raiseComplaints adds the demo complaints on behalf of customers with the
// right service, each on its own day.
func (g *generator) raiseComplaints(ctx context.Context, members []*member) error {
	if len(members) == 0 {
		return nil
	}
	for i, c := range demoComplaints {
		day := g.opts.Today.AddDays(-c.daysAgo)
		sv := billing.ServiceCableTV
		if c.category == store.CategorySlowSpeed || c.category == store.CategoryBroadbandDown {
			sv = billing.ServiceBroadband
		}
		m := g.memberWith(members, sv, i)
		if m == nil {
			continue
		}
		g.clock.set(day)
		res, err := g.svc.RaiseComplaint(ctx, g.admin, service.ComplaintInput{CRF: m.crf, Service: sv,
			Category: c.category, Description: c.text})
		if err != nil {
			return fmt.Errorf("demo complaint for %d: %w", m.crf, err)
		}
		if err := g.settleComplaint(ctx, res.Complaint.ID, c); err != nil {
			return err
		}
	}
	g.clock.set(g.opts.Today)
	return nil
}

func (g *generator) settleComplaint(ctx context.Context, id int64, c demoComplaint) error {
	switch c.state {
	case store.ComplaintInProgress:
		_, err := g.svc.MarkComplaintInProgress(ctx, g.admin, id)
		return err
	case store.ComplaintResolved:
		g.clock.set(g.opts.Today.AddDays(-c.daysAgo + 1))
		_, err := g.svc.ResolveComplaint(ctx, g.admin, id, c.note)
		return err
	}
	return nil
}

// memberWith returns a member that has service sv, picked by step so the
// complaints spread over different customers.
func (g *generator) memberWith(members []*member, sv billing.Service, step int) *member {
	start := (step * 37) % len(members)
	for i := range members {
		m := members[(start+i)%len(members)]
		for _, s := range m.services {
			if s == sv {
				return m
			}
		}
	}
	return nil
}
