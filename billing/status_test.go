package billing

import (
	"errors"
	"testing"
	"time"
)

// record returns the stored form of period k of anchor in the given state.
func record(anchor Date, k int, state PeriodState, amount, paid Money) PeriodRecord {
	p := PeriodAt(anchor, k)
	return PeriodRecord{Start: p.Start, End: p.End, State: state, Amount: amount, Paid: paid}
}

func TestExpiry(t *testing.T) {
	anchor := date(2026, time.January, 31)
	older := date(2025, time.March, 10)
	tests := []struct {
		name    string
		periods []PeriodRecord
		want    Date
	}{
		{
			name: "no periods",
			want: date(2026, time.January, 30),
		},
		{
			name: "none paid",
			periods: []PeriodRecord{
				record(anchor, 0, StateDue, 25000, 0),
				record(anchor, 1, StateScheduled, 0, 0),
			},
			want: date(2026, time.January, 30),
		},
		{
			name: "first two paid",
			periods: []PeriodRecord{
				record(anchor, 0, StatePaid, 25000, 25000),
				record(anchor, 1, StatePaid, 25000, 25000),
				record(anchor, 2, StateDue, 25000, 0),
			},
			want: date(2026, time.March, 30),
		},
		{
			name: "paid, due, paid",
			periods: []PeriodRecord{
				record(anchor, 0, StatePaid, 25000, 25000),
				record(anchor, 1, StateDue, 25000, 0),
				record(anchor, 2, StatePaid, 25000, 25000),
			},
			want: date(2026, time.February, 27),
		},
		{
			name: "partial stops the run",
			periods: []PeriodRecord{
				record(anchor, 0, StatePaid, 25000, 25000),
				record(anchor, 1, StatePartial, 25000, 10000),
			},
			want: date(2026, time.February, 27),
		},
		{
			name: "waived counts as paid",
			periods: []PeriodRecord{
				record(anchor, 0, StateWaived, 25000, 0),
				record(anchor, 1, StatePaid, 25000, 25000),
			},
			want: date(2026, time.March, 30),
		},
		{
			name: "skipped stops the run",
			periods: []PeriodRecord{
				record(anchor, 0, StatePaid, 25000, 25000),
				record(anchor, 1, StateSkipped, 0, 0),
				record(anchor, 2, StatePaid, 25000, 25000),
			},
			want: date(2026, time.February, 27),
		},
		{
			name: "all twelve paid over year end",
			periods: func() []PeriodRecord {
				var periods []PeriodRecord
				for k := range 12 {
					periods = append(periods, record(anchor, k, StatePaid, 25000, 25000))
				}
				return periods
			}(),
			want: date(2027, time.January, 30),
		},
		{
			name: "earlier activation ignored",
			periods: []PeriodRecord{
				record(older, 0, StatePaid, 25000, 25000),
				record(older, 1, StateDue, 25000, 0),
				record(older, 9, StateSkipped, 0, 0),
				record(anchor, 0, StatePaid, 25000, 25000),
			},
			want: date(2026, time.February, 27),
		},
		{
			name: "earlier activation paid does not count",
			periods: []PeriodRecord{
				record(older, 0, StatePaid, 25000, 25000),
				record(older, 1, StatePaid, 25000, 25000),
				record(anchor, 0, StateDue, 25000, 0),
			},
			want: date(2026, time.January, 30),
		},
		{
			name: "unsorted input",
			periods: []PeriodRecord{
				record(anchor, 2, StateDue, 25000, 0),
				record(anchor, 1, StatePaid, 25000, 25000),
				record(older, 3, StateDue, 25000, 0),
				record(anchor, 0, StatePaid, 25000, 25000),
			},
			want: date(2026, time.March, 30),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Expiry(anchor, tt.periods); got != tt.want {
				t.Errorf("Expiry(%v) = %v, want %v", anchor, got, tt.want)
			}
		})
	}
}

func TestExpiryKeepsInputOrder(t *testing.T) {
	anchor := date(2026, time.January, 31)
	periods := []PeriodRecord{
		record(anchor, 1, StatePaid, 25000, 25000),
		record(anchor, 0, StatePaid, 25000, 25000),
	}
	Expiry(anchor, periods)
	if periods[0].Start != date(2026, time.February, 28) {
		t.Errorf("Expiry reordered its input: first period now starts %v", periods[0].Start)
	}
}

func TestStatusOn(t *testing.T) {
	today := date(2026, time.March, 1)
	tests := []struct {
		name         string
		expiry       Date
		grace        int
		disconnected bool
		want         Status
	}{
		{"expiry in future", date(2026, time.April, 1), 60, false, StatusActive},
		{"expiry today", today, 60, false, StatusActive},
		{"expired yesterday", date(2026, time.February, 28), 60, false, StatusInactive},
		{"last day of grace", date(2025, time.December, 31), 60, false, StatusInactive},
		{"grace over", date(2025, time.December, 30), 60, false, StatusSuspended},
		{"long ago", date(2020, time.January, 1), 60, false, StatusSuspended},
		{"disconnected while paid", date(2026, time.April, 1), 60, true, StatusDisconnected},
		{"disconnected while suspended", date(2020, time.January, 1), 60, true, StatusDisconnected},
		{"no grace, expired yesterday", date(2026, time.February, 28), 0, false, StatusSuspended},
		{"negative grace as zero", date(2026, time.February, 28), -5, false, StatusSuspended},
		{"negative grace, expiry today", today, -5, false, StatusActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StatusOn(tt.expiry, today, tt.grace, tt.disconnected)
			if got != tt.want {
				t.Errorf("StatusOn(%v, %v, %d, %v) = %q, want %q",
					tt.expiry, today, tt.grace, tt.disconnected, got, tt.want)
			}
		})
	}
}

