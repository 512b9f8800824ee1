package service

import (
	"context"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// seriesMonths is the length of the collection chart, in months.
const seriesMonths = 12

// AdminDashboard holds every figure of the admin dashboard, computed for
// the operator's local date Today.
type AdminDashboard struct {
	Today    billing.Date
	Statuses map[billing.Service]store.StatusCounts
	// RenewalsToday counts the connections that expire today, and Renewals
	// lists them for the table.
	RenewalsToday int
	Renewals      []store.Renewal
	// ReceivedThisMonth counts payments received in the local calendar
	// month of Today.
	ReceivedThisMonth map[billing.Service]store.Collected
	// PendingThisMonth is the unpaid remainder of billed periods that start
	// in the month of Today.
	PendingThisMonth store.ServiceAmounts
	Outstanding      store.ServiceAmounts
	Complaints       store.ComplaintCounts
	// Collections covers the last 12 local months, oldest first, ending
	// with the month of Today.
	Collections []store.MonthCollection
}

// AdminDashboard returns the figures of the admin dashboard. Admin only.
func (s *Service) AdminDashboard(ctx context.Context, sess Session) (AdminDashboard, error) {
	if err := requireAdmin(sess); err != nil {
		return AdminDashboard{}, err
	}
	today := s.Today()
	d := AdminDashboard{Today: today}

	var err error
	if d.Statuses, err = s.store.StatusCounts(ctx); err != nil {
		return d, err
	}
	if d.RenewalsToday, err = s.store.RenewalsCount(ctx, today); err != nil {
		return d, err
	}
	if d.Renewals, err = s.store.Renewals(ctx, today); err != nil {
		return d, err
	}
	if d.ReceivedThisMonth, err = s.store.ReceivedInMonth(ctx, today.Year, today.Month, s.loc); err != nil {
		return d, err
	}
	if d.PendingThisMonth, err = s.store.PendingInMonth(ctx, today.Year, today.Month); err != nil {
		return d, err
	}
	if d.Outstanding, err = s.store.Outstanding(ctx); err != nil {
		return d, err
	}
	if d.Complaints, err = s.store.ComplaintCounts(ctx); err != nil {
		return d, err
	}
	d.Collections, err = s.store.CollectionSeries(ctx, today.Year, today.Month, seriesMonths, s.loc)
	return d, err
}

// CustomerDashboard holds what the customer dashboard shows.
type CustomerDashboard struct {
	Customer store.Customer
	Services []store.ServiceOverview // cable TV first
}

// CustomerDashboard returns a customer's status, plan, expiry, amount due
// and months pending per service. An admin may read any customer's, a
// customer only their own.
func (s *Service) CustomerDashboard(ctx context.Context, sess Session, crf int64) (CustomerDashboard, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return CustomerDashboard{}, err
	}
	c, err := s.store.Customer(ctx, crf)
	if err != nil {
		return CustomerDashboard{}, err
	}
	services, err := s.store.CustomerOverview(ctx, crf)
	if err != nil {
		return CustomerDashboard{}, err
	}
	return CustomerDashboard{Customer: c, Services: services}, nil
}

// PaymentDetails is one customer's year on the payment-details screen.
type PaymentDetails struct {
	CRF      int64
	Year     int
	Services []ServiceYear // cable TV first
	Payments []store.PaymentRow
}

// ServiceYear is the twelve months of one service in a year.
type ServiceYear struct {
	Service billing.Service
	Months  [12]MonthDetail // January first
}

// MonthDetail is one calendar month of one service. A month usually has one
// period, none before the activation, and two when the connection was
// reconnected on a new anchor day within the month.
type MonthDetail struct {
	Month   time.Month
	Periods []store.PeriodRow // in start order
	Amount  billing.Money     // billed, summed over Periods
	Paid    billing.Money
	Due     billing.Money // still owed on due and partial periods
}

// State returns the state of the month's latest period, or "" for a month
// without periods.
func (m MonthDetail) State() billing.PeriodState {
	if len(m.Periods) == 0 {
		return ""
	}
	return m.Periods[len(m.Periods)-1].State
}

// minYear and maxYear bound the year of the payment-details screen.
const (
	minYear = 2000
	maxYear = 9999
)

// PaymentDetails returns, for a customer and a year, each connected
// service's twelve months with state and amounts, and the payments
// received in that local calendar year. An admin may read any customer's,
// a customer only their own.
func (s *Service) PaymentDetails(ctx context.Context, sess Session, crf int64, year int) (PaymentDetails, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return PaymentDetails{}, err
	}
	if year < minYear || year > maxYear {
		var v validator
		v.add("year", message.New("Year {{.Year}} is out of range; choose a year from {{.Min}} to {{.Max}}.",
			"Year", year, "Min", minYear, "Max", maxYear))
		return PaymentDetails{}, v.err()
	}
	if _, err := s.store.Customer(ctx, crf); err != nil {
		return PaymentDetails{}, err
	}

	conns, err := s.store.Connections(ctx, crf)
	if err != nil {
		return PaymentDetails{}, err
	}
	periods, err := s.store.PeriodsOfYear(ctx, crf, year)
	if err != nil {
		return PaymentDetails{}, err
	}
	payments, err := s.store.PaymentsOfYear(ctx, crf, year, s.loc)
	if err != nil {
		return PaymentDetails{}, err
	}

	d := PaymentDetails{CRF: crf, Year: year, Payments: payments}
	for _, c := range conns {
		d.Services = append(d.Services, serviceYear(c.Service, periods))
	}
	return d, nil
}

// serviceYear sorts the periods of one service into their start months.
// periods come in start order, as PeriodsOfYear returns them.
func serviceYear(svc billing.Service, periods []store.PeriodRow) ServiceYear {
	y := ServiceYear{Service: svc}
	for i := range y.Months {
		y.Months[i].Month = time.January + time.Month(i)
	}
	for _, p := range periods {
		if p.Service != svc {
			continue
		}
		m := &y.Months[p.Month-time.January]
		m.Periods = append(m.Periods, p)
		m.Amount += p.Amount
		m.Paid += p.Paid
		m.Due += p.Due()
	}
	return y
}
