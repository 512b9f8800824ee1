// Command ctvms is the CTVMS desktop application for cable TV and
// broadband operators: the office window, or with -kiosk the customer
// kiosk.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/ctvms/ctvms/assets"
	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/demo"
	"github.com/ctvms/ctvms/store/service"
	"github.com/ctvms/ctvms/ui"
)

// appID matches the ID in FyneApp.toml.
const appID = "com.ctvms.office"

func main() {
	dataDir := flag.String("data", "", "data folder with the database, invoices, reports, backups and logs (default: the user's data folder)")
	demoMode := flag.Bool("demo", false, "start on a generated demo office in a new folder (or in -data when it is empty)")
	kiosk := flag.Bool("kiosk", false, "customer kiosk: full screen, customer logins only, logout after 2 idle minutes")
	billsDir := flag.String("kiosk-bills", "", "folder where the kiosk saves invoice PDFs, such as a USB drive (default: kiosk-bills in the data folder)")
	flag.Parse()

	if err := run(*dataDir, *demoMode, *kiosk, *billsDir); err != nil {
		fmt.Fprintln(os.Stderr, "ctvms:", err)
		os.Exit(1)
	}
}

func run(dataDir string, demoMode, kiosk bool, billsDir string) error {
	dir, err := chooseDataDir(dataDir, demoMode)
	if err != nil {
		return err
	}
	logFile, err := startLogging(dir)
	if err != nil {
		return err
	}
	defer logFile.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(dir, store.DatabaseFile))
	if err != nil {
		return err
	}
	defer st.Close()
	slog.Info("start", "data_dir", dir, "kiosk", kiosk, "demo", demoMode)

	hint := ""
	if demoMode {
		if hint, err = prepareDemo(ctx, st); err != nil {
			return err
		}
	}
	svc := service.New(st, service.Options{DataDir: dir})
	go svc.RunScheduler(ctx, time.Minute)
	worker := service.NewOutboxWorker(svc)
	worker.Attach = svc.InvoiceAttachment
	go worker.Run(ctx, 30*time.Second)

	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon)
	if kiosk {
		a.Settings().SetTheme(ui.KioskTheme())
	}
	w := a.NewWindow("CTVMS")
	w.Resize(fyne.NewSize(1200, 760))
	if kiosk {
		w.SetFullScreen(true)
	}
	if billsDir == "" {
		billsDir = filepath.Join(dir, "kiosk-bills")
	}
	ui.NewRoot(w, svc, ui.Options{Kiosk: kiosk, LoginHint: hint, KioskBillsDir: billsDir}).Start()
	w.ShowAndRun()
	slog.Info("stop")
	return nil
}

// chooseDataDir returns the data folder: -data, a new temporary folder for
// -demo, or the user's data folder.
func chooseDataDir(flagValue string, demoMode bool) (string, error) {
	switch {
	case flagValue != "":
		return flagValue, os.MkdirAll(flagValue, 0o700)
	case demoMode:
		return os.MkdirTemp("", "ctvms-demo-")
	}
	dir, err := store.DefaultDataDir()
	if err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o700)
}

// startLogging sends log/slog output to logs/ctvms.log in the data folder
// (readable by the owner only) and to standard error.
func startLogging(dir string) (*os.File, error) {
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		return nil, fmt.Errorf("create log folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(logDir, "ctvms.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log file: %w", err)
	}
	handler := slog.NewTextHandler(io.MultiWriter(f, os.Stderr), &slog.HandlerOptions{Level: slog.LevelInfo})
	slog.SetDefault(slog.New(handler))
	return f, nil
}

// prepareDemo generates the demo office in an empty database and returns
// the demo logins for the login screen.
func prepareDemo(ctx context.Context, st *store.Store) (string, error) {
	has, err := st.HasAdmin(ctx)
	if err != nil {
		return "", err
	}
	first, last := int64(1001), int64(0)
	if !has {
		fmt.Println("Generating the demo office (about half a minute)...")
		sum, err := demo.Generate(ctx, st, demo.Options{Customers: 320, Seed: 7,
			Today: billing.DateOf(time.Now()), Location: time.Local})
		if err != nil {
			return "", err
		}
		first, last = sum.FirstCRF, sum.LastCRF
	}
	hint := fmt.Sprintf("Admin: %s / %s\nCustomers: CRF %d", demo.AdminUsername, demo.AdminPassword, first)
	if last > first {
		hint += fmt.Sprintf(" to %d", last)
	}
	hint += " / " + demo.CustomerPassword
	fmt.Println("Demo data folder:", st.Path())
	fmt.Println(hint)
	return hint, nil
}
