package service

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// helperPayLoop records cash payments of random amounts for customers that
// still owe, in random order, until no customer owes. Before each payment it
// appends "crf amount request-key" to the journal file, and at start it
// submits the journal's last payment again, as a person would after a
// crash, to check that the request key records it at most once. It prints
// "ready" once it can pay, and "done" when no customer owes.
func helperPayLoop() error {
	svc, admin, closeStore, err := helperService()
	if err != nil {
		return err
	}
	defer closeStore()
	journalPath := os.Getenv(helperJournalEnv)
	seed, err := strconv.ParseUint(os.Getenv(helperSeedEnv), 10, 64)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	ctx := context.Background()
	fmt.Println("ready")

	if err := resubmitLast(ctx, svc, admin, journalPath); err != nil {
		return err
	}
	journal, err := os.OpenFile(journalPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer journal.Close()

	rows, err := svc.SearchCustomers(ctx, admin, store.CustomerQuery{Limit: 10000})
	if err != nil {
		return err
	}
	for {
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		paid := 0
		for _, row := range rows {
			q, err := svc.PaymentQuote(ctx, admin, row.CRF, billing.ServiceCableTV)
			if err != nil {
				return fmt.Errorf("quote customer %d: %w", row.CRF, err)
			}
			if q.AmountDue == 0 {
				continue
			}
			amount := q.MinimumAmount + billing.Money(rng.Int64N(int64(q.AmountDue-q.MinimumAmount)+1))
			if _, err := fmt.Fprintf(journal, "%d %s %s\n", row.CRF, amount.Plain(), q.RequestKey); err != nil {
				return err
			}
			_, err = svc.CollectPayment(ctx, admin, PaymentInput{CRF: row.CRF, Service: billing.ServiceCableTV,
				Amount: amount.Plain(), Mode: store.ModeCash, RequestKey: q.RequestKey})
			if err != nil {
				return fmt.Errorf("pay %s for customer %d: %w", amount.Plain(), row.CRF, err)
			}
			paid++
		}
		if paid == 0 {
			fmt.Println("done")
			return nil
		}
	}
}

// resubmitLast submits the journal's last payment again with its request
// key. Whether or not the killed process committed it, exactly one payment
// with that key must exist afterwards.
func resubmitLast(ctx context.Context, svc *Service, admin Session, journalPath string) error {
	data, err := os.ReadFile(journalPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	fields := strings.Fields(lines[len(lines)-1])
	if len(fields) != 3 {
		// The process was killed while writing the line, so the payment
		// was never submitted.
		return nil
	}
	crf, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		return err
	}
	r, err := svc.CollectPayment(ctx, admin, PaymentInput{CRF: crf, Service: billing.ServiceCableTV,
		Amount: fields[1], Mode: store.ModeCash, RequestKey: fields[2]})
	if err != nil {
		return fmt.Errorf("submit payment of customer %d again: %w", crf, err)
	}
	fmt.Println("resubmitted", r.Duplicate)
	return nil
}

// crashRun starts one pay-loop helper, kills it with SIGKILL a random
// 10 to 200 ms after it is ready, and reports whether it finished on its
// own before that. It counts the helper's repeated submits in resubmits,
// by whether they found the payment already recorded.
func crashRun(t *testing.T, dir, journal string, seed uint64, rng *rand.Rand, resubmits map[string]int) (finished bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := helperCommand(ctx, "pay-loop", helperDirEnv+"="+dir, helperJournalEnv+"="+journal,
		helperSeedEnv+"="+strconv.FormatUint(seed, 10))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go readLines(bufio.NewReader(stdout), lines)

	select {
	case line, ok := <-lines:
		if !ok || line != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper did not start: %q\n%s", line, stderr.String())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper not ready after 15 s\n%s", stderr.String())
	}

	timer := time.NewTimer(time.Duration(10+rng.IntN(191)) * time.Millisecond)
	defer timer.Stop()
	killed := false
	for !finished && !killed {
		select {
		case line, ok := <-lines:
			finished = ok && line == "done"
			if outcome, found := strings.CutPrefix(line, "resubmitted "); found {
				resubmits["duplicate="+outcome]++
			}
			if !ok {
				killed = true // the helper exited; Wait reports why
			}
		case <-timer.C:
			cmd.Process.Kill()
			killed = true
		}
	}
	err = cmd.Wait()
	for range lines {
	}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ProcessState.String() == "signal: killed") {
		t.Fatalf("helper failed: %v\n%s", err, stderr.String())
	}
	return finished
}

