package billing

import "time"

// Period is one monthly billing period of a connection. Index counts the
// months since the anchor (the activation or latest reconnection day), so
// period 0 starts on the anchor. Start and End are both inclusive.
type Period struct {
	Index int
	Start Date
	End   Date
}

// PeriodStart returns the start of period k of a connection anchored on
// anchor. It falls k calendar months after the anchor, with the anchor day
// clamped to the last day of a shorter month. The day is computed from the
// anchor each time, so it never drifts, and anchor 31 Jan gives 31 Jan,
// 28 Feb, 31 Mar, 30 Apr. A negative k counts months before the anchor.
func PeriodStart(anchor Date, k int) Date {
	months := anchor.Year*12 + int(anchor.Month-time.January) + k
	year := floorDiv(months, 12)
	month := time.Month(months-year*12) + time.January
	day := min(anchor.Day, DaysIn(year, month))
	return Date{Year: year, Month: month, Day: day}
}

// PeriodAt returns period k of a connection anchored on anchor. It ends the
// day before period k+1 starts.
func PeriodAt(anchor Date, k int) Period {
	return Period{
		Index: k,
		Start: PeriodStart(anchor, k),
		End:   PeriodStart(anchor, k+1).AddDays(-1),
	}
}

// PeriodIndexOn returns the index of the period that contains day. It
// returns false when day is before the anchor and so in no period.
func PeriodIndexOn(anchor, day Date) (int, bool) {
	if day.Before(anchor) {
		return 0, false
	}

	// Period k starts in the k-th month after the anchor's month, so the
	// period starting in day's month contains day unless it starts later in
	// that month.
	k := (day.Year-anchor.Year)*12 + int(day.Month-anchor.Month)
	if PeriodStart(anchor, k).After(day) {
		k--
	}
	return k, true
}

// PeriodsStartingIn returns the periods whose start falls in the given
// calendar year, in order. It returns 12 periods for a year after the
// anchor's, fewer for the anchor's own year, and none for an earlier year.
func PeriodsStartingIn(anchor Date, year int) []Period {
	if year < anchor.Year {
		return nil
	}

	first := max((year-anchor.Year)*12-int(anchor.Month-time.January), 0)
	var periods []Period
	for k := first; PeriodStart(anchor, k).Year == year; k++ {
		periods = append(periods, PeriodAt(anchor, k))
	}
	return periods
}

// PeriodsStartingBetween returns the periods with from <= Start <= to, in
// order. Periods before the anchor are never included, and a range with to
// before from returns none.
func PeriodsStartingBetween(anchor, from, to Date) []Period {
	if to.Before(from) || to.Before(anchor) {
		return nil
	}

	k, ok := PeriodIndexOn(anchor, from)
	if !ok {
		k = 0
	} else if PeriodStart(anchor, k).Before(from) {
		k++
	}

	var periods []Period
	for ; !PeriodStart(anchor, k).After(to); k++ {
		periods = append(periods, PeriodAt(anchor, k))
	}
	return periods
}

// floorDiv divides rounding towards negative infinity, so month counts
// before year 0 still map to months 1 to 12.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
