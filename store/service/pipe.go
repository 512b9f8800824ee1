package service

import (
	"context"
	"slices"

	"github.com/ctvms/ctvms/billing/report"
)

// reportProgressStep is how many rows pass between two progress reports
// of a saved report.
const reportProgressStep = 100

// pipeBatch is how many rows travel together from the reading goroutine
// to the writing one.
const pipeBatch = 256

type rowBatch struct {
	crfs []int64
	rows [][]report.Value
}

// pipeRows runs produce in a goroutine of its own and passes each row it
// sends to consume in the calling goroutine, so that reading a report from
// the database and writing its file run side by side on two cores. Rows
// are copied, because produce may reuse them, and travel in batches. When
// consume fails, the context given to produce is cancelled and no more
// rows are taken; the first error is returned.
func pipeRows(ctx context.Context, produce func(ctx context.Context, send func(crf int64, row []report.Value) error) error,
	consume func(crf int64, row []report.Value) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan rowBatch, 4)
	produced := make(chan error, 1)
	go func() {
		defer close(batches)
		var b rowBatch
		flush := func() error {
			if len(b.rows) == 0 {
				return nil
			}
			select {
			case batches <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			b = rowBatch{}
			return nil
		}
		err := produce(ctx, func(crf int64, row []report.Value) error {
			b.crfs = append(b.crfs, crf)
			b.rows = append(b.rows, slices.Clone(row))
			if len(b.rows) == pipeBatch {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		produced <- err
	}()

	var consumed error
	for b := range batches {
		for i := 0; i < len(b.rows) && consumed == nil; i++ {
			consumed = consume(b.crfs[i], b.rows[i])
		}
		if consumed != nil {
			// The producer stops at its next send, or its query fails
			// with the cancelled context, and it closes batches as it
			// returns.
			cancel()
			break
		}
	}
	if err := <-produced; consumed == nil {
		return err
	}
	return consumed
}
