package billing

import (
	"testing"
	"time"
)

func TestPeriodStart(t *testing.T) {
	tests := []struct {
		name   string
		anchor Date
		k      int
		want   Date
	}{
		{"31 Jan anchor itself", date(2026, time.January, 31), 0, date(2026, time.January, 31)},
		{"31 Jan clamped to February", date(2026, time.January, 31), 1, date(2026, time.February, 28)},
		{"31 Jan back to 31 March", date(2026, time.January, 31), 2, date(2026, time.March, 31)},
		{"31 Jan clamped to April", date(2026, time.January, 31), 3, date(2026, time.April, 30)},
		{"31 Jan back to 31 May", date(2026, time.January, 31), 4, date(2026, time.May, 31)},
		{"31 Jan next year", date(2026, time.January, 31), 12, date(2027, time.January, 31)},
		{"31 Jan to leap February", date(2027, time.January, 31), 13, date(2028, time.February, 29)},
		{"leap day anchor", date(2028, time.February, 29), 0, date(2028, time.February, 29)},
		{"leap day to March", date(2028, time.February, 29), 1, date(2028, time.March, 29)},
		{"leap day to common February", date(2028, time.February, 29), 12, date(2029, time.February, 28)},
		{"leap day after common February", date(2028, time.February, 29), 13, date(2029, time.March, 29)},
		{"leap day next leap year", date(2028, time.February, 29), 48, date(2032, time.February, 29)},
		{"30 Jan to leap February", date(2028, time.January, 30), 1, date(2028, time.February, 29)},
		{"30 Jan back to 30 March", date(2028, time.January, 30), 2, date(2028, time.March, 30)},
		{"30 Jan to common February", date(2028, time.January, 30), 13, date(2029, time.February, 28)},
		{"first of month", date(2026, time.March, 1), 1, date(2026, time.April, 1)},
		{"first of month over year end", date(2026, time.November, 1), 2, date(2027, time.January, 1)},
		{"December to January", date(2026, time.December, 15), 1, date(2027, time.January, 15)},
		{"31 Dec to February", date(2026, time.December, 31), 2, date(2027, time.February, 28)},
		{"one month before", date(2026, time.January, 31), -1, date(2025, time.December, 31)},
		{"eleven months before clamped", date(2026, time.January, 31), -11, date(2025, time.February, 28)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PeriodStart(tt.anchor, tt.k); got != tt.want {
				t.Errorf("PeriodStart(%v, %d) = %v, want %v", tt.anchor, tt.k, got, tt.want)
			}
		})
	}
}

func TestPeriodStartNeverDrifts(t *testing.T) {
	for _, anchor := range []Date{
		date(2026, time.January, 31),
		date(2026, time.January, 30),
		date(2028, time.January, 29),
		date(2028, time.February, 29),
		date(2026, time.March, 1),
		date(2026, time.August, 31),
	} {
		t.Run(anchor.String(), func(t *testing.T) {
			for k := range 120 {
				start := PeriodStart(anchor, k)
				months := int(anchor.Month) - 1 + k
				wantYear := anchor.Year + months/12
				wantMonth := time.Month(months%12 + 1)
				wantDay := min(anchor.Day, DaysIn(wantYear, wantMonth))
				if start != date(wantYear, wantMonth, wantDay) {
					t.Fatalf("PeriodStart(%v, %d) = %v, want %v", anchor, k, start, date(wantYear, wantMonth, wantDay))
				}
			}
		})
	}
}

func TestPeriodAt(t *testing.T) {
	anchor := date(2026, time.January, 31)
	tests := []struct {
		name string
		k    int
		want Period
	}{
		{"first", 0, Period{0, date(2026, time.January, 31), date(2026, time.February, 27)}},
		{"clamped February", 1, Period{1, date(2026, time.February, 28), date(2026, time.March, 30)}},
		{"March", 2, Period{2, date(2026, time.March, 31), date(2026, time.April, 29)}},
		{"clamped April", 3, Period{3, date(2026, time.April, 30), date(2026, time.May, 30)}},
		{"December over year end", 11, Period{11, date(2026, time.December, 31), date(2027, time.January, 30)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PeriodAt(anchor, tt.k); got != tt.want {
				t.Errorf("PeriodAt(%v, %d) = %+v, want %+v", anchor, tt.k, got, tt.want)
			}
		})
	}
}

