package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/ctvms/ctvms/billing/message"
)

// BackupsDir is the name of the backups folder inside the data folder.
const BackupsDir = "backups"

// BackupsKept is how many backups Backup keeps. Older ones are deleted
// after each new backup.
const BackupsKept = 14

// backupPrefix and backupTimeLayout name backup files such as
// ctvms-2026-12-04-103000.db, in the operator's local time, so the newest
// sorts last. A second backup within the same second gets "-2", "-3" and so
// on before ".db".
const (
	backupPrefix     = "ctvms-"
	backupSuffix     = ".db"
	backupTimeLayout = "2006-01-02-150405"
	// backupTempPattern names a backup being written. A crash can leave
	// one behind, and pruning deletes those older than staleTempAge.
	backupTempPattern = ".ctvms-backup-*.tmp"
	staleTempAge      = time.Hour
)

// BackupInfo describes one backup file.
type BackupInfo struct {
	Path string
	Name string
	// At is the moment the backup was taken, from its file name, in the
	// location passed to ListBackups.
	At   time.Time
	Size int64
	// seq orders backups taken within the same second.
	seq int
}

// Backup writes a consistent copy of the database to a new file in dir
// with VACUUM INTO, then deletes all but the newest BackupsKept backups.
// The copy is written under a temporary name, synced and renamed, so a
// crash or a full disk never leaves a partial file under a backup's name.
// The file has mode 0600. now names the file in now's location.
func (s *Store) Backup(ctx context.Context, dir string, now time.Time) (BackupInfo, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BackupInfo{}, fmt.Errorf("create backup folder %s: %w; "+
			"make sure it is a folder you can write to", dir, err)
	}
	tmp, err := os.CreateTemp(dir, backupTempPattern)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("create backup file in %s: %w", dir, err)
	}
	tmpPath := tmp.Name()
	// VACUUM INTO accepts an existing empty file, so the file keeps the
	// mode 0600 that CreateTemp gave it.
	tmp.Close()
	keep := false
	defer func() {
		if !keep {
			os.Remove(tmpPath)
		}
	}()

	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmpPath); err != nil {
		return BackupInfo{}, fmt.Errorf("write backup to %s: %w", dir, err)
	}
	if err := syncFile(tmpPath); err != nil {
		return BackupInfo{}, err
	}
	path, err := freeBackupName(dir, now)
	if err != nil {
		return BackupInfo{}, err
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return BackupInfo{}, fmt.Errorf("rename backup to %s: %w", path, err)
	}
	keep = true
	if err := syncDir(dir); err != nil {
		return BackupInfo{}, err
	}

	info, err := backupInfo(path, now.Location())
	if err != nil {
		return BackupInfo{}, err
	}
	return info, pruneBackups(dir, BackupsKept, now)
}

// freeBackupName returns the first unused backup name for now in dir.
func freeBackupName(dir string, now time.Time) (string, error) {
	base := backupPrefix + now.Format(backupTimeLayout)
	for seq := 1; seq <= 100; seq++ {
		name := base + backupSuffix
		if seq > 1 {
			name = base + "-" + strconv.Itoa(seq) + backupSuffix
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
	}
	return "", fmt.Errorf("name backup in %s: 100 backups already exist for %s", dir, base)
}

// ListBackups returns the backups in dir, newest first. A missing folder
// has none. Files whose names do not follow the backup pattern are
// ignored. Times are read in loc.
func ListBackups(dir string, loc *time.Location) ([]BackupInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var out []BackupInfo
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := backupInfo(filepath.Join(dir, e.Name()), loc)
		if err != nil {
			continue
		}
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b BackupInfo) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.seq - a.seq
	})
	return out, nil
}

// backupInfo parses a backup's file name and reads its size.
func backupInfo(path string, loc *time.Location) (BackupInfo, error) {
	name := filepath.Base(path)
	stem, ok := strings.CutPrefix(name, backupPrefix)
	if ok {
		stem, ok = strings.CutSuffix(stem, backupSuffix)
	}
	if !ok || len(stem) < len(backupTimeLayout) {
		return BackupInfo{}, fmt.Errorf("%s is not named like a backup", name)
	}
	stamp, rest := stem[:len(backupTimeLayout)], stem[len(backupTimeLayout):]
	if loc == nil {
		loc = time.Local
	}
	at, err := time.ParseInLocation(backupTimeLayout, stamp, loc)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%s is not named like a backup: %w", name, err)
	}
	seq := 1
	if rest != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(rest, "-"))
		if !strings.HasPrefix(rest, "-") || err != nil || n < 2 {
			return BackupInfo{}, fmt.Errorf("%s is not named like a backup", name)
		}
		seq = n
	}
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("read backup %s: %w", path, err)
	}
	return BackupInfo{Path: path, Name: name, At: at, Size: st.Size(), seq: seq}, nil
}

