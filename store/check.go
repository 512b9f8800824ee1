package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDamaged is wrapped by the errors of CheckDatabase and CheckBackup when
// SQLite finds the file corrupt or not a database at all.
var ErrDamaged = errors.New("the database file is damaged")

// ErrNotBackup is wrapped by CheckBackup's error for a file that is a
// sound SQLite database but not one CTVMS wrote, or one written by a newer
// version of CTVMS.
var ErrNotBackup = errors.New("not a CTVMS backup")

// sqliteHeader starts every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// requiredTables are tables every CTVMS database has since the first
// schema version, so a file without them is someone else's database.
var requiredTables = []string{"schema_migrations", "settings", "customers", "users", "payments", "invoices"}

// CheckDatabase runs SQLite's quick_check on the database file at path,
// normally at start-up before Open. A missing file passes, because Open
// creates it. A file that SQLite finds corrupt, or that is not an SQLite
// database, returns an error wrapping ErrDamaged. Other failures, such as
// a file that cannot be read, return their own error.
func CheckDatabase(path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)")
	if err != nil {
		return fmt.Errorf("open database %s to check it: %w", path, err)
	}
	defer db.Close()
	problems, err := runCheck(context.Background(), db, "quick_check")
	if err != nil {
		return checkError(path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s fails SQLite's quick check (%s); restore the newest good backup",
			ErrDamaged, path, strings.Join(problems, "; "))
	}
	return nil
}

// runCheck runs PRAGMA integrity_check or quick_check and returns the
// problems found, at most five, or none when the result is "ok".
func runCheck(ctx context.Context, db *sql.DB, pragma string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `PRAGMA `+pragma+`(5)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	return problems, rows.Err()
}

// checkError wraps ErrDamaged around SQLite's "malformed" and "not a
// database" errors and returns other errors as they are.
func checkError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %s cannot be read as a database (%v); restore the newest good backup",
				ErrDamaged, path, err)
		}
	}
	return fmt.Errorf("check database %s: %w", path, err)
}

// CheckBackup checks that the file at path is a sound CTVMS database that
// this version can open: a private copy passes PRAGMA integrity_check and
// has the CTVMS tables and a known schema version. The file itself is
// never opened by SQLite, so checking cannot change it. The error wraps
// ErrDamaged or ErrNotBackup and describes the cause.
func CheckBackup(ctx context.Context, path string) error {
	_, cleanup, err := checkedCopy(ctx, path, os.TempDir())
	if err != nil {
		return err
	}
	cleanup()
	return nil
}

// checkedCopy copies the file at path, with its write-ahead log if one
// exists, into a new file in dir, checks the copy as CheckBackup describes,
// and returns the copy's path and a function that deletes it. The copy is
// self-contained: closing it folds its log into the file.
func checkedCopy(ctx context.Context, path, dir string) (string, func(), error) {
	if err := checkHeader(path); err != nil {
		return "", nil, err
	}
	tmp, err := os.CreateTemp(dir, ".ctvms-check-*.db")
	if err != nil {
		return "", nil, fmt.Errorf("create a copy of %s to check: %w", path, err)
	}
	tmp.Close()
	copyPath := tmp.Name()
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(copyPath + suffix)
		}
	}
	err = copyFile(path, copyPath)
	if err == nil {
		err = copyFile(path+"-wal", copyPath+"-wal")
		if errors.Is(err, os.ErrNotExist) {
			err = nil
		}
	}
	if err == nil {
		err = checkCopy(ctx, path, copyPath)
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return copyPath, cleanup, nil
}

// checkHeader rejects an empty file or one that does not start with the
// SQLite header, with a message plainer than SQLite's.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open backup %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open backup %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrNotBackup, path)
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return fmt.Errorf("%w: %s is not an SQLite database; choose a file from the backups folder",
			ErrNotBackup, path)
	}
	return nil
}

// checkCopy runs the integrity check and the CTVMS checks on the copy of
// original at copyPath.
func checkCopy(ctx context.Context, original, copyPath string) error {
	db, err := sql.Open("sqlite", "file:"+copyPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("open copy of %s: %w", original, err)
	}
	defer db.Close()
	problems, err := runCheck(ctx, db, "integrity_check")
	if err != nil {
		return checkError(original, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s fails SQLite's integrity check (%s); choose an older backup",
			ErrDamaged, original, strings.Join(problems, "; "))
	}

	var found int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?, ?, ?, ?)`,
		requiredTables[0], requiredTables[1], requiredTables[2], requiredTables[3], requiredTables[4],
		requiredTables[5]).Scan(&found)
	if err != nil {
		return checkError(original, err)
	}
	if found != len(requiredTables) {
		return fmt.Errorf("%w: %s is an SQLite database without the CTVMS tables", ErrNotBackup, original)
	}
	var version sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&version); err != nil {
		return checkError(original, err)
	}
	latest, err := LatestSchemaVersion()
	if err != nil {
		return err
	}
	if int(version.Int64) > latest {
		return fmt.Errorf("%w: %s has schema version %d but this program knows up to %d; "+
			"update CTVMS before restoring it", ErrNotBackup, original, version.Int64, latest)
	}
	return db.Close()
}

