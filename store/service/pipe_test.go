package service

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing/report"
)

// countingProducer sends n rows through one reused slice, as streamReport
// does, and records how many it sent before stopping.
func countingProducer(n int, sent *int) func(context.Context, func(int64, []report.Value) error) error {
	return func(_ context.Context, send func(int64, []report.Value) error) error {
		row := make([]report.Value, 1)
		for i := range n {
			row[0].Text = strconv.Itoa(i)
			if err := send(int64(i), row); err != nil {
				return err
			}
			*sent = i + 1
		}
		return nil
	}
}

func TestPipeRowsKeepsOrderAndCopies(t *testing.T) {
	sent := 0
	n := 3*pipeBatch + 7
	var got []string
	err := pipeRows(context.Background(), countingProducer(n, &sent), func(crf int64, row []report.Value) error {
		if row[0].Text != strconv.FormatInt(crf, 10) {
			t.Fatalf("row %d holds %q", crf, row[0].Text)
		}
		got = append(got, row[0].Text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || sent != n {
		t.Fatalf("consumed %d and sent %d rows, want %d", len(got), sent, n)
	}
	for i, text := range got {
		if text != strconv.Itoa(i) {
			t.Fatalf("row %d is %q", i, text)
		}
	}
}

func TestPipeRowsStopsProducerOnConsumeError(t *testing.T) {
	full := errors.New("disk full")
	sent := 0
	n := 1000 * pipeBatch
	err := pipeRows(context.Background(), countingProducer(n, &sent), func(crf int64, _ []report.Value) error {
		if crf == 10 {
			return full
		}
		return nil
	})
	if !errors.Is(err, full) {
		t.Fatalf("error = %v, want the consumer's", err)
	}
	// The channel holds a few batches, so the producer stops soon after.
	if sent >= n/2 {
		t.Errorf("producer sent %d of %d rows after the consumer failed", sent, n)
	}
}

func TestPipeRowsReturnsProducerError(t *testing.T) {
	broken := errors.New("database gone")
	consumed := 0
	err := pipeRows(context.Background(), func(_ context.Context, send func(int64, []report.Value) error) error {
		for i := range 5 {
			if err := send(int64(i), []report.Value{{}}); err != nil {
				return err
			}
		}
		return broken
	}, func(int64, []report.Value) error {
		consumed++
		return nil
	})
	if !errors.Is(err, broken) {
		t.Fatalf("error = %v, want the producer's", err)
	}
	if consumed > 5 {
		t.Errorf("consumed %d rows", consumed)
	}
}

func TestPipeRowsStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sent := 0
	n := 1000 * pipeBatch
	err := pipeRows(ctx, countingProducer(n, &sent), func(crf int64, _ []report.Value) error {
		if crf == 3 {
			cancel()
		}
		return ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if sent >= n/2 {
		t.Errorf("producer sent %d of %d rows after the cancel", sent, n)
	}
}

// TestPipeRowsCancelsProducerContext checks that a producer that only
// watches its context, as a database query does, stops when the consumer
// fails, and that the consumer takes no row after its error.
func TestPipeRowsCancelsProducerContext(t *testing.T) {
	full := errors.New("disk full")
	consumedAfter := 0
	failed := false
	var stopped error
	err := pipeRows(context.Background(), func(ctx context.Context, send func(int64, []report.Value) error) (err error) {
		defer func() { stopped = err }()
		row := []report.Value{{}}
		for i := range int64(pipeBatch) {
			if err := send(i, row); err != nil {
				return err
			}
		}
		// Then wait, as a slow query does, for the context only.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("the producer's context was not cancelled")
		}
	}, func(crf int64, _ []report.Value) error {
		if failed {
			consumedAfter++
		}
		if crf == 3 {
			failed = true
			return full
		}
		return nil
	})
	if !errors.Is(err, full) {
		t.Fatalf("error = %v, want the consumer's", err)
	}
	if consumedAfter != 0 {
		t.Errorf("consumer took %d rows after its error", consumedAfter)
	}
	if !errors.Is(stopped, context.Canceled) {
		t.Errorf("producer returned %v, want context.Canceled", stopped)
	}
}
