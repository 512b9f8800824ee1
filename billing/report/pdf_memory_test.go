package report

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// paidColumns are the columns of the paid report, so synthetic documents
// fill pages the way a real one does.
var paidColumns = []Column{
	{Title: "CRF", Kind: Text, Width: 8},
	{Title: "Name", Kind: Text, Width: 28},
	{Title: "Mobile", Kind: Text, Width: 15},
	{Title: "Plan", Kind: Text, Width: 16},
	{Title: "Amount paid", Kind: Amount, Width: 14},
	{Title: "Paid on", Kind: Moment, Width: 18},
	{Title: "Mode", Kind: Text, Width: 8},
	{Title: "Reference", Kind: Text, Width: 18},
	{Title: "Invoice", Kind: Text, Width: 18},
}

var syntheticNames = []string{
	"Venkata Satya Lakshmi Narasimha Raghavendra", "José Núñez", "Ana María Peña",
	"Priya Sharma", "Zoë Ødegård", "Mohammed Al-Farsi", "Søren Kierkegaard",
}

// syntheticDocument returns a paid report of n generated rows. Rows reuses
// one slice, as the store does.
func syntheticDocument(n int) Document {
	paid := time.Date(2026, time.December, 1, 9, 30, 0, 0, time.UTC)
	return Document{
		Business: "Sunrise Cable Network", Title: "Cable TV — paid — December 2026",
		Generated: paid, CurrencySymbol: "₹", Columns: paidColumns, CountLabel: "%d customers",
		Rows: func(emit func([]Value) error) error {
			row := make([]Value, len(paidColumns))
			for i := range n {
				row[0] = Value{Text: fmt.Sprint(100000 + i)}
				row[1] = Value{Text: syntheticNames[i%len(syntheticNames)]}
				row[2] = Value{Text: fmt.Sprintf("98%08d", i)}
				row[3] = Value{Text: "Gold HD 350"}
				row[4] = Value{Amount: billing.Money(35000 + i%900)}
				row[5] = Value{Moment: paid.Add(time.Duration(i) * time.Minute)}
				row[6] = Value{Text: "UPI"}
				row[7] = Value{Text: fmt.Sprintf("UPI%012d", i)}
				row[8] = Value{Text: fmt.Sprintf("INV-2026-12-%06d", i)}
				if err := emit(row); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// peakHeap samples the bytes of live and not yet collected heap objects
// every millisecond until stop is called, and returns the largest value
// seen.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// countingDiscard counts the bytes written to it and keeps none.
type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// pdfPeakHeap writes a synthetic report of n rows into a writer that
// only counts bytes, and returns the peak heap while it ran and the size
// of the PDF.
func pdfPeakHeap(tb testing.TB, n int) (peak uint64, size int64) {
	tb.Helper()
	runtime.GC()
	out := &countingDiscard{}
	stop := peakHeap()
	_, err := WritePDF(context.Background(), out, syntheticDocument(n))
	peak = stop()
	if err != nil {
		tb.Fatal(err)
	}
	return peak, out.n
}

// BenchmarkWritePDF writes synthetic paid reports and reports the peak
// heap of a write as peak-MB and the file size as file-KB.
func BenchmarkWritePDF(b *testing.B) {
	for _, rows := range []int{100, 60000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			var peak uint64
			var size int64
			for b.Loop() {
				p, s := pdfPeakHeap(b, rows)
				peak, size = max(peak, p), s
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.ReportMetric(float64(size)/(1<<10), "file-KB")
		})
	}
}

func TestWritePDFMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 22,000 rows")
	}
	small, _ := pdfPeakHeap(t, 2000)
	large, _ := pdfPeakHeap(t, 20000)
	t.Logf("peak heap: %.1f MB for 2,000 rows, %.1f MB for 20,000 rows", float64(small)/(1<<20), float64(large)/(1<<20))
	// Pages are written as they are drawn, so ten times the rows may
	// add a few kilobytes of page offsets but not megabytes. The margin
	// leaves room for garbage not yet collected.
	if limit := 2*small + 4<<20; large > limit {
		t.Errorf("peak heap of 20,000 rows is %d bytes, above %d, twice that of 2,000 rows plus 4 MB", large, limit)
	}
}
