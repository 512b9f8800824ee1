package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// customersInFile counts the customers in the database file at path as it
// is on disk, without its write-ahead log, by reading a copy of the file
// alone.
func customersInFile(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "alone.db")
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+copyPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM customers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCheckpointerCopiesCommittedLog checks that a commit leaves its pages
// in the write-ahead log and that the checkpointer copies them into the
// database file within a few of its runs.
func TestCheckpointerCopiesCommittedLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ctvms.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// The schema goes into the file first, so the file alone can be read.
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}

	// Enough rows to pass SQLite's own threshold of 1,000 log pages,
	// past which a commit would copy the log itself.
	names := make([]byte, 3000)
	for i := range names {
		names[i] = 'a' + byte(i%26)
	}
	now := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		for i := range 3000 {
			_, err := tx.ExecContext(ctx, `INSERT INTO customers (crf, name, mobile, search_key, notes, created_at)
				VALUES (?, ?, ?, ?, ?, ?)`, 5000+i, "Customer", "9000000000", "customer", string(names), formatTime(now))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if n := customersInFile(t, path); n != 0 {
		t.Fatalf("the commit copied the log into the file itself: %d customers there", n)
	}

	deadline := time.Now().Add(5 * checkpointEvery)
	for customersInFile(t, path) != 3000 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file lacks the committed customers after %v", 5*checkpointEvery)
		}
		time.Sleep(checkpointEvery / 10)
	}
}