// LatestSchemaVersion returns the version of the newest migration this
// program carries, the version every database it opens is brought to.
func LatestSchemaVersion() (int, error) {
	list, err := loadMigrations()
	if err != nil || len(list) == 0 {
		return 0, err
	}
	return list[len(list)-1].version, nil
}

// copyFile copies src to dst, which it creates or truncates with mode
// 0600, and syncs dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return nil
}

// NewestGoodBackup returns the newest backup in the backups folder of
// dataDir that passes CheckBackup, or an error wrapping ErrNotFound when
// none does.
func NewestGoodBackup(dataDir string) (BackupInfo, error) {
	dir := filepath.Join(dataDir, BackupsDir)
	list, err := ListBackups(dir, time.Local)
	if err != nil {
		return BackupInfo{}, err
	}
	for _, b := range list {
		if CheckBackup(context.Background(), b.Path) == nil {
			return b, nil
		}
	}
	return BackupInfo{}, fmt.Errorf("no good backup in %s: %w", dir, ErrNotFound)
}

// ReplaceDatabaseFile puts a checked copy of the backup at backupPath in
// place of the database file at dbPath, for a database that no process
// has open, such as a damaged one found at start-up. The old file and its
// write-ahead log are kept as <dbPath>.replaced-<time> and
// <dbPath>.replaced-<time>-wal, and its shared-memory file, which SQLite
// rebuilds, is deleted. The backup is checked before anything is moved,
// so a bad backup leaves the database as it was. It returns the path of
// the kept file, or "" when no database existed.
func ReplaceDatabaseFile(dbPath, backupPath string, now time.Time) (string, error) {
	if same, err := sameFile(backupPath, dbPath); err != nil {
		return "", err
	} else if same {
		return "", fmt.Errorf("restore %s: this is the database itself; choose a backup file", backupPath)
	}
	dir := filepath.Dir(dbPath)
	checked, cleanup, err := checkedCopy(context.Background(), backupPath, dir)
	if err != nil {
		return "", err
	}
	defer cleanup()

	replaced := dbPath + ".replaced-" + now.Format(backupTimeLayout)
	if _, err := os.Lstat(replaced); err == nil {
		return "", fmt.Errorf("restore %s: %s already exists; wait a second and try again", backupPath, replaced)
	}
	if err := os.Rename(dbPath, replaced); errors.Is(err, os.ErrNotExist) {
		replaced = ""
	} else if err != nil {
		return "", fmt.Errorf("move the database aside to %s: %w", replaced, err)
	}
	if replaced != "" {
		err := os.Rename(dbPath+"-wal", replaced+"-wal")
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("move the database log aside: %w", err)
		}
	}
	if err := os.Remove(dbPath + "-shm"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("delete the old shared-memory file: %w", err)
	}
	if err := os.Rename(checked, dbPath); err != nil {
		return "", fmt.Errorf("put backup %s in place of %s: %w; the old database is kept as %s",
			backupPath, dbPath, err, replaced)
	}
	return replaced, syncDir(dir)
}