// newCrashOffice adds customers with cable TV since 1 Jan 2026, so each
// owes twelve months of ₹300. Every fifth customer has no email address.
func newCrashOffice(t *testing.T, customers int) *payEnv {
	t.Helper()
	e := newPayEnv(t)
	for i := range customers {
		mobileSeq++
		p := store.CustomerParams{Name: fmt.Sprintf("Crash Customer %03d", i), Mobile: fmt.Sprintf("97%08d", mobileSeq)}
		if i%5 != 0 {
			p.Email = fmt.Sprintf("crash%d@example.com", i)
		}
		nc, err := e.svc.CreateCustomer(e.ctx, e.admin, p)
		if err != nil {
			t.Fatal(err)
		}
		e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.January, 1))
	}
	return e
}

func TestPaymentsSurviveKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a payment process 50 times, which takes several seconds; skipped with -short")
	}
	e := newCrashOffice(t, 400)
	dir := filepath.Dir(e.store.Path())
	journal := filepath.Join(t.TempDir(), "journal.txt")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	seed := rng.Uint64()
	t.Logf("random seed %d", seed)

	runs := 0
	resubmits := map[string]int{}
	for run := range 50 {
		runs++
		if crashRun(t, dir, journal, seed+uint64(run), rng, resubmits) {
			break
		}
	}
	db := e.rawDB()
	checkPaymentInvariants(t, db)
	payments := countRows(t, db, `SELECT COUNT(*) FROM payments`)
	if payments == 0 {
		t.Fatal("no payment was recorded in any run")
	}
	t.Logf("%d runs, %d payments, repeated submits after a kill: %v", runs, payments, resubmits)
	checkInvoiceFiles(t, db)
}

