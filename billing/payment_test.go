package billing

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAmountDue(t *testing.T) {
	anchor := date(2026, time.November, 30)
	tests := []struct {
		name    string
		periods []PeriodRecord
		want    Money
	}{
		{name: "no periods", want: 0},
		{
			name: "due periods",
			periods: []PeriodRecord{
				record(anchor, 0, StateDue, 25000, 0),
				record(anchor, 1, StateDue, 25000, 0),
			},
			want: 50000,
		},
		{
			name: "partial counts its remainder",
			periods: []PeriodRecord{
				record(anchor, 0, StatePartial, 25000, 10000),
				record(anchor, 1, StateDue, 30000, 0),
			},
			want: 45000,
		},
		{
			name: "other states owe nothing",
			periods: []PeriodRecord{
				record(anchor, 0, StatePaid, 25000, 25000),
				record(anchor, 1, StateWaived, 25000, 0),
				record(anchor, 2, StateSkipped, 0, 0),
				record(anchor, 3, StateScheduled, 25000, 0),
				record(anchor, 4, StateDue, 25000, 0),
			},
			want: 25000,
		},
		{
			name: "overpaid period hides no debt",
			periods: []PeriodRecord{
				record(anchor, 0, StatePartial, 25000, 30000),
				record(anchor, 1, StateDue, 25000, 0),
			},
			want: 25000,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AmountDue(tt.periods); got != tt.want {
				t.Errorf("AmountDue() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestMonthsPending(t *testing.T) {
	anchor := date(2026, time.November, 30)
	tests := []struct {
		name    string
		periods []PeriodRecord
		want    []string
	}{
		{name: "nothing pending", periods: []PeriodRecord{record(anchor, 0, StatePaid, 25000, 25000)}, want: []string{}},
		{
			name: "over year end",
			periods: []PeriodRecord{
				record(anchor, 0, StatePaid, 25000, 25000),
				record(anchor, 1, StateDue, 25000, 0),
				record(anchor, 2, StatePartial, 25000, 5000),
				record(anchor, 3, StateScheduled, 0, 0),
			},
			want: []string{"Dec 2026", "Jan 2027"},
		},
		{
			name: "unsorted input",
			periods: []PeriodRecord{
				record(anchor, 2, StateDue, 25000, 0),
				record(anchor, 0, StateDue, 25000, 0),
				record(anchor, 1, StateWaived, 25000, 0),
			},
			want: []string{"Nov 2026", "Jan 2027"},
		},
		{
			name: "skipped not pending",
			periods: []PeriodRecord{
				record(anchor, 0, StateDue, 25000, 0),
				record(anchor, 1, StateSkipped, 0, 0),
			},
			want: []string{"Nov 2026"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MonthsPending(tt.periods)
			if !slices.Equal(got, tt.want) {
				t.Errorf("MonthsPending() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMonthsPendingJoined(t *testing.T) {
	anchor := date(2026, time.December, 31)
	periods := []PeriodRecord{
		record(anchor, 1, StateDue, 25000, 0),
		record(anchor, 0, StatePartial, 25000, 100),
	}
	if got := strings.Join(MonthsPending(periods), ", "); got != "Dec 2026, Jan 2027" {
		t.Errorf("joined months = %q, want %q", got, "Dec 2026, Jan 2027")
	}
}

func TestAllocate(t *testing.T) {
	dec := date(2026, time.December, 31)
	jan := date(2027, time.January, 31)
	feb := date(2027, time.February, 28)
	tests := []struct {
		name   string
		amount Money
		open   []OpenPeriod
		want   []Allocation
	}{
		{
			name:   "part of one period",
			amount: 10000,
			open:   []OpenPeriod{{ID: 1, Start: dec, Amount: 25000}},
			want:   []Allocation{{ID: 1, Amount: 10000, State: StatePartial}},
		},
		{
			name:   "exactly one period",
			amount: 25000,
			open:   []OpenPeriod{{ID: 1, Start: dec, Amount: 25000}, {ID: 2, Start: jan, Amount: 25000}},
			want:   []Allocation{{ID: 1, Amount: 25000, State: StatePaid}},
		},
		{
			name:   "exactly two periods",
			amount: 50000,
			open: []OpenPeriod{
				{ID: 1, Start: dec, Amount: 25000},
				{ID: 2, Start: jan, Amount: 25000},
				{ID: 3, Start: feb, Amount: 25000},
			},
			want: []Allocation{{ID: 1, Amount: 25000, State: StatePaid}, {ID: 2, Amount: 25000, State: StatePaid}},
		},
		{
			name:   "third left partial",
			amount: 60000,
			open: []OpenPeriod{
				{ID: 1, Start: dec, Amount: 25000},
				{ID: 2, Start: jan, Amount: 25000},
				{ID: 3, Start: feb, Amount: 25000},
			},
			want: []Allocation{
				{ID: 1, Amount: 25000, State: StatePaid},
				{ID: 2, Amount: 25000, State: StatePaid},
				{ID: 3, Amount: 10000, State: StatePartial},
			},
		},
		{
			name:   "over partial periods",
			amount: 20000,
			open: []OpenPeriod{
				{ID: 1, Start: dec, Amount: 25000, Paid: 15000},
				{ID: 2, Start: jan, Amount: 25000, Paid: 5000},
			},
			want: []Allocation{{ID: 1, Amount: 10000, State: StatePaid}, {ID: 2, Amount: 10000, State: StatePartial}},
		},
		{
			name:   "everything owed",
			amount: 30000,
			open: []OpenPeriod{
				{ID: 1, Start: dec, Amount: 25000, Paid: 15000},
				{ID: 2, Start: jan, Amount: 25000, Paid: 5000},
			},
			want: []Allocation{{ID: 1, Amount: 10000, State: StatePaid}, {ID: 2, Amount: 20000, State: StatePaid}},
		},
		{
			name:   "oldest start first",
			amount: 30000,
			open: []OpenPeriod{
				{ID: 1, Start: feb, Amount: 25000},
				{ID: 2, Start: dec, Amount: 25000},
				{ID: 3, Start: jan, Amount: 25000},
			},
			want: []Allocation{{ID: 2, Amount: 25000, State: StatePaid}, {ID: 3, Amount: 5000, State: StatePartial}},
		},
		{
			name:   "same start by id",
			amount: 30000,
			open: []OpenPeriod{
				{ID: 9, Start: dec, Amount: 25000},
				{ID: 4, Start: dec, Amount: 25000},
			},
			want: []Allocation{{ID: 4, Amount: 25000, State: StatePaid}, {ID: 9, Amount: 5000, State: StatePartial}},
		},
		{
			name:   "fully paid period passed over",
			amount: 5000,
			open: []OpenPeriod{
				{ID: 1, Start: dec, Amount: 25000, Paid: 25000},
				{ID: 2, Start: jan, Amount: 25000},
			},
			want: []Allocation{{ID: 2, Amount: 5000, State: StatePartial}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allocate(tt.amount, tt.open)
			if err != nil {
				t.Fatalf("Allocate(%d) error: %v", tt.amount, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Allocate(%d) = %+v, want %+v", tt.amount, got, tt.want)
			}
		})
	}
}

func TestAllocateKeepsInputOrder(t *testing.T) {
	open := []OpenPeriod{
		{ID: 2, Start: date(2027, time.January, 31), Amount: 25000},
		{ID: 1, Start: date(2026, time.December, 31), Amount: 25000},
	}
	if _, err := Allocate(100, open); err != nil {
		t.Fatalf("Allocate error: %v", err)
	}
	if open[0].ID != 2 {
		t.Errorf("Allocate reordered its input: first period now has ID %d", open[0].ID)
	}
}

func TestAllocateRejects(t *testing.T) {
	open := []OpenPeriod{
		{ID: 1, Start: date(2026, time.December, 31), Amount: 25000, Paid: 5000},
		{ID: 2, Start: date(2027, time.January, 31), Amount: 25000},
	}
	tests := []struct {
		name    string
		amount  Money
		open    []OpenPeriod
		wantErr error
		wantMsg string
	}{
		{"above total", 45001, open, ErrAboveDue, "pay at most 450.00"},
		{"zero", 0, open, ErrInvalidAmount, "0.00"},
		{"negative", -100, open, ErrInvalidAmount, "-1.00"},
		{"no open periods", 100, nil, ErrNothingDue, "1.00"},
		{"all paid", 100, []OpenPeriod{{ID: 1, Amount: 25000, Paid: 25000}}, ErrNothingDue, "1.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allocate(tt.amount, tt.open)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Allocate(%d) = %+v, %v, want error %v", tt.amount, got, err, tt.wantErr)
			}
			if got != nil {
				t.Errorf("Allocate(%d) returned allocations %+v with its error", tt.amount, got)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Allocate(%d) error %q does not contain %q", tt.amount, err, tt.wantMsg)
			}
		})
	}
}

func TestAllocateSumsToAmount(t *testing.T) {
	open := []OpenPeriod{
		{ID: 1, Start: date(2026, time.December, 31), Amount: 25000, Paid: 1},
		{ID: 2, Start: date(2027, time.January, 31), Amount: 30000},
		{ID: 3, Start: date(2027, time.February, 28), Amount: 27500, Paid: 27000},
	}
	for amount := Money(1); amount <= 25000+30000+500-1; amount += 997 {
		allocations, err := Allocate(amount, open)
		if err != nil {
			t.Fatalf("Allocate(%d) error: %v", amount, err)
		}
		var sum Money
		for _, a := range allocations {
			sum += a.Amount
		}
		if sum != amount {
			t.Fatalf("Allocate(%d) allocations sum to %d", amount, sum)
		}
	}
}

func TestCheckPaymentAmount(t *testing.T) {
	tests := []struct {
		name    string
		amount  Money
		due     Money
		minimum Money
		wantErr error
		wantMsg string
	}{
		{"due below minimum, full due", 10000, 10000, 25000, nil, ""},
		{"due below minimum, one less", 9900, 10000, 25000, ErrBelowMinimum, "pay the full ₹100.00"},
		{"due below minimum, one more", 10100, 10000, 25000, ErrAboveDue, "pay at most ₹100.00"},
		{"due above minimum, minimum", 25000, 75000, 25000, nil, ""},
		{"due above minimum, between", 50000, 75000, 25000, nil, ""},
		{"due above minimum, all due", 75000, 75000, 25000, nil, ""},
		{"below minimum", 10000, 75000, 25000, ErrBelowMinimum,
			"the amount ₹100.00 is below the minimum payment ₹250.00; pay at least ₹250.00"},
		{"one paisa below minimum", 24999, 75000, 25000, ErrBelowMinimum, "pay at least ₹250.00"},
		{"above due", 90000, 75000, 25000, ErrAboveDue,
			"the amount ₹900.00 is more than the amount due ₹750.00; pay at most ₹750.00"},
		{"one paisa above due", 75001, 75000, 25000, ErrAboveDue, "pay at most ₹750.00"},
		{"due equals minimum", 25000, 25000, 25000, nil, ""},
		{"nothing due", 25000, 0, 25000, ErrNothingDue, "nothing is due on this connection"},
		{"negative due", 25000, -100, 25000, ErrNothingDue, "nothing is due on this connection"},
		{"zero with no minimum", 0, 75000, 0, ErrBelowMinimum, "pay at least ₹0.01"},
		{"negative with no minimum", -500, 75000, 0, ErrBelowMinimum, "pay at least ₹0.01"},
		{"one paisa with no minimum", 1, 75000, 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPaymentAmount(tt.amount, tt.due, tt.minimum, "₹")
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("CheckPaymentAmount(%d, %d, %d) error: %v", tt.amount, tt.due, tt.minimum, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CheckPaymentAmount(%d, %d, %d) error = %v, want %v", tt.amount, tt.due, tt.minimum, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("CheckPaymentAmount(%d, %d, %d) error %q does not contain %q", tt.amount, tt.due, tt.minimum, err, tt.wantMsg)
			}
		})
	}
}

func TestCheckPaymentAmountSymbol(t *testing.T) {
	err := CheckPaymentAmount(100000, 75000, 25000, "$")
	if err == nil {
		t.Fatal("CheckPaymentAmount(1000.00 over 750.00 due) returned no error")
	}
	if !strings.Contains(err.Error(), "pay at most $750.00") {
		t.Errorf("CheckPaymentAmount error %q does not contain %q", err, "pay at most $750.00")
	}
}

func TestCheckReference(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"digits", "412345678901", "412345678901"},
		{"letters and digits", "TXN4AB9Z", "TXN4AB9Z"},
		{"lower case kept", "pay12abc", "pay12abc"},
		{"shortest", "ABC123", "ABC123"},
		{"longest", strings.Repeat("A1", 15), strings.Repeat("A1", 15)},
		{"trimmed", "  UTR998877 \t", "UTR998877"},
		{"long before trimming", "   " + strings.Repeat("9", 30) + "   ", strings.Repeat("9", 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckReference(tt.input)
			if err != nil {
				t.Fatalf("CheckReference(%q) error: %v", tt.input, err)
			}
			if got != tt.want {
				t.Errorf("CheckReference(%q) = %q, want %q", tt.input, got, tt.want)
			}
		})
	}
}

func TestCheckReferenceRejects(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		wantMsg string
	}{
		{"empty", "", "empty"},
		{"only spaces", "    ", "empty"},
		{"too short", "AB12C", "has 5 characters"},
		{"too short after trimming", "  AB12C  ", "has 5 characters"},
		{"too long", strings.Repeat("7", 31), "has 31 characters"},
		{"space inside", "UTR 998877", "contains ' '"},
		{"hyphen", "UTR-998877", "contains '-'"},
		{"slash", "UTR/998877", "contains '/'"},
		{"dot", "UTR.998877", "contains '.'"},
		{"non-ASCII letter", "ÜTR998877", "contains 'Ü'"},
		{"devanagari digits", "UTR१२३४५६", "contains '१'"},
		{"full-width digits", "ＵＴＲ123456", "contains 'Ｕ'"},
		{"control character", "UTR99\x008877", `contains '\x00'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckReference(tt.input)
			if !errors.Is(err, ErrInvalidReference) {
				t.Fatalf("CheckReference(%q) = %q, %v, want ErrInvalidReference", tt.input, got, err)
			}
			if got != "" {
				t.Errorf("CheckReference(%q) returned %q with its error", tt.input, got)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("CheckReference(%q) error %q does not contain %q", tt.input, err, tt.wantMsg)
			}
		})
	}
}

func FuzzCheckReference(f *testing.F) {
	for _, seed := range []string{"412345678901", " UTR998877 ", "AB12C", "UTR 998877", "ÜTR998877", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		ref, err := CheckReference(input)
		if err != nil {
			if !errors.Is(err, ErrInvalidReference) {
				t.Fatalf("CheckReference(%q) error %v does not wrap ErrInvalidReference", input, err)
			}
			return
		}
		if len(ref) < MinReferenceLength || len(ref) > MaxReferenceLength {
			t.Fatalf("CheckReference(%q) = %q, outside %d to %d characters", input, ref, MinReferenceLength, MaxReferenceLength)
		}
		if strings.IndexFunc(ref, func(r rune) bool { return !isASCIIAlphanumeric(r) }) >= 0 {
			t.Fatalf("CheckReference(%q) = %q, which is not only ASCII letters and digits", input, ref)
		}
		if !strings.Contains(input, ref) {
			t.Fatalf("CheckReference(%q) = %q, which is not part of the input", input, ref)
		}
	})
}
