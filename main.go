// Command ctvms is the CTVMS desktop application for cable TV and
// broadband operators: the office window, or with -kiosk the customer
// kiosk.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/assets"
	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/demo"
	"github.com/ctvms/ctvms/store/gen"
	"github.com/ctvms/ctvms/store/service"
	"github.com/ctvms/ctvms/ui"
)

// appID matches the ID in FyneApp.toml.
const appID = "com.ctvms.office"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "report" {
		os.Exit(service.RunReportCommand(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "gen" {
		os.Exit(gen.RunGenerateCommand(os.Args[2:], os.Stdout, os.Stderr))
	}
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

	o := &office{ctx: ctx, dir: dir, demo: demoMode, win: w,
		opts: ui.Options{Kiosk: kiosk, KioskBillsDir: billsDir}}
	defer o.close()
	dbPath := filepath.Join(dir, store.DatabaseFile)
	switch err := store.CheckDatabase(dbPath); {
	case errors.Is(err, store.ErrDamaged):
		slog.Error("database damaged", "path", dbPath, "err", err)
		w.SetContent(recoveryPage(o, dbPath, err, a.Quit))
	case err != nil:
		return err
	default:
		if err := o.start(); err != nil {
			return err
		}
	}
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

// office is the open database with its service, background jobs and
// screens.
type office struct {
	ctx  context.Context
	dir  string
	demo bool
	win  fyne.Window
	opts ui.Options
	st   *store.Store
}

// start opens the database, starts the background jobs and shows the
// setup or login screen.
func (o *office) start() error {
	st, err := store.Open(o.ctx, filepath.Join(o.dir, store.DatabaseFile))
	if err != nil {
		return err
	}
	o.st = st
	slog.Info("start", "data_dir", o.dir, "kiosk", o.opts.Kiosk, "demo", o.demo)
	if o.demo {
		if o.opts.LoginHint, err = prepareDemo(o.ctx, st); err != nil {
			return err
		}
	}
	svc := service.New(st, service.Options{DataDir: o.dir})
	// RunScheduler also delivers the outbox and writes the daily backup,
	// under the lease that keeps a second copy from running them too.
	go svc.RunScheduler(o.ctx, time.Minute)
	ui.NewRoot(o.win, svc, o.opts).Start()
	return nil
}

func (o *office) close() {
	if o.st != nil {
		o.st.Close()
	}
}

// recoveryPage explains that the database is damaged and offers the
// newest backup that passes the integrity check. Restoring keeps the
// damaged file as ctvms.db.replaced-<time>, and Quit changes nothing.
func recoveryPage(o *office, dbPath string, damage error, quit func()) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle("The database is damaged", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel("CTVMS cannot use its database file, which is damaged, for example by a power cut " +
		"or a disk fault. Nothing was changed.")
	text.Wrapping = fyne.TextWrapWord
	details := widget.NewLabel(damage.Error())
	details.Wrapping = fyne.TextWrapWord
	more := widget.NewAccordion(widget.NewAccordionItem("Details", details))
	quitButton := widget.NewButton("Quit", quit)
	page := func(buttons ...fyne.CanvasObject) fyne.CanvasObject {
		box := container.NewVBox(heading, text, container.NewHBox(buttons...), more)
		return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, box.MinSize().Height+200), box))
	}

	backup, err := store.NewestGoodBackup(o.dir)
	if err != nil {
		text.SetText(text.Text + "\n\nNo good backup was found in " + filepath.Join(o.dir, store.BackupsDir) +
			". Copy a backup there, then start CTVMS again.")
		return page(quitButton)
	}
	text.SetText(text.Text + "\n\nRestoring the newest good backup replaces the damaged file, which is kept beside it " +
		"as ctvms.db.replaced-<time>. Payments and changes made after that backup must be entered again.")
	restore := widget.NewButton("Restore the backup of "+backup.At.Format("02 Jan 2006 15:04"), func() {
		replaced, err := store.ReplaceDatabaseFile(dbPath, backup.Path, time.Now())
		if err != nil {
			dialog.ShowError(err, o.win)
			return
		}
		slog.Info("database restored at start-up", "backup", backup.Path, "replaced", replaced)
		if err := o.start(); err != nil {
			dialog.ShowError(err, o.win)
		}
	})
	restore.Importance = widget.HighImportance
	return page(restore, quitButton)
}
