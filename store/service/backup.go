package service

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// BackupsDir returns the folder that holds the database backups.
func (s *Service) BackupsDir() string { return filepath.Join(s.dataDir, store.BackupsDir) }

// BackupNow writes a backup of the database to the backups folder and
// keeps the newest store.BackupsKept. Admin only.
func (s *Service) BackupNow(ctx context.Context, sess Session) (store.BackupInfo, error) {
	if err := requireAdmin(sess); err != nil {
		return store.BackupInfo{}, err
	}
	info, err := s.backup(ctx)
	if err != nil {
		return info, err
	}
	s.log.Info("backup written", "file", info.Name, "bytes", info.Size, "user_id", sess.UserID)
	return info, nil
}

func (s *Service) backup(ctx context.Context) (store.BackupInfo, error) {
	info, err := s.store.Backup(ctx, s.BackupsDir(), s.clock.Now().In(s.loc))
	if err != nil {
		s.log.Error("backup failed", "dir", s.BackupsDir(), "err", err)
	}
	return info, err
}

// RunDailyBackup writes a backup unless the backups folder already
// contains one of today's local date, and reports whether it wrote one. The
// scheduler calls it, so it takes no session.
func (s *Service) RunDailyBackup(ctx context.Context) (bool, error) {
	has, err := store.HasBackupOn(s.BackupsDir(), s.clock.Now().In(s.loc))
	if err != nil {
		s.log.Error("daily backup failed", "dir", s.BackupsDir(), "err", err)
		return false, err
	}
	if has {
		return false, nil
	}
	s.log.Info("job start", "job", "daily_backup")
	info, err := s.backup(ctx)
	if err != nil {
		return false, err
	}
	s.log.Info("job end", "job", "daily_backup", "file", info.Name, "bytes", info.Size)
	return true, nil
}

// ListBackups returns the backups in the backups folder, newest first.
// Admin only.
func (s *Service) ListBackups(ctx context.Context, sess Session) ([]store.BackupInfo, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	return store.ListBackups(s.BackupsDir(), s.loc)
}

// RestoreBackup replaces the database with the backup at path, after
// checking that the file is a sound CTVMS database. The database as it was
// is kept next to it as ctvms.db.replaced-<time>. The store stays open and
// other running copies see the restored data at once, but logins of the
// replaced database may no longer exist, so the screen must log out every
// session after a successful restore. Admin only.
func (s *Service) RestoreBackup(ctx context.Context, sess Session, path string) (store.RestoreResult, error) {
	if err := requireAdmin(sess); err != nil {
		return store.RestoreResult{}, err
	}
	path = strings.TrimSpace(path)
	if path == "" {
		return store.RestoreResult{}, message.NewError("no backup chosen; choose a backup to restore")
	}
	s.log.Info("restore start", "file", path, "user_id", sess.UserID)
	res, err := s.store.RestoreFrom(ctx, path, sess.Username, s.clock.Now().In(s.loc))
	if err != nil {
		s.log.Error("restore failed", "file", path, "err", err)
		return res, message.WithCause(err, "the backup was not restored: {{.Reason}}", "Reason", err)
	}
	s.log.Info("restore end", "file", path, "replaced", res.ReplacedPath)
	return res, nil
}
