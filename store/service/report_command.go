package service

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store"
)

// Exit codes of RunReportCommand.
const (
	exitOK    = 0
	exitError = 1
	// exitUsage is for an invalid or missing option, as flag.ExitOnError
	// uses.
	exitUsage = 2
)

// reportOptions are the parsed options of the report command.
type reportOptions struct {
	dataDir string
	filter  ReportFilter
	out     string
}

// RunReportCommand runs "ctvms report" with the arguments after the word
// report and writes the saved file's path to stdout. It returns the
// process exit code: 0 on success, 1 when the report cannot be made, and
// 2 for an invalid option, with a one-line error that names the value and
// the allowed values. It needs no login, because any user who can read the
// data folder can read the database. Each run is logged with log/slog to
// logs/ctvms.log in the data folder. An interrupt (Ctrl+C) stops it without leaving a file.
func RunReportCommand(args []string, stdout, stderr io.Writer) int {
	now := time.Now()
	opts, err := parseReportOptions(args, stderr, now)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "ctvms report:", err)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	path, err := runReport(ctx, opts, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "ctvms report:", err)
		return exitError
	}
	fmt.Fprintln(stdout, path)
	return exitOK
}

func parseReportOptions(args []string, stderr io.Writer, now time.Time) (reportOptions, error) {
	fs := flag.NewFlagSet("ctvms report", flag.ContinueOnError)
	// The flag package's own messages span several lines; errors are
	// printed in one line by the caller and the help only on -h.
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data", "", "data folder with the database (default: the user's data folder)")
	svc := fs.String("service", "", "service: cable_tv or broadband (required)")
	year := fs.String("year", strconv.Itoa(now.Year()), "year of the periods' start dates, such as 2026")
	month := fs.String("month", strconv.Itoa(int(now.Month())), "month of the periods' start dates, 1 to 12")
	kind := fs.String("kind", "", "report: paid or unpaid (required)")
	format := fs.String("format", string(report.FormatXLSX), "file format: pdf or xlsx")
	out := fs.String("out", "", "file to write (default: reports/<kind>-<service>-<year>-<month>.<format> in the data folder)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "Usage: ctvms report -service cable_tv|broadband -kind paid|unpaid [options]")
			fs.PrintDefaults()
			return reportOptions{}, err
		}
		return reportOptions{}, fmt.Errorf("%w; the options are -data, -service, -year, -month, -kind, -format and -out", err)
	}
	if fs.NArg() > 0 {
		return reportOptions{}, fmt.Errorf("unexpected argument %q; give every value with its option, such as -kind unpaid", fs.Arg(0))
	}

	opts := reportOptions{dataDir: *dataDir, out: *out}
	var err error
	if opts.filter.Service, err = parseServiceOption(*svc); err != nil {
		return opts, err
	}
	if opts.filter.Year, err = parseNumberOption("year", *year, minReportYear, maxReportYear); err != nil {
		return opts, err
	}
	m, err := parseNumberOption("month", *month, 1, 12)
	if err != nil {
		return opts, err
	}
	opts.filter.Month = time.Month(m)
	if opts.filter.Kind, err = parseKindOption(*kind); err != nil {
		return opts, err
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return opts, fmt.Errorf("invalid -format %q: use pdf or xlsx", *format)
	}
	opts.filter.Format = f
	return opts, nil
}

func parseServiceOption(value string) (billing.Service, error) {
	if value == "" {
		return "", errors.New("missing -service: use cable_tv or broadband")
	}
	svc, err := billing.ParseService(value)
	if err != nil {
		return "", fmt.Errorf("invalid -service %q: use cable_tv or broadband", value)
	}
	return svc, nil
}

func parseKindOption(value string) (ReportKind, error) {
	switch ReportKind(value) {
	case ReportPaid, ReportUnpaid:
		return ReportKind(value), nil
	case "":
		return "", errors.New("missing -kind: use paid or unpaid")
	}
	return "", fmt.Errorf("invalid -kind %q: use paid or unpaid", value)
}

func parseNumberOption(name, value string, lowest, highest int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil || n < lowest || n > highest {
		return 0, fmt.Errorf("invalid -%s %q: use a whole number from %d to %d", name, value, lowest, highest)
	}
	return n, nil
}

// runReport opens the database of the data folder, never creating one,
// and saves the report.
func runReport(ctx context.Context, opts reportOptions, stderr io.Writer) (string, error) {
	dir := opts.dataDir
	if dir == "" {
		var err error
		if dir, err = store.DefaultDataDir(); err != nil {
			return "", err
		}
	}
	dbPath := filepath.Join(dir, store.DatabaseFile)
	if _, err := os.Stat(dbPath); err != nil {
		return "", fmt.Errorf("no database in the data folder %s: %w; give the folder with -data", dir, err)
	}

	logger, closeLog := commandLogger(dir, stderr)
	defer closeLog()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return "", err
	}
	defer st.Close()

	svc := New(st, Options{DataDir: dir, Logger: logger})
	svc.SetSystemLanguage(localeLanguage())
	out := opts.out
	if out != "" {
		if out, err = filepath.Abs(out); err != nil {
			return "", fmt.Errorf("resolve -out %q: %w", opts.out, err)
		}
	}
	return svc.saveReport(ctx, opts.filter, out, commandActor(), nil)
}

// commandLogger returns a logger that appends to logs/ctvms.log in the
// data folder, or writes to stderr when that file cannot be opened.
func commandLogger(dir string, stderr io.Writer) (*slog.Logger, func()) {
	logDir := filepath.Join(dir, "logs")
	var w io.Writer = stderr
	closeLog := func() {}
	if err := os.MkdirAll(logDir, 0o700); err == nil {
		f, err := os.OpenFile(filepath.Join(logDir, "ctvms.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err == nil {
			w = f
			closeLog = func() { f.Close() }
		}
	}
	return slog.New(slog.NewTextHandler(w, nil)).With("command", "report"), closeLog
}

// commandActor names the operating-system user in the log, as
// "os:<name>".
func commandActor() string {
	for _, key := range []string{"USER", "USERNAME", "LOGNAME"} {
		if name := os.Getenv(key); name != "" {
			return "os:" + name
		}
	}
	return "os:" + strconv.Itoa(os.Getuid())
}
