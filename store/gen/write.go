package gen

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// writeBatch writes n customers with everything they own in one
// transaction, then raises the CRF and invoice counters past the numbers
// it used, so the application never hands them out again.
func (g *generator) writeBatch(ctx context.Context, n int) error {
	return withTx(ctx, g.db, func(tx *sql.Tx) error {
		stmts, err := prepareStatements(ctx, tx)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := g.writeCustomer(ctx, tx, stmts); err != nil {
				return err
			}
		}
		return g.raiseCounters(ctx, tx)
	})
}

func (g *generator) writeCustomer(ctx context.Context, tx *sql.Tx, s *statements) error {
	crf := g.nextCRF
	g.nextCRF++
	name := givenNames[g.rng.IntN(len(givenNames))] + " " + familyNames[g.rng.IntN(len(familyNames))]
	// One mobile in twenty starts with 0, as landline-style numbers do.
	first := int64(9)
	if g.rng.IntN(20) == 0 {
		first = 0
	}
	mobile := fmt.Sprintf("%d%09d", first, g.rng.Int64N(1_000_000_000))
	street := streets[g.rng.IntN(len(streets))]
	if _, err := s.customer.ExecContext(ctx, crf, name, mobile, street, store.SearchKey(name), g.now); err != nil {
		return fmt.Errorf("insert customer %d: %w", crf, err)
	}
	g.summary.LastCRF = crf

	if err := g.writeConnection(ctx, s, crf, billing.ServiceCableTV); err != nil {
		return err
	}
	if g.rng.Float64() < g.opts.BroadbandShare {
		return g.writeConnection(ctx, s, crf, billing.ServiceBroadband)
	}
	return nil
}

// connectionPlan is the billing history chosen for one connection: the
// first paidPeriods periods are paid, the next one is partly paid when
// partial is set, and the rest are due.
type connectionPlan struct {
	plan        genPlan
	anchor      billing.Date
	paidPeriods int
	partial     bool
}

func (g *generator) choosePlan(service billing.Service) connectionPlan {
	var choices []genPlan
	for _, p := range g.plans {
		if p.service == service {
			choices = append(choices, p)
		}
	}
	first := billing.NewDate(g.opts.Year, g.opts.Month-time.Month(g.opts.Months-1), 1+g.rng.IntN(28))
	c := connectionPlan{plan: choices[g.rng.IntN(len(choices))], anchor: first, paidPeriods: g.opts.Months}
	// About six connections in ten have paid everything; the others
	// stopped paying at a random month.
	if g.rng.IntN(10) >= 6 {
		c.paidPeriods = g.rng.IntN(g.opts.Months)
		c.partial = g.rng.IntN(3) == 0
	}
	return c
}

func (g *generator) writeConnection(ctx context.Context, s *statements, crf int64, service billing.Service) error {
	c := g.choosePlan(service)
	starts := make([]billing.Date, g.opts.Months+1)
	for i := range starts {
		starts[i] = billing.NewDate(c.anchor.Year, c.anchor.Month+time.Month(i), c.anchor.Day)
	}
	expires := starts[c.paidPeriods].AddDays(-1)
	status := billing.StatusActive
	if c.paidPeriods < g.opts.Months {
		status = billing.StatusInactive
	}
	res, err := s.connection.ExecContext(ctx, crf, service, c.plan.id, fmt.Sprintf("DEV-%d-%s", crf, service),
		c.anchor.String(), c.anchor.String(), expires.String(), status, g.now)
	if err != nil {
		return fmt.Errorf("insert %s connection of customer %d: %w", service, crf, err)
	}
	connID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	g.summary.Connections++

	for i := 0; i < g.opts.Months; i++ {
		paid, state := g.periodPayment(c, i)
		start, end := starts[i], starts[i+1].AddDays(-1)
		res, err := s.period.ExecContext(ctx, connID, start.String(), end.String(), start.Year, int(start.Month),
			c.plan.price, paid, state, start.String())
		if err != nil {
			return fmt.Errorf("insert period %s of connection %d: %w", start, connID, err)
		}
		g.summary.Periods++
		if paid == 0 {
			continue
		}
		periodID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		p := payment{crf: crf, connID: connID, periodID: periodID, amount: paid, start: start, plan: c.plan.name,
			expires: expires, key: fmt.Sprintf("gen-%d-%s-%d", crf, service, i),
			reference: fmt.Sprintf("GEN%d%c%d", crf, service[0], i)}
		if err := g.writePayment(ctx, s, p); err != nil {
			return err
		}
	}
	return nil
}

// periodPayment returns what period i of c has been paid and its state.
func (g *generator) periodPayment(c connectionPlan, i int) (billing.Money, billing.PeriodState) {
	switch {
	case i < c.paidPeriods:
		return c.plan.price, billing.StatePaid
	case i == c.paidPeriods && c.partial:
		return c.plan.price / 2, billing.StatePartial
	}
	return 0, billing.StateDue
}

// payment is one generated payment that settles one period.
type payment struct {
	crf, connID, periodID int64
	amount                billing.Money
	start                 billing.Date
	plan                  string
	expires               billing.Date
	key                   string
	reference             string // used when the payment is online
}

// writePayment records a payment received within five days of the period's
// start, between 08:00 and 20:59 local time, with its allocation and
// invoice. Three payments in ten are online.
func (g *generator) writePayment(ctx context.Context, s *statements, p payment) error {
	local := p.start.Time(g.opts.Location).Add(time.Duration(g.rng.IntN(5))*24*time.Hour +
		time.Duration(8+g.rng.IntN(13))*time.Hour + time.Duration(g.rng.IntN(60))*time.Minute)
	at := local.UTC().Format(storeTimeLayout)
	mode, reference := store.ModeCash, any(nil)
	if g.rng.IntN(10) < 3 {
		mode, reference = store.ModeOnline, p.reference
	}
	res, err := s.payment.ExecContext(ctx, p.crf, p.connID, p.amount, mode, reference, at, g.adminID, p.key)
	if err != nil {
		return fmt.Errorf("insert payment %s: %w", p.key, err)
	}
	paymentID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := s.allocation.ExecContext(ctx, paymentID, p.periodID, p.amount); err != nil {
		return fmt.Errorf("allocate payment %s: %w", p.key, err)
	}

	year := local.Year()
	if _, ok := g.invoiceSeq[year]; !ok {
		var last int64
		if err := s.counter.QueryRowContext(ctx, fmt.Sprintf("invoice:%d", year)).Scan(&last); err != nil {
			return fmt.Errorf("read invoice counter of %d: %w", year, err)
		}
		g.invoiceSeq[year] = last
	}
	g.invoiceSeq[year]++
	seq := g.invoiceSeq[year]
	_, err = s.invoice.ExecContext(ctx, fmt.Sprintf("INV-%d-%06d", year, seq), year, seq, paymentID, at,
		p.amount, 0, p.expires.String(), p.plan)
	if err != nil {
		return fmt.Errorf("insert invoice of payment %s: %w", p.key, err)
	}
	g.summary.Payments++
	return nil
}

// raiseCounters stores the last CRF and invoice numbers used.
func (g *generator) raiseCounters(ctx context.Context, tx *sql.Tx) error {
	counters := map[string]int64{"crf": g.nextCRF - 1}
	for year, seq := range g.invoiceSeq {
		counters[fmt.Sprintf("invoice:%d", year)] = seq
	}
	for name, value := range counters {
		_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`, name, value)
		if err != nil {
			return fmt.Errorf("raise %s counter: %w", name, err)
		}
	}
	return nil
}