func TestPeriodAtLeapDayAnchor(t *testing.T) {
	anchor := date(2028, time.February, 29)
	tests := []struct {
		name string
		k    int
		want Period
	}{
		{"first", 0, Period{0, date(2028, time.February, 29), date(2028, time.March, 28)}},
		{"before common February", 11, Period{11, date(2029, time.January, 29), date(2029, time.February, 27)}},
		{"common February", 12, Period{12, date(2029, time.February, 28), date(2029, time.March, 28)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PeriodAt(anchor, tt.k); got != tt.want {
				t.Errorf("PeriodAt(%v, %d) = %+v, want %+v", anchor, tt.k, got, tt.want)
			}
		})
	}
}

func TestPeriodsAreContiguous(t *testing.T) {
	for _, anchor := range []Date{
		date(2026, time.January, 31),
		date(2028, time.February, 29),
		date(2026, time.December, 1),
	} {
		t.Run(anchor.String(), func(t *testing.T) {
			for k := range 120 {
				p, next := PeriodAt(anchor, k), PeriodAt(anchor, k+1)
				if p.End.AddDays(1) != next.Start {
					t.Fatalf("period %d ends %v but period %d starts %v", k, p.End, k+1, next.Start)
				}
				if length := p.Start.DaysUntil(p.End) + 1; length < 28 || length > 31 {
					t.Fatalf("period %d from %v to %v lasts %d days", k, p.Start, p.End, length)
				}
			}
		})
	}
}

func TestPeriodIndexOn(t *testing.T) {
	anchor := date(2026, time.January, 31)
	tests := []struct {
		name   string
		day    Date
		want   int
		wantOK bool
	}{
		{"before anchor", date(2026, time.January, 30), 0, false},
		{"anchor", date(2026, time.January, 31), 0, true},
		{"last day of first period", date(2026, time.February, 27), 0, true},
		{"clamped start", date(2026, time.February, 28), 1, true},
		{"inside month before start", date(2026, time.March, 30), 1, true},
		{"March start", date(2026, time.March, 31), 2, true},
		{"next year", date(2027, time.January, 15), 11, true},
		{"next year start", date(2027, time.January, 31), 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PeriodIndexOn(anchor, tt.day)
			if ok != tt.wantOK {
				t.Fatalf("PeriodIndexOn(%v, %v) ok = %v, want %v", anchor, tt.day, ok, tt.wantOK)
			}
			if got != tt.want {
				t.Errorf("PeriodIndexOn(%v, %v) = %d, want %d", anchor, tt.day, got, tt.want)
			}
		})
	}
}

func TestPeriodIndexOnEveryDay(t *testing.T) {
	anchor := date(2028, time.January, 30)
	for day := anchor; day.Before(date(2031, time.January, 1)); day = day.AddDays(1) {
		k, ok := PeriodIndexOn(anchor, day)
		if !ok {
			t.Fatalf("PeriodIndexOn(%v, %v) found no period", anchor, day)
		}
		p := PeriodAt(anchor, k)
		if day.Before(p.Start) || day.After(p.End) {
			t.Fatalf("PeriodIndexOn(%v, %v) = %d, which runs from %v to %v", anchor, day, k, p.Start, p.End)
		}
	}
}

func starts(periods []Period) []Date {
	dates := make([]Date, len(periods))
	for i, p := range periods {
		dates[i] = p.Start
	}
	return dates
}

