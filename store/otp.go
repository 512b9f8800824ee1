package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// OTP is a one-time code for changing a login's password. Only a hash of
// the code is stored.
type OTP struct {
	ID        int64
	UserID    int64
	CodeHash  string
	CreatedAt time.Time
	ExpiresAt time.Time
	// Attempts counts the wrong codes entered against this row.
	Attempts int
	UsedAt   time.Time // zero while unused
}

// OTPTooSoonError is returned when a login requests a new code before the
// minimum interval since its previous request has passed.
type OTPTooSoonError struct {
	Wait time.Duration
}

func (e *OTPTooSoonError) Error() string {
	return fmt.Sprintf("a code was requested recently: wait %d seconds before requesting a new one", e.WaitSeconds())
}

// WaitSeconds returns the wait rounded up to whole seconds, at least 1.
func (e *OTPTooSoonError) WaitSeconds() int {
	return max(1, int(math.Ceil(e.Wait.Seconds())))
}

// CreateOTPParams describe a new code and the email that carries it.
type CreateOTPParams struct {
	UserID   int64
	CodeHash string
	Now      time.Time
	// ExpiresAt is when the code stops working.
	ExpiresAt time.Time
	// MinInterval is the shortest time allowed between two requests of
	// one login.
	MinInterval time.Duration
	Email       OutboxMessage
	Actor       string
}

// CreateOTP stores a new code, ends every older unused code of the login
// by moving its expiry to now, and queues the email with the code, all in
// one transaction. It returns *OTPTooSoonError when the login's previous
// code was created less than MinInterval ago.
func (s *Store) CreateOTP(ctx context.Context, p CreateOTPParams) (outboxID int64, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		last, err := latestOTP(ctx, tx, p.UserID)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			if wait := last.CreatedAt.Add(p.MinInterval).Sub(p.Now); wait > 0 {
				return &OTPTooSoonError{Wait: wait}
			}
		}

		_, err = tx.ExecContext(ctx, `UPDATE otps SET expires_at = ?
			WHERE user_id = ? AND used_at IS NULL AND expires_at > ?`,
			formatTime(p.Now), p.UserID, formatTime(p.Now))
		if err != nil {
			return fmt.Errorf("end older codes of user %d: %w", p.UserID, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO otps (user_id, code_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, p.UserID, p.CodeHash, formatTime(p.Now), formatTime(p.ExpiresAt))
		if err != nil {
			return fmt.Errorf("create code for user %d: %w", p.UserID, err)
		}
		if outboxID, err = insertOutbox(ctx, tx, p.Email, p.Now); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "user.otp_request",
			Entity: "user", EntityID: strconv.FormatInt(p.UserID, 10)})
	})
	return outboxID, err
}

// latestOTP returns the login's most recent code, used or not.
func latestOTP(ctx context.Context, q queryer, userID int64) (OTP, error) {
	o := OTP{UserID: userID}
	var created, expires string
	var used sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, code_hash, created_at, expires_at, attempts, used_at
		FROM otps WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, userID).
		Scan(&o.ID, &o.CodeHash, &created, &expires, &o.Attempts, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("code of user %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return o, fmt.Errorf("get code of user %d: %w", userID, err)
	}
	if o.CreatedAt, err = parseTime(created); err != nil {
		return o, err
	}
	if o.ExpiresAt, err = parseTime(expires); err != nil {
		return o, err
	}
	o.UsedAt, err = parseNullTime(used)
	return o, err
}

// LatestOTP returns the login's most recent code, or ErrNotFound.
func (s *Store) LatestOTP(ctx context.Context, userID int64) (OTP, error) {
	return latestOTP(ctx, s.ro, userID)
}

// OTPCheck is the outcome of entering a code.
type OTPCheck int

// Outcomes of UseOTP.
const (
	// OTPAccepted: the code matched and the new password is stored.
	OTPAccepted OTPCheck = iota
	// OTPMissing: the login has never requested a code.
	OTPMissing
	// OTPWrong: the code did not match, and the try was counted.
	OTPWrong
	// OTPBlocked: the code had already reached the maximum of wrong tries.
	OTPBlocked
	// OTPExpired: the code's validity has passed, or a newer request
	// replaced it.
	OTPExpired
	// OTPUsed: the code has already changed the password once.
	OTPUsed
)

// UseOTPParams describe an attempt to change a password with a code.
type UseOTPParams struct {
	UserID int64
	Now    time.Time
	// MaxAttempts is the number of wrong tries after which the code is dead.
	MaxAttempts int
	// Matches compares the entered code with the stored hash. It runs
	// inside the transaction, so two attempts cannot both pass one code.
	Matches         func(codeHash string) bool
	NewPasswordHash string
	Actor           string
}

// OTPResult is the outcome of UseOTP and the wrong tries still allowed.
type OTPResult struct {
	Check OTPCheck
	// AttemptsLeft is the number of wrong tries the code still allows.
	AttemptsLeft int
}

// UseOTP checks the login's latest code. A wrong code counts a try and
// commits that count. A matching code that is unused, unexpired and below
// MaxAttempts wrong tries is marked used, and the new password hash is
// stored with must_change_password cleared, in the same transaction.
func (s *Store) UseOTP(ctx context.Context, p UseOTPParams) (OTPResult, error) {
	var result OTPResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		o, err := latestOTP(ctx, tx, p.UserID)
		if errors.Is(err, ErrNotFound) {
			result.Check = OTPMissing
			return nil
		}
		if err != nil {
			return err
		}
		result.AttemptsLeft = max(0, p.MaxAttempts-o.Attempts)
		result.Check = checkOTP(o, p)
		switch result.Check {
		case OTPWrong:
			result.AttemptsLeft--
			return countWrongOTP(ctx, tx, o.ID)
		case OTPAccepted:
			return acceptOTP(ctx, tx, o.ID, p)
		}
		return nil
	})
	return result, err
}

// checkOTP decides the outcome in a fixed order, so a used, expired or
// blocked code is reported as such even when the entered code matches.
func checkOTP(o OTP, p UseOTPParams) OTPCheck {
	switch {
	case !o.UsedAt.IsZero():
		return OTPUsed
	case o.Attempts >= p.MaxAttempts:
		return OTPBlocked
	case !p.Now.Before(o.ExpiresAt):
		return OTPExpired
	case !p.Matches(o.CodeHash):
		return OTPWrong
	}
	return OTPAccepted
}

func countWrongOTP(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE otps SET attempts = attempts + 1 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("count wrong code %d: %w", id, err)
	}
	return nil
}

func acceptOTP(ctx context.Context, tx *sql.Tx, id int64, p UseOTPParams) error {
	if _, err := tx.ExecContext(ctx, `UPDATE otps SET used_at = ? WHERE id = ?`, formatTime(p.Now), id); err != nil {
		return fmt.Errorf("mark code %d used: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = 0
		WHERE id = ?`, p.NewPasswordHash, p.UserID)
	if err := requireOneRow(res, err, "set password of user", p.UserID); err != nil {
		return err
	}
	return insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "user.password_change",
		Entity: "user", EntityID: strconv.FormatInt(p.UserID, 10), Details: "with emailed code"})
}
