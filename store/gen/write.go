package gen

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// writeBatch writes n customers with everything they own in one
// transaction, then raises the CRF, invoice and complaint counters past
// the numbers it used, so the application never hands them out again.
func (g *generator) writeBatch(ctx context.Context, n int) error {
	return withTx(ctx, g.db, func(tx *sql.Tx) error {
		w, err := newWriters(ctx, tx)
		if err != nil {
			return err
		}
		b := &batch{generator: g, tx: tx, w: w}
		for i := 0; i < n; i++ {
			if err := b.writeCustomer(ctx); err != nil {
				return err
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		return g.raiseCounters(ctx, tx)
	})
}

// batch is the generator inside one transaction.
type batch struct {
	*generator
	tx *sql.Tx
	w  *writers
}

// customer is the state of one generated customer that its later rows
// read.
type customer struct {
	crf   int64
	name  string
	email string
	owes  bool
}

func (b *batch) writeCustomer(ctx context.Context) error {
	c := customer{crf: b.nextCRF}
	b.nextCRF++
	c.name = givenNames[b.rng.IntN(len(givenNames))] + " " + familyNames[b.rng.IntN(len(familyNames))]
	// One mobile in twenty starts with 0, as landline-style numbers do.
	first := int64(9)
	if b.rng.IntN(20) == 0 {
		first = 0
	}
	mobile := fmt.Sprintf("%d%09d", first, b.rng.Int64N(1_000_000_000))
	if b.rng.Float64() < b.opts.EmailShare {
		c.email = fmt.Sprintf("c%d@example.com", c.crf)
	}
	street := streets[b.rng.IntN(len(streets))]
	err := b.w.customer.add(ctx, c.crf, c.name, mobile, c.email, street, "Pune", store.SearchKey(c.name), b.now)
	if err != nil {
		return fmt.Errorf("insert customer %d: %w", c.crf, err)
	}
	b.summary.LastCRF = c.crf

	if err := b.writeConnection(ctx, &c, billing.ServiceCableTV); err != nil {
		return err
	}
	if b.rng.Float64() < b.opts.BroadbandShare {
		if err := b.writeConnection(ctx, &c, billing.ServiceBroadband); err != nil {
			return err
		}
	}
	if c.owes && c.email != "" && b.rng.IntN(3) == 0 {
		if err := b.writeReminderEmail(ctx, c); err != nil {
			return err
		}
	}
	if b.rng.Float64() < b.opts.ComplaintShare {
		return b.writeComplaint(ctx, c)
	}
	return nil
}

// dueBeforeSkip is how many periods after the last paid one are billed as
// due. Later ones start while the connection is suspended, more than the
// default 60 grace days after its expiry, so billing skips them.
const dueBeforeSkip = 2

// connectionPlan is the billing history chosen for one connection: the
// first paidPeriods periods are paid, the next one is partly paid when
// partial is set, the next dueBeforeSkip are due and the rest skipped.
type connectionPlan struct {
	plan        genPlan
	anchor      billing.Date
	paidPeriods int
	partial     bool
}

func (b *batch) choosePlan(service billing.Service) connectionPlan {
	var choices []genPlan
	for _, p := range b.plans {
		if p.service == service {
			choices = append(choices, p)
		}
	}
	first := billing.NewDate(b.opts.Year, b.opts.Month-time.Month(b.opts.Months-1), 1+b.rng.IntN(28))
	c := connectionPlan{plan: choices[b.rng.IntN(len(choices))], anchor: first, paidPeriods: b.opts.Months}
	// About six connections in ten have paid everything; the others
	// stopped paying at a random month.
	if b.rng.IntN(10) >= 6 {
		c.paidPeriods = b.rng.IntN(b.opts.Months)
		c.partial = b.rng.IntN(3) == 0
	}
	return c
}

// status returns the connection status after the last generated month:
// active when everything is paid, inactive within the periods still billed
// and suspended after them.
func (c connectionPlan) status(months int) billing.Status {
	switch unpaid := months - c.paidPeriods; {
	case unpaid == 0:
		return billing.StatusActive
	case unpaid <= dueBeforeSkip:
		return billing.StatusInactive
	}
	return billing.StatusSuspended
}

func (b *batch) writeConnection(ctx context.Context, cu *customer, service billing.Service) error {
	c := b.choosePlan(service)
	starts := make([]billing.Date, b.opts.Months+1)
	for i := range starts {
		starts[i] = billing.NewDate(c.anchor.Year, c.anchor.Month+time.Month(i), c.anchor.Day)
	}
	expires := starts[c.paidPeriods].AddDays(-1)
	connID := b.next.connection
	b.next.connection++
	err := b.w.connection.add(ctx, connID, cu.crf, string(service), c.plan.id,
		"DEV-"+strconv.FormatInt(cu.crf, 10)+"-"+string(service), c.anchor.String(), c.anchor.String(),
		expires.String(), string(c.status(b.opts.Months)), b.now)
	if err != nil {
		return fmt.Errorf("insert %s connection of customer %d: %w", service, cu.crf, err)
	}
	b.summary.Connections++

	for i := 0; i < b.opts.Months; i++ {
		amount, paid, state := b.periodPayment(c, i)
		if state.Open() {
			cu.owes = true
		}
		start, end := starts[i], starts[i+1].AddDays(-1)
		periodID := b.next.period
		b.next.period++
		err := b.w.period.add(ctx, periodID, connID, start.String(), end.String(), start.Year, int(start.Month),
			amount, paid, string(state), start.String())
		if err != nil {
			return fmt.Errorf("insert period %s of connection %d: %w", start, connID, err)
		}
		b.summary.Periods++
		if paid == 0 {
			continue
		}
		p := payment{customer: cu, connID: connID, periodID: periodID, amount: paid, start: start,
			plan: c.plan.name, expires: expires,
			key:       fmt.Sprintf("gen-%d-%s-%d", cu.crf, service, i),
			reference: fmt.Sprintf("GEN%d%c%d", cu.crf, service[0], i),
			lastMonth: i == b.opts.Months-1}
		if err := b.writePayment(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// periodPayment returns the amount, the paid part and the state of period
// i of c.
func (b *batch) periodPayment(c connectionPlan, i int) (billing.Money, billing.Money, billing.PeriodState) {
	price := c.plan.price
	switch {
	case i < c.paidPeriods:
		return price, price, billing.StatePaid
	case i == c.paidPeriods && c.partial:
		return price, price / 2, billing.StatePartial
	case i < c.paidPeriods+dueBeforeSkip:
		return price, 0, billing.StateDue
	}
	return 0, 0, billing.StateSkipped
}

// payment is one generated payment that settles one period.
type payment struct {
	customer         *customer
	connID, periodID int64
	amount           billing.Money
	start            billing.Date
	plan             string
	expires          billing.Date
	key              string
	reference        string // used when the payment is online
	// lastMonth is set for the period of the last generated month, whose
	// invoice email is still in the outbox.
	lastMonth bool
}

// writePayment records a payment received within five days of the period's
// start, between 08:00 and 20:59 local time, with its allocation and
// invoice. Three payments in ten are online.
func (b *batch) writePayment(ctx context.Context, p payment) error {
	local := p.start.Time(b.opts.Location).Add(time.Duration(b.rng.IntN(5))*24*time.Hour +
		time.Duration(8+b.rng.IntN(13))*time.Hour + time.Duration(b.rng.IntN(60))*time.Minute)
	at := local.UTC().Format(storeTimeLayout)
	mode, reference := store.ModeCash, any(nil)
	if b.rng.IntN(10) < 3 {
		mode, reference = store.ModeOnline, p.reference
	}
	paymentID := b.next.payment
	b.next.payment++
	err := b.w.payment.add(ctx, paymentID, p.customer.crf, p.connID, p.amount, mode, reference, at,
		b.adminID, p.key)
	if err != nil {
		return fmt.Errorf("insert payment %s: %w", p.key, err)
	}
	if err := b.w.allocation.add(ctx, paymentID, p.periodID, p.amount); err != nil {
		return fmt.Errorf("allocate payment %s: %w", p.key, err)
	}

	year := local.Year()
	seq, err := b.nextNumber(ctx, b.tx, fmt.Sprintf("invoice:%d", year))
	if err != nil {
		return err
	}
	invoiceID := b.next.invoice
	b.next.invoice++
	err = b.w.invoice.add(ctx, invoiceID, fmt.Sprintf("INV-%d-%06d", year, seq), year, seq, paymentID, at,
		p.amount, 0, p.expires.String(), p.plan)
	if err != nil {
		return fmt.Errorf("insert invoice of payment %s: %w", p.key, err)
	}
	b.summary.Payments++
	if p.lastMonth && p.customer.email != "" {
		return b.writeEmail(ctx, p.customer, "invoice", "Your invoice", invoiceID, local)
	}
	return nil
}

// writeReminderEmail records a reminder sent on the 5th of the last
// generated month.
func (b *batch) writeReminderEmail(ctx context.Context, c customer) error {
	at := time.Date(b.opts.Year, b.opts.Month, 5, 11, 0, 0, 0, b.opts.Location)
	return b.writeEmail(ctx, &c, "reminder", "Payment reminder", 0, at)
}

// writeEmail records an email sent at the given time.
func (b *batch) writeEmail(ctx context.Context, c *customer, kind, subject string, invoiceID int64, at time.Time) error {
	id := b.next.outbox
	b.next.outbox++
	stamp := at.UTC().Format(storeTimeLayout)
	var invoice any
	if invoiceID != 0 {
		invoice = invoiceID
	}
	body := "Dear " + c.name + ", this is a generated " + kind + " email."
	err := b.w.outbox.add(ctx, id, kind, c.crf, c.email, c.name, subject, body, "<p>"+body+"</p>", invoice,
		store.OutboxSent, 1, stamp, stamp, stamp)
	if err != nil {
		return fmt.Errorf("insert %s email of customer %d: %w", kind, c.crf, err)
	}
	b.summary.Emails++
	return nil
}

var complaintCategories = []string{"no_signal", "set_top_box", "billing", "other"}

// writeComplaint records a cable TV complaint made in the last three
// generated months: a third still open, a third in progress and a third
// resolved. Half of the open ones are unread.
func (b *batch) writeComplaint(ctx context.Context, c customer) error {
	created := time.Date(b.opts.Year, b.opts.Month-time.Month(b.rng.IntN(3)), 1+b.rng.IntN(28),
		9+b.rng.IntN(10), b.rng.IntN(60), 0, 0, b.opts.Location)
	year := created.Year()
	seq, err := b.nextNumber(ctx, b.tx, fmt.Sprintf("complaint:%d", year))
	if err != nil {
		return err
	}
	stamp := created.UTC().Format(storeTimeLayout)
	later := created.Add(26 * time.Hour).UTC().Format(storeTimeLayout)
	status, read, resolved, note := "open", any(stamp), any(nil), ""
	switch b.rng.IntN(3) {
	case 0:
		if b.rng.IntN(2) == 0 {
			read = nil
		}
	case 1:
		status = "in_progress"
	case 2:
		status, resolved, note = "resolved", later, "Technician visited."
	}
	id := b.next.complaint
	b.next.complaint++
	err = b.w.complaint.add(ctx, id, fmt.Sprintf("CMP-%d-%05d", year, seq), year, seq, c.crf,
		string(billing.ServiceCableTV), complaintCategories[b.rng.IntN(len(complaintCategories))],
		"Generated complaint.", status, stamp, read, resolved, note)
	if err != nil {
		return fmt.Errorf("insert complaint of customer %d: %w", c.crf, err)
	}
	b.summary.Complaints++
	return nil
}

// periodsYearKey is the settings row in which the store records the last
// year whose periods exist for every connection.
const periodsYearKey = "job.periods_through_year"

// raiseCounters stores the last CRF, invoice and complaint numbers used,
// and records that the periods of the last generated year exist.
func (g *generator) raiseCounters(ctx context.Context, tx *sql.Tx) error {
	counters := map[string]int64{"crf": g.nextCRF - 1}
	for name, seq := range g.seq {
		counters[name] = seq
	}
	for name, value := range counters {
		_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`, name, value)
		if err != nil {
			return fmt.Errorf("raise %s counter: %w", name, err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
		periodsYearKey, strconv.Itoa(g.opts.Year))
	if err != nil {
		return fmt.Errorf("record periods of %d: %w", g.opts.Year, err)
	}
	return nil
}
