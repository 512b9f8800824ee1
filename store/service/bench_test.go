package service

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/gen"
)

// benchCache holds the generated databases that the benchmarks of this
// package share.
var benchCache = gen.NewCache()

func TestMain(m *testing.M) {
	code := m.Run()
	if err := benchCache.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// benchAdmin is the login the generator records payments under.
var benchAdmin = Session{UserID: 1, Username: "admin", Role: store.RoleAdmin}

// forEachSize runs fn as a sub-benchmark named size=N for 10,000 and
// 100,000 customers, or only 10,000 with -short, on the cached database of
// that size.
func forEachSize(b *testing.B, fn func(b *testing.B, path string)) {
	sizes := []int{10_000, 100_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			path, err := benchCache.Database(context.Background(), n)
			if err != nil {
				b.Fatal(err)
			}
			// The first call may have generated the database.
			b.ResetTimer()
			fn(b, path)
		})
	}
}

// newBenchService opens the database at path, or a copy of it in the
// benchmark's folder when copyFirst is set, as a service on 20 December
// 2026 at 10:00 local time.
func newBenchService(b *testing.B, path string, copyFirst bool) *Service {
	b.Helper()
	dir := b.TempDir()
	if copyFirst {
		dst := filepath.Join(dir, store.DatabaseFile)
		if err := gen.CopyDatabase(dst, path); err != nil {
			b.Fatal(err)
		}
		path = dst
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return newServiceOn(st, dir)
}

func newServiceOn(st *store.Store, dir string) *Service {
	clock := &fakeClock{}
	clock.SetDate(billing.NewDate(2026, time.December, 20))
	return New(st, Options{DataDir: dir, Clock: clock, Location: testLocation,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// BenchmarkOpenToDashboard opens the database as the program starts and
// computes every figure of the admin dashboard.
func BenchmarkOpenToDashboard(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		dir := b.TempDir()
		b.ReportAllocs()
		for b.Loop() {
			st, err := store.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := newServiceOn(st, dir).AdminDashboard(ctx, benchAdmin); err != nil {
				b.Fatal(err)
			}
			if err := st.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// dueCustomers returns up to limit customers that owe for cable TV.
func dueCustomers(b *testing.B, path string, limit int) []int64 {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT DISTINCT c.customer_crf FROM periods p JOIN connections c ON c.id = p.connection_id
		WHERE p.state IN ('due', 'partial') AND c.service = 'cable_tv' ORDER BY 1 LIMIT ?`, limit)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var crfs []int64
	for rows.Next() {
		var crf int64
		if err := rows.Scan(&crf); err != nil {
			b.Fatal(err)
		}
		crfs = append(crfs, crf)
	}
	return crfs
}

// BenchmarkCollectPayment records one cash payment of the whole amount due
// on cable TV, with its invoice PDF, each time for another customer. The
// payment form's quote is read with the timer stopped. The first payment
// after opening the database reads the pages of its indexes from the disk,
// so it is made before the timer starts and reported apart as first-ms.
func BenchmarkCollectPayment(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		svc := newBenchService(b, path, true)
		crfs := dueCustomers(b, svc.store.Path(), 2001)
		pay := func(crf int64) time.Duration {
			b.StopTimer()
			q, err := svc.PaymentQuote(ctx, benchAdmin, crf, billing.ServiceCableTV)
			if err != nil {
				b.Fatal(err)
			}
			amount := q.AmountDue
			if amount <= 0 {
				// Paid in an earlier round: pay one month ahead.
				amount = 100000
			}
			began := time.Now()
			b.StartTimer()
			r, err := svc.CollectPayment(ctx, benchAdmin, PaymentInput{CRF: crf, Service: billing.ServiceCableTV,
				Amount: amount.Plain(), Mode: store.ModeCash, RequestKey: q.RequestKey})
			if err != nil {
				b.Fatal(err)
			}
			if r.PDFError != nil {
				b.Fatal(r.PDFError)
			}
			return time.Since(began)
		}
		first := pay(crfs[0])
		crfs = crfs[1:]
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			pay(crfs[i%len(crfs)])
		}
		b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
	})
}

// BenchmarkQueueReminders queues a reminder for every customer with an
// email address and an amount due, with the daily limit raised above their
// number, on a fresh copy of the database each time. The candidates are
// listed with the timer stopped.
func BenchmarkQueueReminders(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		b.ReportAllocs()
		queued := 0
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			svc := newBenchService(b, path, true)
			settings, err := svc.store.Settings(ctx)
			if err != nil {
				b.Fatal(err)
			}
			settings.ReminderDailyLimit = 1_000_000
			if err := svc.store.SaveSettings(ctx, "bench", settings); err != nil {
				b.Fatal(err)
			}
			candidates, err := svc.ReminderCandidates(ctx, benchAdmin, store.ReminderFilter{})
			if err != nil {
				b.Fatal(err)
			}
			crfs := make([]int64, len(candidates))
			for j, c := range candidates {
				crfs[j] = c.CRF
			}
			b.StartTimer()
			result, err := svc.QueueReminders(ctx, benchAdmin, crfs, true, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			queued = result.Queued
			svc.store.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(queued), "queued")
	})
}

// peakHeap samples the bytes of live and not yet collected heap objects
// every millisecond until stop is called, and returns the largest value
// seen. runtime/metrics reads it without stopping the world.
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

// BenchmarkReportFiles saves the paid and unpaid cable TV reports of
// December 2026 as PDF and XLSX, and reports the peak heap of each save
// as peak-MB. In the same run, xlsx_cells_alone writes the cells of the
// paid report with excelize's stream writer and nothing else, the floor
// for the XLSX figures.
func BenchmarkReportFiles(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		svc := newBenchService(b, path, false)
		for _, kind := range ReportKinds {
			for _, format := range report.Formats {
				f := decemberFilter(kind, format)
				b.Run(string(kind)+"/"+string(format), func(b *testing.B) {
					preview, err := svc.ReportPreview(ctx, benchAdmin, f)
					if err != nil {
						b.Fatal(err)
					}
					rows := preview.Totals.Rows
					b.ReportAllocs()
					var peak uint64
					for b.Loop() {
						runtime.GC()
						stop := peakHeap()
						err := svc.SaveReport(ctx, benchAdmin, f, "", nil)
						peak = max(peak, stop())
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(rows), "rows")
					b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				})
			}
		}
		b.Run("paid/xlsx_cells_alone", func(b *testing.B) {
			cells := reportCells(b, svc, decemberFilter(ReportPaid, report.FormatXLSX))
			out := filepath.Join(b.TempDir(), "cells.xlsx")
			b.ReportAllocs()
			for b.Loop() {
				if err := writeCellsAlone(out, cells); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(cells)), "rows")
		})
	})
}

// reportCells returns the rows of a report as the cell values the XLSX
// writer stores: text, amounts in major units and local times.
func reportCells(b *testing.B, svc *Service, f ReportFilter) [][]any {
	b.Helper()
	columns := ReportColumns(f.Kind)
	var out [][]any
	err := svc.streamReport(context.Background(), f, &englishReportWords, 0, nil, func(_ int64, row []report.Value) error {
		cells := make([]any, len(columns))
		for i, col := range columns {
			switch col.Kind {
			case report.Amount:
				cells[i] = row[i].Amount.Major()
			case report.Moment:
				cells[i] = row[i].Moment
			default:
				cells[i] = row[i].Text
			}
		}
		out = append(out, cells)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// writeCellsAlone writes rows to a workbook file with excelize's stream
// writer.
func writeCellsAlone(path string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