// pruneBackups deletes all but the newest keep backups in dir, and
// temporary files that a crashed backup left more than staleTempAge
// before now.
func pruneBackups(dir string, keep int, now time.Time) error {
	list, err := ListBackups(dir, now.Location())
	if err != nil {
		return err
	}
	var errs []error
	for _, b := range list[min(keep, len(list)):] {
		if err := os.Remove(b.Path); err != nil {
			errs = append(errs, fmt.Errorf("delete old backup: %w", err))
		}
	}
	stale, _ := filepath.Glob(filepath.Join(dir, backupTempPattern))
	for _, path := range stale {
		if st, err := os.Stat(path); err == nil && now.Sub(st.ModTime()) > staleTempAge {
			os.Remove(path)
		}
	}
	return errors.Join(errs...)
}

// HasBackupOn reports whether dir holds a backup taken on the local
// calendar day of day, in day's location.
func HasBackupOn(dir string, day time.Time) (bool, error) {
	list, err := ListBackups(dir, day.Location())
	if err != nil {
		return false, err
	}
	y, m, d := day.Date()
	for _, b := range list {
		by, bm, bd := b.At.Date()
		if by == y && bm == m && bd == d {
			return true, nil
		}
	}
	return false, nil
}

// RestoreResult describes a restore that replaced the open database.
type RestoreResult struct {
	// Backup is the file that was restored.
	Backup string
	// ReplacedPath is the copy of the database as it was before the
	// restore, kept next to it as ctvms.db.replaced-<time>.
	ReplacedPath string
}

// RestoreFrom replaces the content of the open database with the backup
// at path. It first checks a private copy of the backup with
// CheckBackup and rejects a damaged or foreign file, then saves the
// current database as <database>.replaced-<time> next to it, then copies
// the checked copy over the open database with SQLite's online backup API.
// It finishes by applying migrations newer than the backup and writing an
// audit row. Other connections, including a second copy of the program,
// see the restored data at their next query. Sessions of users that do not
// exist in the backup are stale, so callers log everybody out.
//
// NOTE: a write committed by another process between the saved copy and the
// restore is in neither file. Restores are rare and done by the admin, so
// this is accepted rather than locking the database for both steps.
func (s *Store) RestoreFrom(ctx context.Context, path, actor string, now time.Time) (RestoreResult, error) {
	if same, err := sameFile(path, s.path); err != nil {
		return RestoreResult{}, err
	} else if same {
		return RestoreResult{}, message.NewError("{{.Path}} is the open database itself; choose a backup file",
			"Path", path)
	}
	checked, cleanup, err := checkedCopy(ctx, path, filepath.Dir(s.path))
	if err != nil {
		return RestoreResult{}, err
	}
	defer cleanup()

	replaced := s.path + ".replaced-" + now.Format(backupTimeLayout)
	if err := s.copyTo(ctx, replaced); err != nil {
		return RestoreResult{}, err
	}
	if err := s.restorePages(ctx, checked); err != nil {
		return RestoreResult{}, fmt.Errorf("restore %s: %w; the database before the restore is kept as %s",
			path, err, replaced)
	}
	if err := s.migrate(ctx); err != nil {
		return RestoreResult{}, err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "backup.restore",
			Entity: "database", Details: fmt.Sprintf("restored %s; previous database kept as %s",
				filepath.Base(path), filepath.Base(replaced))})
	})
	if err != nil {
		return RestoreResult{}, err
	}
	return RestoreResult{Backup: path, ReplacedPath: replaced}, nil
}

// copyTo writes a copy of the database to a new file at path with mode
// 0600, through a temporary file in the same folder.
func (s *Store) copyTo(ctx context.Context, path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, backupTempPattern)
	if err != nil {
		return fmt.Errorf("create copy of the database in %s: %w", dir, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath)
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmpPath); err != nil {
		return fmt.Errorf("copy the database to %s: %w", path, err)
	}
	if err := syncFile(tmpPath); err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return message.NewError("the database cannot be copied to {{.Path}}, because the file already exists; "+
			"wait a second and try again", "Path", path)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return fmt.Errorf("copy the database to %s: %w", path, err)
	}
	return syncDir(dir)
}

// restorePages copies every page of the database file src over the open
// database on the writer connection, in one step, so readers see either
// the old or the new content.
func (s *Store) restorePages(ctx context.Context, src string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		restorer, ok := driverConn.(interface {
			NewRestore(srcURI string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("the SQLite driver %T cannot restore backups", driverConn)
		}
		b, err := restorer.NewRestore(src)
		if err != nil {
			return fmt.Errorf("start restore: %w", err)
		}
		_, stepErr := b.Step(-1)
		// Finish releases the backup and closes the connection to src.
		return errors.Join(stepErr, b.Finish())
	})
}

// sameFile reports whether a and b name the same existing file. A missing
// a is an error, because it is the file the caller wants to use.
func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, message.WithCause(err, "backup {{.Path}} cannot be opened: {{.Reason}}", "Path", a, "Reason", err)
	}
	if !sa.Mode().IsRegular() {
		return false, message.NewError("backup {{.Path}} is not a regular file; choose a backup file", "Path", a)
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	return os.SameFile(sa, sb), nil
}

// syncFile flushes a written file to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open %s to sync it: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// syncDir flushes a folder's entries to disk, so a renamed file keeps its
// new name after a power cut.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open folder %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
