package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openTestStore opens a new database in a temp folder and returns it with
// the folder.
func openTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), filepath.Join(dir, DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func setBusinessName(t *testing.T, s *Store, name string) {
	t.Helper()
	st := DefaultSettings()
	st.BusinessName = name
	if err := s.SaveSettings(context.Background(), "admin", st); err != nil {
		t.Fatal(err)
	}
}

func businessName(t *testing.T, s *Store) string {
	t.Helper()
	st, err := s.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.BusinessName
}

// fillAudit adds n audit rows of about 200 bytes, so the database spans
// many pages.
func fillAudit(t *testing.T, s *Store, n int) {
	t.Helper()
	details := strings.Repeat("x", 200)
	for i := range n {
		_, err := s.db.Exec(`INSERT INTO audit_log (at, actor, action, entity, details) VALUES (?, 'test', 'fill', 'row', ?)`,
			formatTime(time.Now()), fmt.Sprint(i, details))
		if err != nil {
			t.Fatal(err)
		}
	}
}

var backupDay = time.Date(2026, time.December, 4, 10, 30, 0, 0, time.UTC)

func TestBackupWritesPrivateCopy(t *testing.T) {
	s, dir := openTestStore(t)
	setBusinessName(t, s, "Sunrise Cable")
	backups := filepath.Join(dir, BackupsDir)

	info, err := s.Backup(context.Background(), backups, backupDay)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ctvms-2026-12-04-103000.db"; info.Name != want {
		t.Errorf("backup name = %q, want %q", info.Name, want)
	}
	st, err := os.Stat(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := st.Mode().Perm(); mode != 0o600 {
		t.Errorf("backup mode = %o, want 600", mode)
	}
	if err := CheckBackup(context.Background(), info.Path); err != nil {
		t.Errorf("fresh backup fails the check: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(backups, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left in the backups folder: %v", leftovers)
	}

	copyStore, err := Open(context.Background(), filepath.Join(t.TempDir(), "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	if _, err := copyStore.RestoreFrom(context.Background(), info.Path, "admin", backupDay); err != nil {
		t.Fatal(err)
	}
	if got := businessName(t, copyStore); got != "Sunrise Cable" {
		t.Errorf("business name in the backup = %q, want Sunrise Cable", got)
	}
}

func TestBackupKeepsNewestFourteen(t *testing.T) {
	s, dir := openTestStore(t)
	backups := filepath.Join(dir, BackupsDir)
	for i := range 20 {
		if _, err := s.Backup(context.Background(), backups, backupDay.AddDate(0, 0, i)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := ListBackups(backups, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != BackupsKept {
		t.Fatalf("%d backups kept, want %d", len(list), BackupsKept)
	}
	if newest := list[0].At; !newest.Equal(backupDay.AddDate(0, 0, 19)) {
		t.Errorf("newest backup at %v, want %v", newest, backupDay.AddDate(0, 0, 19))
	}
	if oldest := list[len(list)-1].At; !oldest.Equal(backupDay.AddDate(0, 0, 6)) {
		t.Errorf("oldest backup kept at %v, want %v", oldest, backupDay.AddDate(0, 0, 6))
	}
}

func TestBackupSameSecondGetsNewName(t *testing.T) {
	s, dir := openTestStore(t)
	backups := filepath.Join(dir, BackupsDir)
	first, err := s.Backup(context.Background(), backups, backupDay)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Backup(context.Background(), backups, backupDay)
	if err != nil {
		t.Fatal(err)
	}
	if second.Name != "ctvms-2026-12-04-103000-2.db" {
		t.Errorf("second backup name = %q", second.Name)
	}
	list, err := ListBackups(backups, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != second.Name || list[1].Name != first.Name {
		t.Errorf("backups listed as %v, want the second first", list)
	}
}

func TestListBackupsIgnoresOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"notes.txt", "ctvms-2026-13-04-103000.db", "ctvms-2026-12-04-103000-x.db",
		".ctvms-backup-1.tmp", "ctvms-2026-12-04-103000.db"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	list, err := ListBackups(dir, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "ctvms-2026-12-04-103000.db" {
		t.Errorf("listed %v, want only ctvms-2026-12-04-103000.db", list)
	}
	missing, err := ListBackups(filepath.Join(dir, "none"), time.UTC)
	if err != nil || len(missing) != 0 {
		t.Errorf("missing folder: %v, %v; want no backups and no error", missing, err)
	}
}

func TestBackupIntoFileFailsCleanly(t *testing.T) {
	s, dir := openTestStore(t)
	backups := filepath.Join(dir, BackupsDir)
	if err := os.WriteFile(backups, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Backup(context.Background(), backups, backupDay)
	if err == nil {
		t.Fatal("backup into a file path succeeded")
	}
	if !strings.Contains(err.Error(), "create backup folder") {
		t.Errorf("error %q does not name the backup folder", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "backup-") || strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("partial file %s left in the data folder", e.Name())
		}
	}
}

func TestHasBackupOn(t *testing.T) {
	s, dir := openTestStore(t)
	backups := filepath.Join(dir, BackupsDir)
	if has, err := HasBackupOn(backups, backupDay); err != nil || has {
		t.Fatalf("before any backup: %v, %v", has, err)
	}
	if _, err := s.Backup(context.Background(), backups, backupDay); err != nil {
		t.Fatal(err)
	}
	if has, _ := HasBackupOn(backups, backupDay.Add(10*time.Hour)); !has {
		t.Error("backup of the same day not found")
	}
	if has, _ := HasBackupOn(backups, backupDay.AddDate(0, 0, 1)); has {
		t.Error("backup found for the next day")
	}
}

func TestRestoreFromReplacesOpenDatabase(t *testing.T) {
	s, dir := openTestStore(t)
	ctx := context.Background()
	setBusinessName(t, s, "Before Backup")
	info, err := s.Backup(ctx, filepath.Join(dir, BackupsDir), backupDay)
	if err != nil {
		t.Fatal(err)
	}
	setBusinessName(t, s, "After Backup")

	// A second store on the same file stands for the other running copy.
	other, err := Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if got := businessName(t, other); got != "After Backup" {
		t.Fatalf("other copy reads %q before the restore", got)
	}

	res, err := s.RestoreFrom(ctx, info.Path, "admin", backupDay.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := businessName(t, s); got != "Before Backup" {
		t.Errorf("business name after restore = %q, want Before Backup", got)
	}
	if got := businessName(t, other); got != "Before Backup" {
		t.Errorf("other copy reads %q after restore, want Before Backup", got)
	}
	if want := s.Path() + ".replaced-2026-12-04-113000"; res.ReplacedPath != want {
		t.Errorf("replaced path = %q, want %q", res.ReplacedPath, want)
	}
	st, err := os.Stat(res.ReplacedPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode = %o, want 600", st.Mode().Perm())
	}
	kept, err := Open(ctx, res.ReplacedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if got := businessName(t, kept); got != "After Backup" {
		t.Errorf("replaced database holds %q, want After Backup", got)
	}
	audit, err := s.ListAudit(ctx, AuditFilter{Action: "backup.restore"})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || !strings.Contains(audit[0].Details, info.Name) {
		t.Errorf("restore audit rows = %+v, want one naming %s", audit, info.Name)
	}
	if _, err := s.SchemaVersion(ctx); err != nil {
		t.Errorf("restored database unreadable: %v", err)
	}
	if problems, err := runCheck(ctx, s.db, "integrity_check"); err != nil || len(problems) > 0 {
		t.Errorf("integrity check after restore: %v %v", problems, err)
	}
}

func TestRestoreRejectsBadFiles(t *testing.T) {
	s, dir := openTestStore(t)
	ctx := context.Background()
	setBusinessName(t, s, "Current")
	text := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(text, []byte("these are not the pages you are looking for"), 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	if err := rawExec(foreign, `CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	damaged := damagedCopy(t, s, dir)

	cases := []struct {
		name string
		path string
		want error
	}{
		{"text file", text, ErrNotBackup},
		{"other SQLite database", foreign, ErrNotBackup},
		{"damaged backup", damaged, ErrDamaged},
		{"folder", dir, nil},
		{"missing file", filepath.Join(dir, "missing.db"), os.ErrNotExist},
		{"open database itself", s.Path(), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.RestoreFrom(ctx, c.path, "admin", backupDay)
			if err == nil {
				t.Fatal("restore succeeded")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if got := businessName(t, s); got != "Current" {
				t.Errorf("database changed to %q by a rejected restore", got)
			}
		})
	}
	replaced, _ := filepath.Glob(s.Path() + ".replaced-*")
	if len(replaced) != 0 {
		t.Errorf("rejected restores left %v", replaced)
	}
}

// rawExec creates or opens the SQLite file at path, without the CTVMS
// schema, and runs query on it.
func rawExec(path, query string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(query)
	return err
}

// damagedCopy writes a backup of s with random bytes over a page in its
// middle and returns its path.
func damagedCopy(t *testing.T, s *Store, dir string) string {
	t.Helper()
	fillAudit(t, s, 2000)
	info, err := s.Backup(context.Background(), filepath.Join(dir, "damaged"), backupDay)
	if err != nil {
		t.Fatal(err)
	}
	damagePage(t, info.Path)
	return info.Path
}

// damagePage writes random bytes over the middle page of the database
// file at path.
func damagePage(t *testing.T, path string) {
	t.Helper()
	const pageSize = 4096
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := st.Size() / pageSize
	if pages < 10 {
		t.Fatalf("database has only %d pages; fill it first", pages)
	}
	garbage := make([]byte, pageSize)
	rand.Read(garbage)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(garbage, (pages/2)*pageSize); err != nil {
		t.Fatal(err)
	}
}

func TestCheckDatabase(t *testing.T) {
	s, dir := openTestStore(t)
	fillAudit(t, s, 2000)
	s.Close()

	if err := CheckDatabase(s.Path()); err != nil {
		t.Errorf("sound database: %v", err)
	}
	if err := CheckDatabase(filepath.Join(dir, "missing.db")); err != nil {
		t.Errorf("missing database: %v, want nil because Open creates it", err)
	}

	damaged := filepath.Join(dir, "damaged.db")
	if err := copyFile(s.Path(), damaged); err != nil {
		t.Fatal(err)
	}
	damagePage(t, damaged)
	err := CheckDatabase(damaged)
	if !errors.Is(err, ErrDamaged) {
		t.Errorf("damaged page: err = %v, want ErrDamaged", err)
	} else if !strings.Contains(err.Error(), "restore the newest good backup") {
		t.Errorf("damaged page: message %q does not say what to do", err)
	}

	garbage := filepath.Join(dir, "garbage.db")
	data := make([]byte, 64*1024)
	rand.Read(data)
	if err := os.WriteFile(garbage, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CheckDatabase(garbage); !errors.Is(err, ErrDamaged) {
		t.Errorf("not an SQLite file: err = %v, want ErrDamaged", err)
	}
}

func TestNewestGoodBackupSkipsDamaged(t *testing.T) {
	s, dir := openTestStore(t)
	ctx := context.Background()
	backups := filepath.Join(dir, BackupsDir)
	fillAudit(t, s, 2000)
	older, err := s.Backup(ctx, backups, time.Now().Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	newer, err := s.Backup(ctx, backups, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	damagePage(t, newer.Path)

	good, err := NewestGoodBackup(dir)
	if err != nil {
		t.Fatal(err)
	}
	if good.Name != older.Name {
		t.Errorf("newest good backup = %s, want %s", good.Name, older.Name)
	}

	damagePage(t, older.Path)
	if _, err := NewestGoodBackup(dir); !errors.Is(err, ErrNotFound) {
		t.Errorf("all damaged: err = %v, want ErrNotFound", err)
	}
}

func TestReplaceDatabaseFile(t *testing.T) {
	s, dir := openTestStore(t)
	ctx := context.Background()
	setBusinessName(t, s, "In Backup")
	fillAudit(t, s, 2000)
	info, err := s.Backup(ctx, filepath.Join(dir, BackupsDir), backupDay)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	damagePage(t, s.Path())

	replaced, err := ReplaceDatabaseFile(s.Path(), info.Path, backupDay)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckDatabase(s.Path()); err != nil {
		t.Errorf("database after replacement: %v", err)
	}
	if err := CheckDatabase(replaced); !errors.Is(err, ErrDamaged) {
		t.Errorf("kept file check = %v, want the damaged original", err)
	}
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("restored file mode = %o, want 600", st.Mode().Perm())
	}
	reopened, err := Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	if got := businessName(t, reopened); got != "In Backup" {
		t.Errorf("business name = %q, want In Backup", got)
	}
	if _, err := os.Stat(info.Path); err != nil {
		t.Errorf("the backup itself is gone: %v", err)
	}
}

func TestReplaceDatabaseFileKeepsDatabaseOnBadBackup(t *testing.T) {
	s, dir := openTestStore(t)
	setBusinessName(t, s, "Current")
	s.Close()
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReplaceDatabaseFile(s.Path(), bad, backupDay); !errors.Is(err, ErrNotBackup) {
		t.Fatalf("err = %v, want ErrNotBackup", err)
	}
	reopened, err := Open(context.Background(), s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	if got := businessName(t, reopened); got != "Current" {
		t.Errorf("business name = %q after a rejected replacement", got)
	}
}

func TestBackupCancelledLeavesNoFile(t *testing.T) {
	s, dir := openTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	backups := filepath.Join(dir, BackupsDir)
	if _, err := s.Backup(ctx, backups, time.Now()); err == nil {
		t.Fatal("a cancelled backup succeeded")
	}
	entries, _ := os.ReadDir(backups)
	for _, e := range entries {
		t.Errorf("cancelled backup left %s", e.Name())
	}
}
