package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing/message"
)

// Roles of a login.
const (
	RoleAdmin    = "admin"
	RoleCustomer = "customer"
)

// User is a login: the operator's admin account or a customer's account.
type User struct {
	ID                 int64
	Username           string
	PasswordHash       string
	Role               string
	CustomerCRF        int64 // zero for admins
	MustChangePassword bool
	FailedLogins       int
	LockedUntil        time.Time
	Disabled           bool
}

const userColumns = `id, username, password_hash, role, COALESCE(customer_crf, 0),
	must_change_password, failed_logins, locked_until, disabled`

func scanUser(row *sql.Row) (User, error) {
	var u User
	var locked sql.NullString
	err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Role, &u.CustomerCRF,
		&u.MustChangePassword, &u.FailedLogins, &locked, &u.Disabled)
	if err != nil {
		return u, err
	}
	u.LockedUntil, err = parseNullTime(locked)
	return u, err
}

// UserByUsername returns the login with the given username.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	return s.userWhere(ctx, `username = ?`, username)
}

// UserByID returns the login with the given id.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return s.userWhere(ctx, `id = ?`, id)
}

// UserByCRF returns the login of the customer with the given CRF number.
func (s *Store) UserByCRF(ctx context.Context, crf int64) (User, error) {
	return s.userWhere(ctx, `customer_crf = ?`, crf)
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("get user %v: %w", arg, err)
	}
	return u, nil
}

// HasAdmin reports whether the first-start setup has created an admin.
func (s *Store) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count admins: %w", err)
	}
	return n > 0, nil
}

// ErrAlreadySetUp is returned when setup runs on a database that has an
// admin already.
var ErrAlreadySetUp = message.NewError("CTVMS is already set up")

// SetupParams are the first admin account and the business profile.
type SetupParams struct {
	Username     string
	PasswordHash string
	Settings     Settings
	Now          time.Time
}

// CompleteSetup creates the first admin and saves the business profile in
// one transaction. It fails with ErrAlreadySetUp when an admin exists, so
// two windows finishing setup at once cannot both succeed.
func (s *Store) CompleteSetup(ctx context.Context, p SetupParams) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, created_at)
			VALUES (?, ?, 'admin', ?)`, p.Username, p.PasswordHash, formatTime(p.Now))
		if err != nil {
			return fmt.Errorf("create admin %q: %w", p.Username, err)
		}
		if err := saveSettings(ctx, tx, p.Settings); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Username, Action: "setup.complete",
			Entity: "user", EntityID: p.Username})
	})
}

// RecordFailedLogin counts a wrong password. When the count reaches
// maxFailures the account is locked until now+lockFor and the count starts
// again. It returns the lock's end, or the zero time when not locked.
func (s *Store) RecordFailedLogin(ctx context.Context, id int64, now time.Time, maxFailures int, lockFor time.Duration) (time.Time, error) {
	var until time.Time
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var failures int
		err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?
			RETURNING failed_logins`, id).Scan(&failures)
		if err != nil {
			return fmt.Errorf("count failed login of user %d: %w", id, err)
		}
		if failures < maxFailures {
			return nil
		}
		until = now.Add(lockFor)
		_, err = tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?`,
			formatTime(until), id)
		if err != nil {
			return fmt.Errorf("lock user %d: %w", id, err)
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: "system", Action: "user.lock",
			Entity: "user", EntityID: strconv.FormatInt(id, 10),
			Details: fmt.Sprintf("%d failed logins; locked until %s", failures, formatTime(until))})
	})
	return until, err
}

// RecordLogin clears the failure count and any expired lock after a
// successful login.
func (s *Store) RecordLogin(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("record login of user %d: %w", id, err)
	}
	return nil
}

// SetPassword stores a new password hash and whether it must be changed at
// the next login.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, mustChange bool, actor string, now time.Time) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?
			WHERE id = ?`, hash, boolInt(mustChange), id)
		if err := requireOneRow(res, err, "set password of user", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "user.password_change",
			Entity: "user", EntityID: strconv.FormatInt(id, 10)})
	})
}
