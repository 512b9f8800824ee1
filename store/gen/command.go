package gen

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

// RunGenerateCommand runs "ctvms gen" with the arguments after the word
// gen: it adds generated customers with two years of history to the
// database file given by -out, creating and migrating it when missing, and
// prints what it wrote. It returns the process exit code: 0 on success, 1
// when generation fails and 2 for an invalid or missing option.
func RunGenerateCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ctvms gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "database file to fill, created when missing (required)")
	customers := fs.Int("customers", 10000, "number of customers to add, at least 1")
	seed := fs.Uint64("seed", 1, "seed of the random choices; the same seed gives the same rows")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "ctvms gen: unexpected argument %q\n", fs.Arg(0))
		return 2
	case *out == "":
		fmt.Fprintln(stderr, "ctvms gen: missing -out: give the database file to fill")
		return 2
	case *customers < 1:
		fmt.Fprintf(stderr, "ctvms gen: invalid -customers %d: use a whole number of at least 1\n", *customers)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	began := time.Now()
	sum, err := CreateDatabase(ctx, *out, DefaultOptions(*customers, *seed))
	if err != nil {
		fmt.Fprintln(stderr, "ctvms gen:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: customers %d to %d, %d connections, %d periods, %d payments, "+
		"%d complaints, %d emails in %v\n", *out, sum.FirstCRF, sum.LastCRF, sum.Connections, sum.Periods,
		sum.Payments, sum.Complaints, sum.Emails, time.Since(began).Round(time.Millisecond))
	return 0
}
