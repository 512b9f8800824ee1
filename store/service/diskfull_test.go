package service

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// mountSmallDisk mounts a tmpfs of the given size for the test and returns
// its path. It skips the test where mounting is not allowed (not root, or
// a container without the capability).
func mountSmallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small disk needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Logf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file until the disk is full and returns a function
// that frees the space again.
func fillDisk(t *testing.T, dir string) func() {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for i := 0; i < 1<<14; i++ {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	return func() { os.Remove(path) }
}

func auditRows(t *testing.T, e *env) int {
	t.Helper()
	rows, err := e.store.ListAudit(e.ctx, store.AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

func TestPaymentOnFullDiskSavesNothing(t *testing.T) {
	dir := mountSmallDisk(t, "3m")
	e := newEnvIn(t, dir)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Disk Full")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	// An empty write-ahead log must grow for the next transaction, so the
	// full disk is met on the payment's first write.
	if err := e.store.Checkpoint(e.ctx); err != nil {
		t.Fatal(err)
	}
	auditBefore := auditRows(t, e)
	free := fillDisk(t, dir)

	in := PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV, Amount: "250", Mode: "cash", RequestKey: q.RequestKey}
	_, err = e.svc.CollectPayment(e.ctx, e.admin, in)
	if !errors.Is(err, store.ErrDiskFull) {
		t.Fatalf("payment on a full disk: err = %v, want ErrDiskFull", err)
	}
	free()

	if n := auditRows(t, e); n != auditBefore {
		t.Errorf("audit rows %d → %d after the failed payment", auditBefore, n)
	}
	open, err := e.store.OpenPeriods(e.ctx, q.Connection.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Paid != 0 {
		t.Errorf("periods after the failed payment: %+v", open)
	}
	if _, err := e.store.InvoiceByNumber(e.ctx, "INV-2026-000001"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an invoice exists after the failed payment: %v", err)
	}

	r, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if err != nil {
		t.Fatalf("payment after freeing space: %v", err)
	}
	if r.Invoice.Number != "INV-2026-000001" || r.Duplicate {
		t.Errorf("payment after freeing space: invoice %s, duplicate %v", r.Invoice.Number, r.Duplicate)
	}
}

func TestBackupOnFullDiskLeavesNoFile(t *testing.T) {
	dir := mountSmallDisk(t, "3m")
	e := newEnvIn(t, dir)
	for i := 0; i < 20; i++ {
		e.addCustomer("Backup Filler")
	}
	free := fillDisk(t, dir)
	defer free()
	_, err := e.svc.BackupNow(e.ctx, e.admin)
	if err == nil {
		t.Fatal("backup on a full disk succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, store.BackupsDir))
	for _, entry := range entries {
		t.Errorf("backup folder keeps %s after the failed backup", entry.Name())
	}
}

func TestReadOnlyDataFolderGivesClearError(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a read-only disk needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a read-only tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })

	path := filepath.Join(dir, store.DatabaseFile)
	_, err := store.Open(t.Context(), path)
	if err == nil {
		t.Fatal("opening a database in a read-only folder succeeded")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("error %q does not name the file and the read-only folder", err)
	}
	if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("a database file was left behind: %v", statErr)
	}
}
