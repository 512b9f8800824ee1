package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// habit is a demo customer's way of paying.
type habit int

const (
	payOnTime  habit = iota // pays each month within a few days
	payLate                 // pays weeks late, sometimes two months at once
	payPartly               // pays part of the month now and then
	payStopped              // stops paying at some point and gets suspended
)

// member is a demo customer waiting for, or past, activation.
type member struct {
	params    store.CustomerParams
	activated billing.Date
	services  []billing.Service
	habit     habit
	stopAfter billing.Date
	crf       int64
	userID    int64
	conns     []int64
}

func (g *generator) simulate(ctx context.Context) error {
	first := g.opts.Today.AddDays(-760)
	members := g.members(first)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	g.svc = service.New(g.st, service.Options{Clock: g.clock, Location: g.opts.Location, Logger: quiet})

	total := first.DaysUntil(g.opts.Today) + 1
	next := 0
	for i := 0; i < total; i++ {
		day := first.AddDays(i)
		g.clock.set(day)
		for next < len(members) && !members[next].activated.After(day) {
			if err := g.join(ctx, members[next]); err != nil {
				return err
			}
			next++
		}
		if err := g.svc.RunBillingJobs(ctx); err != nil {
			return fmt.Errorf("demo billing on %s: %w", day, err)
		}
		if err := g.payDay(ctx, day, members[:next]); err != nil {
			return err
		}
		if g.opts.Progress != nil {
			g.opts.Progress(i+1, total)
		}
	}
	return g.raiseComplaints(ctx, members)
}

// members draws the customers, sorted by activation day.
func (g *generator) members(first billing.Date) []*member {
	span := first.DaysUntil(g.opts.Today) - 30
	list := make([]*member, g.opts.Customers)
	days := make([]int, len(list))
	for i := range days {
		days[i] = g.rng.IntN(span) + 30
	}
	sortInts(days)
	for i := range list {
		m := &member{params: g.person(), activated: first.AddDays(days[i])}
		switch r := g.rng.IntN(100); {
		case r < 55:
			m.services = []billing.Service{billing.ServiceCableTV}
		case r < 80:
			m.services = []billing.Service{billing.ServiceBroadband}
		default:
			m.services = []billing.Service{billing.ServiceCableTV, billing.ServiceBroadband}
		}
		switch r := g.rng.IntN(100); {
		case r < 62:
			m.habit = payOnTime
		case r < 80:
			m.habit = payLate
		case r < 90:
			m.habit = payPartly
		default:
			m.habit = payStopped
			m.stopAfter = m.activated.AddDays(g.rng.IntN(max(1, m.activated.DaysUntil(g.opts.Today))))
		}
		list[i] = m
	}
	return list
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func (g *generator) person() store.CustomerParams {
	first := firstNames[g.rng.IntN(len(firstNames))]
	last := lastNames[g.rng.IntN(len(lastNames))]
	proof := idProofs[g.rng.IntN(len(idProofs))]
	p := store.CustomerParams{
		Name:        first + " " + last,
		Mobile:      fmt.Sprintf("9%d%08d", 7+g.rng.IntN(3), g.rng.IntN(100000000)),
		House:       fmt.Sprintf("%d", 1+g.rng.IntN(240)),
		Street:      streets[g.rng.IntN(len(streets))],
		City:        "Pune",
		State:       "Maharashtra",
		PostalCode:  fmt.Sprintf("4110%02d", 1+g.rng.IntN(60)),
		IDProofType: proof,
	}
	if proof != "" {
		p.IDProofNumber = fmt.Sprintf("%04d %04d %04d", g.rng.IntN(10000), g.rng.IntN(10000), g.rng.IntN(10000))
	}
	if g.rng.IntN(100) < 80 {
		p.Email = strings.ToLower(fmt.Sprintf("%s.%s%d@example.com", asciiOnly(first), asciiOnly(last), g.rng.IntN(100)))
	}
	return p
}

// asciiOnly folds a name to the ASCII letters usable in a demo address.
func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range store.SearchKey(s) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
}

