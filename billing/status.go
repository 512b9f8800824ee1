package billing

import (
	"errors"
	"fmt"
	"slices"
)

// PeriodState is the billing state of one period, stored as its string
// value.
type PeriodState string

// The states a period moves through. A period is created scheduled, becomes
// due or skipped on its start day, and a due period becomes partial or paid
// as payments arrive. The admin can write off a period as waived.
const (
	StateScheduled PeriodState = "scheduled" // not billed yet
	StateDue       PeriodState = "due"       // billed, nothing paid
	StatePartial   PeriodState = "partial"   // billed, paid in part
	StatePaid      PeriodState = "paid"      // paid in full
	StateWaived    PeriodState = "waived"    // written off by the admin
	StateSkipped   PeriodState = "skipped"   // started while suspended or disconnected, never owed
)

var periodStates = []PeriodState{
	StateScheduled, StateDue, StatePartial, StatePaid, StateWaived, StateSkipped,
}

// ErrInvalidPeriodState is wrapped by the error ParsePeriodState returns.
var ErrInvalidPeriodState = errors.New("invalid period state")

// ParsePeriodState returns the PeriodState stored as s.
func ParsePeriodState(s string) (PeriodState, error) {
	if !slices.Contains(periodStates, PeriodState(s)) {
		return "", fmt.Errorf("%w %q: use one of %v", ErrInvalidPeriodState, s, periodStates)
	}
	return PeriodState(s), nil
}

// Open reports whether a period in this state is owed: due or partial.
func (s PeriodState) Open() bool {
	return s == StateDue || s == StatePartial
}

// Settled reports whether a period in this state extends the expiry date:
// paid or waived.
func (s PeriodState) Settled() bool {
	return s == StatePaid || s == StateWaived
}

// Status is the state of a connection on a given day, stored as its string
// value.
type Status string

// The connection statuses. StatusOn derives the first three from the expiry
// date. Only the admin sets and clears disconnected.
const (
	StatusActive       Status = "active"
	StatusInactive     Status = "inactive"
	StatusSuspended    Status = "suspended"
	StatusDisconnected Status = "disconnected"
)

// DefaultGraceDays is the number of days after expiry during which an unpaid
// connection stays inactive before it is suspended, unless the operator sets
// another number.
const DefaultGraceDays = 60

var statuses = []Status{StatusActive, StatusInactive, StatusSuspended, StatusDisconnected}

// ErrInvalidStatus is wrapped by the error ParseStatus returns.
var ErrInvalidStatus = errors.New("invalid connection status")

// ParseStatus returns the Status stored as s.
func ParseStatus(s string) (Status, error) {
	if !slices.Contains(statuses, Status(s)) {
		return "", fmt.Errorf("%w %q: use one of %v", ErrInvalidStatus, s, statuses)
	}
	return Status(s), nil
}

// Service is the kind of service a connection provides, stored as its string
// value.
type Service string

// The services an operator sells. A customer has at most one connection per
// service.
const (
	ServiceCableTV   Service = "cable_tv"
	ServiceBroadband Service = "broadband"
)

// Services lists every Service in display order.
var Services = []Service{ServiceCableTV, ServiceBroadband}

// ErrInvalidService is wrapped by the error ParseService returns.
var ErrInvalidService = errors.New("invalid service")

// ParseService returns the Service stored as s.
func ParseService(s string) (Service, error) {
	if !slices.Contains(Services, Service(s)) {
		return "", fmt.Errorf("%w %q: use %q or %q", ErrInvalidService, s, ServiceCableTV, ServiceBroadband)
	}
	return Service(s), nil
}

// Label returns the name of the service as people read it, such as
// "Cable TV". An unknown service returns its stored value.
func (s Service) Label() string {
	switch s {
	case ServiceCableTV:
		return "Cable TV"
	case ServiceBroadband:
		return "Broadband"
	}
	return string(s)
}

// PeriodRecord is a stored period with the fields the expiry and amount due
// rules read.
type PeriodRecord struct {
	Start  Date
	End    Date
	State  PeriodState
	Amount Money
	Paid   Money
}

// Expiry returns the end date of the latest period such that it and every
// earlier period starting on or after anchor are paid or waived. With no
// such period it returns the day before the anchor, so a new connection is
// inactive until its first payment. A period in any other state, skipped
// included, ends the run. Periods may come in any order. Those starting
// before the anchor belong to an earlier activation and are ignored.
func Expiry(anchor Date, periods []PeriodRecord) Date {
	current := make([]PeriodRecord, 0, len(periods))
	for _, p := range periods {
		if !p.Start.Before(anchor) {
			current = append(current, p)
		}
	}
	slices.SortStableFunc(current, func(a, b PeriodRecord) int {
		return a.Start.Compare(b.Start)
	})

	expiry := anchor.AddDays(-1)
	for _, p := range current {
		if !p.State.Settled() {
			break
		}
		expiry = p.End
	}
	return expiry
}

// StatusOn returns the status of a connection on day today, given its expiry
// date and the grace days after expiry before it is suspended. Disconnected
// wins over everything. Otherwise it is active while expiry >= today,
// inactive while today-graceDays <= expiry < today, and suspended after.
// A negative graceDays counts as zero.
func StatusOn(expiry, today Date, graceDays int, disconnected bool) Status {
	switch {
	case disconnected:
		return StatusDisconnected
	case !expiry.Before(today):
		return StatusActive
	case !expiry.Before(today.AddDays(-max(graceDays, 0))):
		return StatusInactive
	default:
		return StatusSuspended
	}
}

// Billable reports whether a period that starts while the connection has the
// given status is billed (becomes due) rather than skipped. Periods starting
// while suspended or disconnected are never billed and never owed.
func Billable(status Status) bool {
	return status != StatusSuspended && status != StatusDisconnected
}
