package store

import (
	"errors"
	"fmt"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

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
