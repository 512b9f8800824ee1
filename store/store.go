// Package store keeps CTVMS data in an SQLite database through
// modernc.org/sqlite. It is the only package that writes SQL: every query is
// bound with parameters, and every write that must happen together runs in
// one immediate transaction on the single writer connection.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// busyTimeout is how long a connection waits for another writer (possibly a
// second copy of the program on the same folder) before giving up.
const busyTimeout = 15 * time.Second

// Store is an open CTVMS database.
type Store struct {
	path string
	// db is the only writer: one connection, so writes queue in Go instead
	// of fighting for the file lock.
	db *sql.DB
	// ro serves reads from several connections, which WAL lets run while
	// the writer commits.
	ro *sql.DB
	// checkpoints copies the write-ahead log into the database file.
	checkpoints *checkpointer
}

// Open opens or creates the database at path and migrates it to the latest
// schema. The file is created readable by its owner only.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}

	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)

	ro, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	ro.SetMaxOpenConns(4)

	s := &Store{path: path, db: db, ro: ro}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.checkpoints, err = startCheckpointer(path, checkpointEvery); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s for checkpoints: %w", path, err)
	}
	return s, nil
}

// createPrivate creates an empty database file with mode 0600 unless it
// exists, because SQLite would otherwise create it with the umask's mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open database file %s: %w", path, err)
	}
	return f.Close()
}

// dsn builds the connection string. busy_timeout comes first so that the
// pragmas after it already wait for a second process instead of failing.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		// 64 MiB of page cache instead of SQLite's default 2 MB keeps the
		// index pages that the year updater and the billing run touch in
		// memory at 100,000 customers. The cache grows only as pages are
		// read.
		q.Add("_pragma", "cache_size(-65536)")
		// A statement that may fail halfway, such as an INSERT with a
		// unique index and triggers, first copies each page it changes to
		// a statement journal. In a temporary file that is a system call
		// per page: almost half the time of the year updater at 100,000
		// customers. In memory it costs at most the pages of one
		// statement.
		q.Add("_pragma", "temp_store(MEMORY)")
		// The checkpointer copies the write-ahead log back in the
		// background (see checkpointer), so commits do not. The log file
		// is cut back to 64 MiB once copied, after a large job.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Add("_pragma", "journal_size_limit(67108864)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Close stops the checkpointer and closes the connection pools. The last
// connection to close copies what is left of the write-ahead log into the
// database file.
func (s *Store) Close() error {
	var err error
	if s.checkpoints != nil {
		err = s.checkpoints.close()
	}
	return errors.Join(err, s.ro.Close(), s.db.Close())
}

// Path returns the database file's path.
func (s *Store) Path() string {
	return s.path
}

// withTx runs fn in one immediate write transaction and commits when fn
// returns nil. The deferred rollback undoes everything on any error or panic.
// A full disk is reported as ErrDiskFull.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(fmt.Errorf("begin transaction: %w", err))
	}
	defer tx.Rollback()

	if err := fn(tx); err != nil {
		return classify(err)
	}
	if err := tx.Commit(); err != nil {
		return classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// queryer is the read side shared by *sql.DB and *sql.Tx, so a read helper
// can run inside a write transaction or on the read pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// timeLayout stores instants in UTC with fixed width, so text order is time
// order.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s, err)
	}
	return t, nil
}

func parseNullTime(ns sql.NullString) (time.Time, error) {
	if !ns.Valid || ns.String == "" {
		return time.Time{}, nil
	}
	return parseTime(ns.String)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Checkpoint copies the write-ahead log into the database file and empties
// the log, as backups and tests that measure disk use need.
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
