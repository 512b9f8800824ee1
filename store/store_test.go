package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func tableNames(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.ro.Query(`SELECT name || ':' || COALESCE(sql, '') FROM sqlite_schema ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func TestMigrateEmptyToLatestTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ctvms.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first := tableNames(t, s)
	version, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := loadMigrations()
	if want := list[len(list)-1].version; version != want {
		t.Errorf("schema version = %d, want %d", version, want)
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer s.Close()
	second := tableNames(t, s)
	if len(first) != len(second) {
		t.Fatalf("schema changed on second migration: %d objects, then %d", len(first), len(second))
	}
	for i := range first {
		if first[i] != second[i] {
			t.Errorf("schema object %d changed:\n%s\n%s", i, first[i], second[i])
		}
	}
	var applied int
	if err := s.ro.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != len(list) {
		t.Errorf("schema_migrations has %d rows, want %d", applied, len(list))
	}
}

func TestOpenSetsPragmas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ctvms.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode string
	var fk, timeout int
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
	if timeout < 1000 {
		t.Errorf("busy_timeout = %d ms, want at least 1000", timeout)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode = %o, want 600", perm)
	}
}

func TestSearchKeyFoldsCaseAndAccents(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Émile", "emile"},
		{"JOSÉ MUÑOZ", "jose munoz"},
		{"Ünal Şahin", "unal sahin"},
		{"ΣΩΚΡΆΤΗΣ", "σωκρατησ"},
		{"100%_off", "100%_off"},
	}
	for _, tt := range tests {
		if got := SearchKey(tt.in); got != tt.want {
			t.Errorf("SearchKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