// join creates a member's customer record and connections on their
// activation day.
func (g *generator) join(ctx context.Context, m *member) error {
	now := g.clock.Now()
	for attempt := 0; ; attempt++ {
		crf, err := g.st.CreateCustomer(ctx, store.CreateCustomerParams{Customer: m.params,
			PasswordHash: g.hash, Actor: AdminUsername, Now: now})
		if err == nil {
			m.crf = crf
			break
		}
		if attempt > 5 {
			return fmt.Errorf("demo customer %s: %w", m.params.Name, err)
		}
		m.params.Mobile = fmt.Sprintf("9%d%08d", 7+g.rng.IntN(3), g.rng.IntN(100000000))
	}
	u, err := g.st.UserByCRF(ctx, m.crf)
	if err != nil {
		return err
	}
	m.userID = u.ID
	if g.summary.FirstCRF == 0 {
		g.summary.FirstCRF = m.crf
	}
	g.summary.LastCRF = m.crf
	for _, sv := range m.services {
		id, err := g.svc.Connect(ctx, g.admin, m.crf, service.ConnectInput{Service: sv,
			PlanID: g.planFor(sv), DeviceID: g.deviceID(sv, m.crf), ActivatedOn: m.activated.String()})
		if err != nil {
			return fmt.Errorf("demo connection for %d: %w", m.crf, err)
		}
		m.conns = append(m.conns, id)
		g.summary.Connections++
	}
	return nil
}

func (g *generator) planFor(sv billing.Service) int64 {
	var options []*plan
	for _, p := range plans {
		if p.service == sv {
			options = append(options, p)
		}
	}
	return options[g.rng.IntN(len(options))].id
}

func (g *generator) deviceID(sv billing.Service, crf int64) string {
	if sv == billing.ServiceCableTV {
		return fmt.Sprintf("STB%08d", 40000000+crf*7)
	}
	return fmt.Sprintf("sunrise_%d", crf)
}

// payDay records the payments the members make on day. Each member pays
// on a fixed offset after their period starts, following their habit, so
// only a few connections are looked at on any day.
func (g *generator) payDay(ctx context.Context, day billing.Date, members []*member) error {
	for _, m := range members {
		if m.habit == payStopped && day.After(m.stopAfter) {
			continue
		}
		k, ok := billing.PeriodIndexOn(m.activated, day)
		if !ok {
			continue
		}
		if !m.paysOn(k, billing.PeriodStart(m.activated, k).DaysUntil(day)) {
			continue
		}
		for i, sv := range m.services {
			if err := g.pay(ctx, m, sv, m.conns[i], day); err != nil {
				return err
			}
		}
	}
	return nil
}

// paysOn reports whether a member pays on the given day of period k.
func (m *member) paysOn(k, dayInPeriod int) bool {
	switch m.habit {
	case payLate:
		return k%2 == 1 && dayInPeriod == 20+int(m.crf%9)
	case payPartly:
		return dayInPeriod == 3
	}
	return dayInPeriod == int(m.crf%5)
}

// pay records what a member pays for one connection: the whole amount due,
// or for partial payers about half of it.
func (g *generator) pay(ctx context.Context, m *member, sv billing.Service, connID int64, day billing.Date) error {
	open, err := g.st.OpenPeriods(ctx, connID)
	if err != nil {
		return err
	}
	var due billing.Money
	for _, p := range open {
		due += p.Due()
	}
	if due == 0 {
		return nil
	}
	amount := due
	if m.habit == payPartly && g.rng.IntN(3) > 0 {
		amount = max(min(due, 25000), due/200*100)
	}
	clk := store.JobClock{Now: g.clock.Now().Add(time.Duration(g.rng.IntN(600)) * time.Minute),
		Today: day, GraceDays: billing.DefaultGraceDays}
	p := store.RecordPaymentParams{CRF: m.crf, Service: sv, Amount: amount, Mode: store.ModeCash,
		RequestKey: fmt.Sprintf("demo-%d-%d-%s", m.crf, connID, day), ReceivedBy: g.admin.UserID,
		Clock: clk, Actor: AdminUsername}
	if g.rng.IntN(100) < 30 {
		p.Mode = store.ModeOnline
		g.references++
		p.Reference = fmt.Sprintf("UPI%02d%08d", 31+g.rng.IntN(60), g.references)
		p.ReceivedBy = m.userID
		p.Actor = strconv.FormatInt(m.crf, 10)
	}
	if _, err := g.st.RecordPayment(ctx, p); err != nil {
		return fmt.Errorf("demo payment of %d on %s: %w", m.crf, day, err)
	}
	return nil
}