func TestStatusOnGraceBoundary(t *testing.T) {
	expiry := date(2026, time.January, 31)
	tests := []struct {
		name  string
		today Date
		want  Status
	}{
		{"today is expiry", expiry, StatusActive},
		{"day after expiry", expiry.AddDays(1), StatusInactive},
		{"expiry is today minus 60", expiry.AddDays(DefaultGraceDays), StatusInactive},
		{"expiry is today minus 61", expiry.AddDays(DefaultGraceDays + 1), StatusSuspended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusOn(expiry, tt.today, DefaultGraceDays, false); got != tt.want {
				t.Errorf("StatusOn(%v, %v, %d, false) = %q, want %q", expiry, tt.today, DefaultGraceDays, got, tt.want)
			}
		})
	}
}

func TestBillable(t *testing.T) {
	tests := []struct {
		status Status
		want   bool
	}{
		{StatusActive, true},
		{StatusInactive, true},
		{StatusSuspended, false},
		{StatusDisconnected, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			if got := Billable(tt.status); got != tt.want {
				t.Errorf("Billable(%q) = %v, want %v", tt.status, got, tt.want)
			}
		})
	}
}

func TestPeriodStatePredicates(t *testing.T) {
	tests := []struct {
		state       PeriodState
		wantOpen    bool
		wantSettled bool
	}{
		{StateScheduled, false, false},
		{StateDue, true, false},
		{StatePartial, true, false},
		{StatePaid, false, true},
		{StateWaived, false, true},
		{StateSkipped, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			if got := tt.state.Open(); got != tt.wantOpen {
				t.Errorf("Open() = %v, want %v", got, tt.wantOpen)
			}
			if got := tt.state.Settled(); got != tt.wantSettled {
				t.Errorf("Settled() = %v, want %v", got, tt.wantSettled)
			}
		})
	}
}

func TestParsePeriodState(t *testing.T) {
	for _, want := range []PeriodState{StateScheduled, StateDue, StatePartial, StatePaid, StateWaived, StateSkipped} {
		t.Run(string(want), func(t *testing.T) {
			got, err := ParsePeriodState(string(want))
			if err != nil {
				t.Fatalf("ParsePeriodState(%q) error: %v", want, err)
			}
			if got != want {
				t.Errorf("ParsePeriodState(%q) = %q", want, got)
			}
		})
	}
	for _, input := range []string{"", "Paid", "overdue", " due"} {
		t.Run("reject "+input, func(t *testing.T) {
			_, err := ParsePeriodState(input)
			if !errors.Is(err, ErrInvalidPeriodState) {
				t.Errorf("ParsePeriodState(%q) error = %v, want ErrInvalidPeriodState", input, err)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	for _, want := range []Status{StatusActive, StatusInactive, StatusSuspended, StatusDisconnected} {
		t.Run(string(want), func(t *testing.T) {
			got, err := ParseStatus(string(want))
			if err != nil {
				t.Fatalf("ParseStatus(%q) error: %v", want, err)
			}
			if got != want {
				t.Errorf("ParseStatus(%q) = %q", want, got)
			}
		})
	}
	for _, input := range []string{"", "Active", "expired"} {
		t.Run("reject "+input, func(t *testing.T) {
			_, err := ParseStatus(input)
			if !errors.Is(err, ErrInvalidStatus) {
				t.Errorf("ParseStatus(%q) error = %v, want ErrInvalidStatus", input, err)
			}
		})
	}
}

func TestParseService(t *testing.T) {
	tests := []struct {
		input     string
		want      Service
		wantLabel string
	}{
		{"cable_tv", ServiceCableTV, "Cable TV"},
		{"broadband", ServiceBroadband, "Broadband"},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseService(tt.input)
			if err != nil {
				t.Fatalf("ParseService(%q) error: %v", tt.input, err)
			}
			if got != tt.want {
				t.Errorf("ParseService(%q) = %q, want %q", tt.input, got, tt.want)
			}
			if got.Label() != tt.wantLabel {
				t.Errorf("%q.Label() = %q, want %q", got, got.Label(), tt.wantLabel)
			}
		})
	}
	for _, input := range []string{"", "Cable TV", "cable", "BROADBAND", "dth"} {
		t.Run("reject "+input, func(t *testing.T) {
			_, err := ParseService(input)
			if !errors.Is(err, ErrInvalidService) {
				t.Errorf("ParseService(%q) error = %v, want ErrInvalidService", input, err)
			}
		})
	}
}

func TestServiceLabelUnknown(t *testing.T) {
	if got := Service("dth").Label(); got != "dth" {
		t.Errorf(`Service("dth").Label() = %q, want "dth"`, got)
	}
}