// checkPaymentInvariants checks the rules a crash must not break.
func checkPaymentInvariants(t *testing.T, db *sql.DB) {
	t.Helper()
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check = %q, %v", integrity, err)
	}
	checks := []struct {
		name  string
		query string
	}{
		{"payments whose allocations do not add up to the amount", `SELECT COUNT(*) FROM payments p
			WHERE p.amount <> (SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id)`},
		{"payments without an invoice", `SELECT COUNT(*) FROM payments p
			WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.payment_id = p.id)`},
		{"invoices of customers with email and no invoice email", `SELECT COUNT(*) FROM invoices i
			JOIN payments p ON p.id = i.payment_id JOIN customers c ON c.crf = p.customer_crf
			WHERE c.email <> '' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.invoice_id = i.id)`},
		{"invoice emails of customers without email", `SELECT COUNT(*) FROM outbox o
			JOIN customers c ON c.crf = o.customer_crf WHERE o.invoice_id IS NOT NULL AND c.email = ''`},
		{"invoices with more than one email", `SELECT COUNT(*) FROM (SELECT invoice_id FROM outbox
			WHERE invoice_id IS NOT NULL GROUP BY invoice_id HAVING COUNT(*) > 1)`},
		{"request keys used twice", `SELECT COUNT(*) - COUNT(DISTINCT request_key) FROM payments`},
		{"overpaid periods", `SELECT COUNT(*) FROM periods WHERE paid > amount`},
		{"periods whose paid amount differs from their allocations", `SELECT COUNT(*) FROM periods pe
			WHERE pe.paid <> (SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocations a WHERE a.period_id = pe.id)`},
		{"connections paid more than billed", `SELECT COUNT(*) FROM connections c
			WHERE (SELECT COALESCE(SUM(amount), 0) FROM payments WHERE connection_id = c.id)
			    > (SELECT COALESCE(SUM(amount), 0) FROM periods WHERE connection_id = c.id)`},
	}
	for _, c := range checks {
		if n := countRows(t, db, c.query); n != 0 {
			t.Errorf("%d %s", n, c.name)
		}
	}

	var count, distinct, lowest, highest int
	err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT seq), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0)
		FROM invoices WHERE year = 2026`).Scan(&count, &distinct, &lowest, &highest)
	if err != nil {
		t.Fatal(err)
	}
	if count > 0 && (distinct != count || lowest != 1 || highest != count) {
		t.Errorf("invoice numbers: %d invoices, %d distinct, from %d to %d; want 1 to %d without gaps",
			count, distinct, lowest, highest, count)
	}
}

// checkInvoiceFiles checks that every invoice file recorded in the
// database is a whole PDF, because a killed process must not leave a
// truncated file under an invoice's name.
func checkInvoiceFiles(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT number, pdf_path FROM invoices WHERE pdf_path <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var number, path string
		if err := rows.Scan(&number, &path); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("invoice %s: %v", number, err)
			continue
		}
		if !strings.HasPrefix(string(data), "%PDF") || !strings.Contains(string(data[max(0, len(data)-32):]), "%%EOF") {
			t.Errorf("invoice %s: %s is not a whole PDF (%d bytes)", number, path, len(data))
		}
	}
}

func TestInvoiceFolderIsFileKeepsPayment(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Anita Rao")
	if err := os.WriteFile(e.svc.InvoicesDir(), []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}

	r, err := e.svc.CollectPayment(e.ctx, e.admin, e.cashInput(nc.CRF, "600"))
	if err != nil {
		t.Fatalf("payment failed because the invoice folder is a file: %v", err)
	}
	if r.PDFError == nil {
		t.Fatal("no PDF error reported")
	}
	if !strings.Contains(r.PDFError.Error(), "invoice folder") {
		t.Errorf("PDF error %q does not name the invoice folder", r.PDFError)
	}
	checkPaymentInvariants(t, e.rawDB())

	if err := os.Remove(e.svc.InvoicesDir()); err != nil {
		t.Fatal(err)
	}
	path, err := e.svc.InvoicePDF(e.ctx, e.admin, r.Invoice.ID)
	if err != nil {
		t.Fatalf("invoice not written again once the folder can be made: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}

func TestBackupsFolderIsFileFailsClearly(t *testing.T) {
	e := newEnv(t)
	if err := os.WriteFile(e.svc.BackupsDir(), []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.BackupNow(e.ctx, e.admin); err == nil || !strings.Contains(err.Error(), "backup folder") {
		t.Errorf("backup into a file: err = %v, want one naming the backup folder", err)
	}
	if wrote, err := e.svc.RunDailyBackup(e.ctx); err == nil || wrote {
		t.Errorf("daily backup into a file: wrote %v, err %v; want an error", wrote, err)
	}
}

func TestRestoreBackupBringsBackData(t *testing.T) {
	e := newPayEnv(t)
	kept := e.dueCustomer("Kept Customer")
	backup, err := e.svc.BackupNow(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	e.collect(kept.CRF, "600")
	later := e.dueCustomer("Added After Backup")

	list, err := e.svc.ListBackups(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Path != backup.Path {
		t.Fatalf("backups = %v, want the one just written", list)
	}
	e.clock.Add(time.Minute)
	res, err := e.svc.RestoreBackup(e.ctx, e.admin, backup.Path)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := e.svc.Customer(e.ctx, e.admin, later.CRF); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("customer added after the backup: err = %v, want ErrNotFound", err)
	}
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, kept.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	if q.AmountDue != 60000 {
		t.Errorf("due after restore = %s, want 600.00 as in the backup", q.AmountDue.Plain())
	}
	if _, err := os.Stat(res.ReplacedPath); err != nil {
		t.Errorf("replaced database not kept: %v", err)
	}
	replaced, err := store.Open(e.ctx, res.ReplacedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer replaced.Close()
	if _, err := replaced.Customer(e.ctx, later.CRF); err != nil {
		t.Errorf("replaced database lacks the later customer: %v", err)
	}
	if _, err := e.svc.Login(e.ctx, "admin", testAdminPassword); err != nil {
		t.Errorf("admin cannot log in after the restore: %v", err)
	}
}
