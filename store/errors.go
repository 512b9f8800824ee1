package store

import (
	"errors"
	"fmt"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// ErrDiskFull is wrapped when a write failed because the disk that holds
// the data folder is full. The transaction was rolled back, so nothing of
// it was saved.
var ErrDiskFull = message.NewError("the disk that holds the CTVMS data folder is full; free some space and try again (nothing was saved)")

// classify wraps err with ErrDiskFull when SQLite or the file system
// reported a full disk, and returns other errors unchanged.
func classify(err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

// ServiceText returns the name of a service for a message, such as
// "Cable TV", which the screen translates.
func ServiceText(sv billing.Service) message.Text {
	switch sv {
	case billing.ServiceCableTV:
		return message.New("Cable TV")
	case billing.ServiceBroadband:
		return message.New("Broadband")
	}
	return message.New("{{.Service}}", "Service", string(sv))
}

// statusText returns the status of a connection for a message, such as
// "Suspended", which the screen translates.
func statusText(s billing.Status) message.Text {
	switch s {
	case billing.StatusActive:
		return message.New("Active")
	case billing.StatusInactive:
		return message.New("Inactive")
	case billing.StatusSuspended:
		return message.New("Suspended")
	case billing.StatusDisconnected:
		return message.New("Disconnected")
	}
	return message.New("{{.Status}}", "Status", string(s))
}

// periodStateText returns the state of a billing period for a message,
// such as "paid", which the screen translates.
func periodStateText(s billing.PeriodState) message.Text {
	switch s {
	case billing.StateScheduled:
		return message.New("scheduled")
	case billing.StateDue:
		return message.New("due")
	case billing.StatePartial:
		return message.New("partial")
	case billing.StatePaid:
		return message.New("paid")
	case billing.StateWaived:
		return message.New("waived")
	case billing.StateSkipped:
		return message.New("skipped")
	}
	return message.New("{{.State}}", "State", string(s))
}
