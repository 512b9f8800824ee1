package billing

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors wrapped by the payment checks, for callers that branch on the cause.
var (
	// ErrBelowMinimum means the amount is below min(minimum payment, due).
	ErrBelowMinimum = errors.New("amount below the minimum payment")
	// ErrAboveDue means the amount is more than the amount due.
	ErrAboveDue = errors.New("amount above the amount due")
	// ErrNothingDue means the connection owes nothing, so no payment fits.
	ErrNothingDue = errors.New("nothing is due")
	// ErrInvalidReference means an online payment reference is malformed.
	ErrInvalidReference = errors.New("invalid payment reference")
)

// Bounds of an online payment reference, in characters after trimming.
const (
	MinReferenceLength = 6
	MaxReferenceLength = 30
)

// remainder returns what is still owed on a period, never below zero so
// that an overpaid period cannot hide the debt of another.
func remainder(amount, paid Money) Money {
	return max(amount-paid, 0)
}

// AmountDue returns the sum of Amount - Paid over the due and partial
// periods. Periods in any other state owe nothing.
func AmountDue(periods []PeriodRecord) Money {
	var due Money
	for _, p := range periods {
		if p.State.Open() {
			due += remainder(p.Amount, p.Paid)
		}
	}
	return due
}

// MonthsPending returns the start months of the due and partial periods in
// start order, as labels such as "Dec 2026" and "Jan 2027".
func MonthsPending(periods []PeriodRecord) []string {
	var starts []Date
	for _, p := range periods {
		if p.State.Open() {
			starts = append(starts, p.Start)
		}
	}
	slices.SortFunc(starts, Date.Compare)

	labels := make([]string, len(starts))
	for i, start := range starts {
		labels[i] = start.MonthLabel()
	}
	return labels
}

// OpenPeriod is a due or partial period that a payment can pay. ID is the
// stored period's id.
type OpenPeriod struct {
	ID     int64
	Start  Date
	Amount Money
	Paid   Money
}

// Allocation is the part of a payment that goes to one period. State is the
// period's state after the payment: paid or partial.
type Allocation struct {
	ID     int64
	Amount Money
	State  PeriodState
}

// Allocate spreads amount over the open periods oldest first, ordered by
// Start and then ID, filling each period before the next. Periods that owe
// nothing get no allocation. It returns an error wrapping ErrInvalidAmount
// when amount is not positive, ErrNothingDue when nothing is owed, and
// ErrAboveDue when amount is more than the total owed.
func Allocate(amount Money, open []OpenPeriod) ([]Allocation, error) {
	if amount <= 0 {
		return nil, fmt.Errorf("%w: the payment %s is not positive; pay an amount greater than zero",
			ErrInvalidAmount, amount.Plain())
	}
	periods := slices.Clone(open)
	slices.SortFunc(periods, compareOpenPeriods)

	var owed Money
	for _, p := range periods {
		owed += remainder(p.Amount, p.Paid)
	}
	if owed == 0 {
		return nil, fmt.Errorf("%w: no open period has anything left to pay, so the payment %s cannot be applied",
			ErrNothingDue, amount.Plain())
	}
	if amount > owed {
		return nil, fmt.Errorf("%w: the payment %s is more than the %s owed; pay at most %s",
			ErrAboveDue, amount.Plain(), owed.Plain(), owed.Plain())
	}
	return fillOldestFirst(amount, periods), nil
}

func compareOpenPeriods(a, b OpenPeriod) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// fillOldestFirst allocates amount over periods sorted oldest first. The
// caller ensures that amount does not exceed what they owe.
func fillOldestFirst(amount Money, periods []OpenPeriod) []Allocation {
	var allocations []Allocation
	for _, p := range periods {
		if amount == 0 {
			break
		}
		owed := remainder(p.Amount, p.Paid)
		if owed == 0 {
			continue
		}

		part := min(amount, owed)
		state := StatePartial
		if part == owed {
			state = StatePaid
		}
		allocations = append(allocations, Allocation{ID: p.ID, Amount: part, State: state})
		amount -= part
	}
	return allocations
}

// CheckPaymentAmount checks min(minimum, due) <= amount <= due, so a payment
// is at least the minimum payment unless less than that is due, and never
// more than is due. The lower bound is never below one minor unit. Errors
// wrap ErrNothingDue, ErrBelowMinimum or ErrAboveDue and name the bound with
// the currency symbol, such as "pay at least ₹250.00".
func CheckPaymentAmount(amount, due, minimum Money, symbol string) error {
	if due <= 0 {
		return fmt.Errorf("%w: nothing is due on this connection", ErrNothingDue)
	}
	if amount > due {
		return fmt.Errorf("%w: the amount %s is more than the amount due %s; pay at most %s",
			ErrAboveDue, amount.Format(symbol), due.Format(symbol), due.Format(symbol))
	}

	lower := max(min(minimum, due), 1)
	if amount >= lower {
		return nil
	}
	if lower == due {
		return fmt.Errorf("%w: the amount %s is less than the amount due %s, "+
			"which is below the minimum payment; pay the full %s",
			ErrBelowMinimum, amount.Format(symbol), due.Format(symbol), due.Format(symbol))
	}
	return fmt.Errorf("%w: the amount %s is below the minimum payment %s; pay at least %s",
		ErrBelowMinimum, amount.Format(symbol), lower.Format(symbol), lower.Format(symbol))
}

// CheckReference checks an online payment reference and returns it with
// surrounding spaces removed. The trimmed reference must be 6 to 30 ASCII
// letters and digits. Errors wrap ErrInvalidReference. Case is kept as
// typed.
func CheckReference(ref string) (string, error) {
	trimmed := strings.TrimSpace(ref)
	if trimmed == "" {
		return "", fmt.Errorf("%w: the reference is empty; type the %d to %d letters and digits of the payment reference",
			ErrInvalidReference, MinReferenceLength, MaxReferenceLength)
	}
	for _, r := range trimmed {
		if !isASCIIAlphanumeric(r) {
			return "", fmt.Errorf("%w: the reference %q contains %q; use only the letters A-Z and a-z and the digits 0-9",
				ErrInvalidReference, ref, r)
		}
	}
	if len(trimmed) < MinReferenceLength || len(trimmed) > MaxReferenceLength {
		return "", fmt.Errorf("%w: the reference %q has %d characters; use %d to %d letters and digits",
			ErrInvalidReference, ref, len(trimmed), MinReferenceLength, MaxReferenceLength)
	}
	return trimmed, nil
}

func isASCIIAlphanumeric(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}