func TestPeriodsStartingIn(t *testing.T) {
	anchor := date(2026, time.October, 31)
	tests := []struct {
		name      string
		year      int
		wantCount int
		wantFirst Period
		wantLast  Period
	}{
		{
			name: "anchor year", year: 2026, wantCount: 3,
			wantFirst: Period{0, date(2026, time.October, 31), date(2026, time.November, 29)},
			wantLast:  Period{2, date(2026, time.December, 31), date(2027, time.January, 30)},
		},
		{
			name: "next year", year: 2027, wantCount: 12,
			wantFirst: Period{3, date(2027, time.January, 31), date(2027, time.February, 27)},
			wantLast:  Period{14, date(2027, time.December, 31), date(2028, time.January, 30)},
		},
		{
			name: "leap year", year: 2028, wantCount: 12,
			wantFirst: Period{15, date(2028, time.January, 31), date(2028, time.February, 28)},
			wantLast:  Period{26, date(2028, time.December, 31), date(2029, time.January, 30)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PeriodsStartingIn(anchor, tt.year)
			if len(got) != tt.wantCount {
				t.Fatalf("PeriodsStartingIn(%v, %d) starts %v, want %d periods", anchor, tt.year, starts(got), tt.wantCount)
			}
			if got[0] != tt.wantFirst {
				t.Errorf("first period = %+v, want %+v", got[0], tt.wantFirst)
			}
			if last := got[len(got)-1]; last != tt.wantLast {
				t.Errorf("last period = %+v, want %+v", last, tt.wantLast)
			}
			for i, p := range got {
				if p != PeriodAt(anchor, tt.wantFirst.Index+i) {
					t.Errorf("period %d = %+v, want %+v", i, p, PeriodAt(anchor, tt.wantFirst.Index+i))
				}
				if p.Start.Year != tt.year {
					t.Errorf("period %d starts %v, outside %d", i, p.Start, tt.year)
				}
			}
		})
	}
}

func TestPeriodsStartingInBeforeAnchorYear(t *testing.T) {
	anchor := date(2026, time.October, 31)
	if got := PeriodsStartingIn(anchor, 2025); len(got) != 0 {
		t.Errorf("PeriodsStartingIn(%v, 2025) = %+v, want none", anchor, got)
	}
}

func TestPeriodsStartingInAnchorOnFirstJanuary(t *testing.T) {
	anchor := date(2026, time.January, 1)
	got := PeriodsStartingIn(anchor, 2026)
	if len(got) != 12 {
		t.Fatalf("PeriodsStartingIn(%v, 2026) starts %v, want 12 periods", anchor, starts(got))
	}
	if got[11].End != date(2026, time.December, 31) {
		t.Errorf("last period ends %v, want 2026-12-31", got[11].End)
	}
}

func TestPeriodsStartingBetween(t *testing.T) {
	anchor := date(2026, time.January, 31)
	tests := []struct {
		name     string
		from, to Date
		want     []Date
	}{
		{
			name: "from anchor", from: anchor, to: date(2026, time.April, 30),
			want: []Date{anchor, date(2026, time.February, 28), date(2026, time.March, 31), date(2026, time.April, 30)},
		},
		{
			name: "from before anchor", from: date(2025, time.June, 1), to: date(2026, time.February, 28),
			want: []Date{anchor, date(2026, time.February, 28)},
		},
		{
			name: "bounds inclusive", from: date(2026, time.February, 28), to: date(2026, time.March, 31),
			want: []Date{date(2026, time.February, 28), date(2026, time.March, 31)},
		},
		{
			name: "bounds exclusive of neighbours", from: date(2026, time.March, 1), to: date(2026, time.April, 29),
			want: []Date{date(2026, time.March, 31)},
		},
		{
			name: "same day on a start", from: date(2026, time.March, 31), to: date(2026, time.March, 31),
			want: []Date{date(2026, time.March, 31)},
		},
		{
			name: "same day off a start", from: date(2026, time.March, 15), to: date(2026, time.March, 15),
			want: nil,
		},
		{
			name: "over year end", from: date(2026, time.December, 1), to: date(2027, time.February, 28),
			want: []Date{date(2026, time.December, 31), date(2027, time.January, 31), date(2027, time.February, 28)},
		},
		{name: "before anchor", from: date(2025, time.January, 1), to: date(2026, time.January, 30), want: nil},
		{name: "reversed range", from: date(2026, time.May, 1), to: date(2026, time.April, 1), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PeriodsStartingBetween(anchor, tt.from, tt.to)
			if len(got) != len(tt.want) {
				t.Fatalf("PeriodsStartingBetween(%v, %v, %v) starts %v, want %v", anchor, tt.from, tt.to, starts(got), tt.want)
			}
			for i, p := range got {
				if p.Start != tt.want[i] {
					t.Errorf("period %d starts %v, want %v", i, p.Start, tt.want[i])
				}
				if k, _ := PeriodIndexOn(anchor, p.Start); p != PeriodAt(anchor, k) {
					t.Errorf("period %d = %+v, want %+v", i, p, PeriodAt(anchor, k))
				}
			}
		})
	}
}
