package importer

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// DateFormats lists the accepted date forms, as the messages show them.
const DateFormats = "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY"

var (
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	// dayFirstDate matches D/M/YYYY with /, - or . as separator, the same
	// separator twice.
	dayFirstDate = regexp.MustCompile(`^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})$`)
	serialNumber = regexp.MustCompile(`^\d+(\.\d+)?$`)
)

// Excel serial day numbers accepted as dates: 1 is 1 January 1900 and
// 2958465 is 31 December 9999, the range Excel itself shows as dates.
const (
	minSerial = 1
	maxSerial = 2958465
)

// ParseDate reads a date in one of DateFormats. With serial set, a plain
// number is read as an Excel serial day number, as an .xlsx date cell
// stores it. Day-first forms whose second number is above 12 while the
// first is not are rejected as month-first dates, because reading them
// day-first would swap day and month silently. Error messages start with
// the quoted text, for the caller to prefix with the column's name.
func ParseDate(text string, serial bool) (billing.Date, error) {
	text = strings.TrimSpace(text)
	if m := isoDate.FindStringSubmatch(text); m != nil {
		return makeDate(text, m[1], m[2], m[3])
	}
	if m := dayFirstDate.FindStringSubmatch(text); m != nil && m[2] == m[4] {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[3])
		if month > 12 && day <= 12 {
			return billing.Date{}, message.NewError("{{.Date}} looks like month/day/year; write the day first "+
				"(DD/MM/YYYY) or use YYYY-MM-DD", "Date", strconv.Quote(text))
		}
		return makeDate(text, m[5], m[3], m[1])
	}
	if serial && serialNumber.MatchString(text) {
		return serialDate(text)
	}
	return billing.Date{}, unknownDateForm(text)
}

func unknownDateForm(text string) error {
	return message.NewError("{{.Date}} is not in a known form: use {{.Forms}}", "Date", strconv.Quote(text),
		"Forms", DateFormats)
}

func makeDate(text, year, month, day string) (billing.Date, error) {
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	if m < 1 || m > 12 || d < 1 || d > billing.DaysIn(y, time.Month(m)) || y < 1900 {
		return billing.Date{}, message.NewError("{{.Date}} does not exist: check the day and month",
			"Date", strconv.Quote(text))
	}
	return billing.NewDate(y, time.Month(m), d), nil
}

// serialDate converts an Excel serial day number (1900 date system) to a
// date, dropping any time of day.
func serialDate(text string) (billing.Date, error) {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || v < minSerial || v > maxSerial {
		return billing.Date{}, unknownDateForm(text)
	}
	days := int(math.Floor(v))
	// Excel counts 29 February 1900, a day that did not exist, so serial
	// numbers from 61 on are one day ahead of a plain count from
	// 31 December 1899.
	if days >= 61 {
		days--
	}
	return billing.NewDate(1899, time.December, 31+days), nil
}
