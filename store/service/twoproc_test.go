package service

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// Environment variables that turn the test binary into a helper process.
const (
	helperModeEnv = "CTVMS_TEST_HELPER"
	helperDirEnv  = "CTVMS_TEST_DATA_DIR"
	helperCRFsEnv = "CTVMS_TEST_CRFS"
	// helperStartEnv is a Unix time in nanoseconds at which a helper starts
	// paying, so that two helpers run at the same time.
	helperStartEnv   = "CTVMS_TEST_START"
	helperJournalEnv = "CTVMS_TEST_JOURNAL"
	helperSeedEnv    = "CTVMS_TEST_SEED"
)

// helperCommand returns a command that runs this test binary as a helper
// process in mode, with the extra environment variables env.
func helperCommand(ctx context.Context, mode string, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{helperModeEnv + "=" + mode}, env...)...)
	return cmd
}

// TestHelperProcess is not a test: it is the body of the child processes
// that the two-process and crash tests start. It does nothing unless
// CTVMS_TEST_HELPER is set.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperModeEnv)
	if mode == "" {
		t.Skip("runs only as a child process of another test")
	}
	var err error
	switch mode {
	case "pay-list":
		err = helperPayList()
	case "pay-loop":
		err = helperPayLoop()
	default:
		err = fmt.Errorf("unknown helper mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

// helperService opens the database of the helper's data folder as the
// admin, with the clock of newEnv.
func helperService() (*Service, Session, func(), error) {
	dir := os.Getenv(helperDirEnv)
	st, err := store.Open(context.Background(), filepath.Join(dir, store.DatabaseFile))
	if err != nil {
		return nil, Session{}, nil, err
	}
	clock := &fakeClock{}
	clock.SetDate(billing.NewDate(2026, time.December, 4))
	svc := New(st, Options{DataDir: dir, Clock: clock, Location: testLocation,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	admin, err := svc.Login(context.Background(), "admin", testAdminPassword)
	if err != nil {
		st.Close()
		return nil, Session{}, nil, err
	}
	return svc, admin, func() { st.Close() }, nil
}

// helperPayList pays the whole amount due of each customer in
// CTVMS_TEST_CRFS, in cash, starting at CTVMS_TEST_START.
func helperPayList() error {
	svc, admin, closeStore, err := helperService()
	if err != nil {
		return err
	}
	defer closeStore()
	start, err := strconv.ParseInt(os.Getenv(helperStartEnv), 10, 64)
	if err != nil {
		return err
	}
	time.Sleep(time.Until(time.Unix(0, start)))

	ctx := context.Background()
	for _, field := range strings.Split(os.Getenv(helperCRFsEnv), ",") {
		crf, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return err
		}
		q, err := svc.PaymentQuote(ctx, admin, crf, billing.ServiceCableTV)
		if err != nil {
			return fmt.Errorf("quote customer %d: %w", crf, err)
		}
		_, err = svc.CollectPayment(ctx, admin, PaymentInput{CRF: crf, Service: billing.ServiceCableTV,
			Amount: q.AmountDue.Plain(), Mode: store.ModeCash, RequestKey: q.RequestKey})
		if err != nil {
			return fmt.Errorf("pay customer %d: %w", crf, err)
		}
	}
	return nil
}

func TestTwoProcessesPayAtOnce(t *testing.T) {
	e := newPayEnv(t)
	var crfs [2][]string
	for i := range 20 {
		nc := e.dueCustomer(fmt.Sprintf("Customer %02d", i))
		crfs[i%2] = append(crfs[i%2], strconv.FormatInt(nc.CRF, 10))
	}
	start := time.Now().Add(1500 * time.Millisecond).UnixNano()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cmds [2]*exec.Cmd
	var outputs [2]*strings.Builder
	for i := range cmds {
		outputs[i] = &strings.Builder{}
		cmds[i] = helperCommand(ctx, "pay-list", helperDirEnv+"="+filepath.Dir(e.store.Path()),
			helperCRFsEnv+"="+strings.Join(crfs[i], ","), helperStartEnv+"="+strconv.FormatInt(start, 10))
		cmds[i].Stdout = outputs[i]
		cmds[i].Stderr = outputs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outputs[i])
		}
		if strings.Contains(outputs[i].String(), "locked") {
			t.Errorf("process %d reported a lock:\n%s", i, outputs[i])
		}
	}

	db := e.rawDB()
	if n := countRows(t, db, `SELECT COUNT(*) FROM payments`); n != 20 {
		t.Errorf("%d payments recorded, want 20", n)
	}
	rows, err := db.Query(`SELECT seq FROM invoices WHERE year = 2026 ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seqs []int
	for rows.Next() {
		var seq int
		if err := rows.Scan(&seq); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	want := make([]int, 20)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(seqs, want) {
		t.Errorf("invoice numbers = %v, want 1 to 20 once each", seqs)
	}
}

// newSchedulerPair returns two services on one database file, as two
// copies of the program on one data folder, sharing a fake clock.
func newSchedulerPair(t *testing.T) (*env, *Service) {
	t.Helper()
	e := newEnv(t)
	other, err := store.Open(e.ctx, e.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	svc := New(other, Options{DataDir: e.svc.DataDir(), Clock: e.clock, Location: testLocation,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return e, svc
}

func backupCount(t *testing.T, svc *Service) int {
	t.Helper()
	list, err := store.ListBackups(svc.BackupsDir(), testLocation)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestSchedulerLeaseOneCopyRunsJobs(t *testing.T) {
	e, kioskSvc := newSchedulerPair(t)
	const interval = time.Minute
	office := newScheduler(e.svc, interval)
	kiosk := newScheduler(kioskSvc, interval)

	if !office.tick(e.ctx) {
		t.Fatal("office did not take the free lease")
	}
	if n := backupCount(t, e.svc); n != 1 {
		t.Errorf("%d backups after the office's first run, want the daily one", n)
	}
	if kiosk.tick(e.ctx) {
		t.Error("kiosk ran the jobs while the office holds the lease")
	}

	// The office renews every interval, so the kiosk keeps waiting.
	for range 5 {
		e.clock.Add(interval)
		if !office.tick(e.ctx) {
			t.Fatal("office lost its own lease while renewing it")
		}
		if kiosk.tick(e.ctx) {
			t.Fatal("kiosk took a lease that is renewed in time")
		}
	}

	// The office stops renewing, as if it crashed, so the lease expires
	// after three intervals and the kiosk takes over.
	e.clock.Add(2 * interval)
	if kiosk.tick(e.ctx) {
		t.Error("kiosk took the lease before it expired")
	}
	e.clock.Add(interval)
	if !kiosk.tick(e.ctx) {
		t.Fatal("kiosk did not take the expired lease")
	}
	if office.tick(e.ctx) {
		t.Error("office ran the jobs after the kiosk took over")
	}

	// A new day: only the holder writes that day's backup.
	e.clock.Add(24 * time.Hour)
	office.tick(e.ctx)
	kiosk.tick(e.ctx)
	if n := backupCount(t, e.svc); n != 2 {
		t.Errorf("%d backups after two days, want 2", n)
	}

	kiosk.release()
	if !office.tick(e.ctx) {
		t.Error("office did not take the lease the kiosk released")
	}
}

func TestRunSchedulerReleasesLeaseOnStop(t *testing.T) {
	e, _ := newSchedulerPair(t)
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan struct{})
	go func() {
		e.svc.RunScheduler(ctx, time.Hour)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, _, err := e.store.LeaseHolder(e.ctx, BackgroundJobsLease); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	holder, _, err := e.store.LeaseHolder(e.ctx, BackgroundJobsLease)
	if err != nil {
		t.Fatalf("scheduler did not take the lease: %v", err)
	}
	if !strings.Contains(holder, "/"+strconv.Itoa(os.Getpid())+"/") {
		t.Errorf("lease holder %q does not name this process", holder)
	}
	cancel()
	<-done
	if _, _, err := e.store.LeaseHolder(e.ctx, BackgroundJobsLease); err == nil {
		t.Error("lease still held after the scheduler stopped")
	}
}

// readLines sends each line of r to lines and closes it at the end.
func readLines(r io.Reader, lines chan<- string) {
	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		lines <- scanner.Text()
	}
	close(lines)
}
