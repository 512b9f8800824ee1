package billing

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ctvms/ctvms/billing/message"
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
		return nil, message.Wrap(ErrInvalidAmount, "the payment {{.Amount}} is not positive; pay an amount greater than zero",
			"Amount", amount.Plain())
	}
	periods := slices.Clone(open)
	slices.SortFunc(periods, compareOpenPeriods)

	var owed Money
	for _, p := range periods {
		owed += remainder(p.Amount, p.Paid)
	}
	if owed == 0 {
		return nil, message.Wrap(ErrNothingDue,
			"no open period has anything left to pay, so the payment {{.Amount}} cannot be applied",
			"Amount", amount.Plain())
	}
	if amount > owed {
		return nil, message.Wrap(ErrAboveDue, "the payment {{.Amount}} is more than the {{.Owed}} owed; pay at most {{.Owed}}",
			"Amount", amount.Plain(), "Owed", owed.Plain())
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
		return message.Wrap(ErrNothingDue, "nothing is due on this connection")
	}
	if amount > due {
		return message.Wrap(ErrAboveDue, "the amount {{.Amount}} is more than the amount due {{.Due}}; pay at most {{.Due}}",
			"Amount", amount.Format(symbol), "Due", due.Format(symbol))
	}

	lower := max(min(minimum, due), 1)
	if amount >= lower {
		return nil
	}
	if lower == due {
		return message.Wrap(ErrBelowMinimum, "the amount {{.Amount}} is less than the amount due {{.Due}}, "+
			"which is below the minimum payment; pay the full {{.Due}}",
			"Amount", amount.Format(symbol), "Due", due.Format(symbol))
	}
	return message.Wrap(ErrBelowMinimum, "the amount {{.Amount}} is below the minimum payment {{.Minimum}}; "+
		"pay at least {{.Minimum}}", "Amount", amount.Format(symbol), "Minimum", lower.Format(symbol))
}

// CheckReference checks an online payment reference and returns it with
// surrounding spaces removed. The trimmed reference must be 6 to 30 ASCII
// letters and digits. Errors wrap ErrInvalidReference. Case is kept as
// typed.
func CheckReference(ref string) (string, error) {
	trimmed := strings.TrimSpace(ref)
	if trimmed == "" {
		return "", message.Wrap(ErrInvalidReference,
			"the reference is empty; type the {{.Min}} to {{.Max}} letters and digits of the payment reference",
			"Min", MinReferenceLength, "Max", MaxReferenceLength)
	}
	for _, r := range trimmed {
		if !isASCIIAlphanumeric(r) {
			return "", message.Wrap(ErrInvalidReference,
				"the reference {{.Reference}} contains {{.Character}}; use only the letters A-Z and a-z and the digits 0-9",
				"Reference", strconv.Quote(ref), "Character", strconv.QuoteRune(r))
		}
	}
	if len(trimmed) < MinReferenceLength || len(trimmed) > MaxReferenceLength {
		return "", message.Wrap(ErrInvalidReference,
			"the reference {{.Reference}} has {{.Length}} characters; use {{.Min}} to {{.Max}} letters and digits",
			"Reference", strconv.Quote(ref), "Length", len(trimmed), "Min", MinReferenceLength, "Max", MaxReferenceLength)
	}
	return trimmed, nil
}

func isASCIIAlphanumeric(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}
