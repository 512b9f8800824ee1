package gen

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateCommandWritesDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.db")
	var stdout, stderr bytes.Buffer
	code := RunGenerateCommand([]string{"-out", path, "-customers", "50", "-seed", "3"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit code = %d, stderr %q", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "customers 1001 to 1050") {
		t.Errorf("stdout = %q", stdout.String())
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := count(t, db, `SELECT COUNT(*) FROM customers`); n != 50 {
		t.Errorf("customers = %d, want 50", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM payment_hours`); n == 0 {
		t.Error("payment totals are empty")
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode = %q, %v; want wal", mode, err)
	}
}

func TestGenerateCommandRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing out", []string{"-customers", "5"}, "missing -out"},
		{"zero customers", []string{"-out", "x.db", "-customers", "0"}, "invalid -customers 0"},
		{"extra argument", []string{"-out", "x.db", "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := RunGenerateCommand(tt.args, &stdout, &stderr); code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.want)
			}
		})
	}
}
