package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
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

// benchLocation is the operator's zone of the generated databases.
var benchLocation = gen.DefaultOptions(0, 0).Location

// benchToday is the day the read benchmarks run on: within the last
// generated month, December 2026.
var benchToday = billing.NewDate(2026, time.December, 20)

// benchGraceDays is the default grace period of the settings.
const benchGraceDays = 60

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

func openStore(b *testing.B, path string) *store.Store {
	b.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// openCopy copies the database at path into the benchmark's folder and
// opens the copy, for a benchmark that writes. The timer is stopped.
func openCopy(b *testing.B, path string) *store.Store {
	b.Helper()
	dst := filepath.Join(b.TempDir(), store.DatabaseFile)
	if err := gen.CopyDatabase(dst, path); err != nil {
		b.Fatal(err)
	}
	return openStore(b, dst)
}

// checkpoint copies the whole write-ahead log of the database at path
// into the file and empties the log, through a connection of its own.
func checkpoint(b *testing.B, path string) {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkDashboardFigures(b *testing.B) {
	ctx := context.Background()
	today := benchToday
	figures := []struct {
		name string
		run  func(st *store.Store) error
	}{
		{"status_counts", func(st *store.Store) error { _, err := st.StatusCounts(ctx); return err }},
		{"renewals_count", func(st *store.Store) error { _, err := st.RenewalsCount(ctx, today); return err }},
		{"renewals", func(st *store.Store) error { _, err := st.Renewals(ctx, today); return err }},
		{"received_in_month", func(st *store.Store) error {
			_, err := st.ReceivedInMonth(ctx, today.Year, today.Month, benchLocation)
			return err
		}},
		{"pending_in_month", func(st *store.Store) error {
			_, err := st.PendingInMonth(ctx, today.Year, today.Month)
			return err
		}},
		{"outstanding", func(st *store.Store) error { _, err := st.Outstanding(ctx); return err }},
		{"complaint_counts", func(st *store.Store) error { _, err := st.ComplaintCounts(ctx); return err }},
		{"collection_series", func(st *store.Store) error {
			_, err := st.CollectionSeries(ctx, today.Year, today.Month, 12, benchLocation)
			return err
		}},
	}
	forEachSize(b, func(b *testing.B, path string) {
		st := openStore(b, path)
		defer st.Close()
		for _, f := range figures {
			b.Run(f.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := f.run(st); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkSearchFirstPage loads the first page of the customers table as
// the screen does while someone types: one page of 100 rows, and the count
// of all matches when that page is full.
func BenchmarkSearchFirstPage(b *testing.B) {
	ctx := context.Background()
	searches := []struct{ name, text string }{
		{"crf_prefix", "4321"},
		{"name_substring", "sharma"},
		{"name_substring_rare", "d'souza"},
		{"mobile_substring", "98765"},
		// Two characters are too short for the trigram index, so the
		// first keystrokes read every customer.
		{"name_two_letters", "ra"},
		{"digits_two", "43"},
	}
	forEachSize(b, func(b *testing.B, path string) {
		st := openStore(b, path)
		defer st.Close()
		for _, s := range searches {
			b.Run(s.name, func(b *testing.B) {
				b.ReportAllocs()
				matches := 0
				for b.Loop() {
					q := store.CustomerQuery{Text: s.text, Limit: 100}
					rows, err := st.SearchCustomers(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					matches = len(rows)
					if len(rows) == q.Limit {
						if matches, err = st.CountCustomers(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(matches), "matches")
			})
		}
	})
}

// jobClock returns the clock of a billing job at 06:00 local time on day.
func jobClock(day billing.Date) store.JobClock {
	now := time.Date(day.Year, day.Month, day.Day, 6, 0, 0, 0, benchLocation)
	return store.JobClock{Now: now, Today: day, GraceDays: benchGraceDays}
}

// BenchmarkBillingRun bills the periods that start in January 2027, after
// the year updater made them, on a fresh copy of the database each time.
func BenchmarkBillingRun(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		b.ReportAllocs()
		var billed int64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			st := openCopy(b, path)
			if _, err := st.CreateYearPeriods(ctx, jobClock(billing.NewDate(2027, time.January, 1))); err != nil {
				b.Fatal(err)
			}
			// In use, the checkpointer copies the year's rows from the log
			// into the file within seconds of the rollover. Here that copy
			// is made before the billing run is timed, not during it.
			checkpoint(b, st.Path())
			b.StartTimer()
			n, err := st.BillStartedPeriods(ctx, jobClock(billing.NewDate(2027, time.January, 31)))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			billed = n
			st.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(billed), "periods")
	})
}

// BenchmarkStatusUpdater updates every connection's status on 31 January
// 2027, on a fresh copy of the database each time.
func BenchmarkStatusUpdater(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		b.ReportAllocs()
		var changed int64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			st := openCopy(b, path)
			b.StartTimer()
			n, err := st.UpdateStatuses(ctx, jobClock(billing.NewDate(2027, time.January, 31)))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			changed = n
			st.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(changed), "connections")
	})
}

// BenchmarkYearRollover creates the periods of 2027 with the year updater
// on a fresh copy of the database each time. In the same run it inserts
// the same rows with one prepared INSERT in one transaction on another
// copy and reports that time as bare-s/op and the ratio of the two as
// x-bare.
func BenchmarkYearRollover(b *testing.B) {
	ctx := context.Background()
	forEachSize(b, func(b *testing.B, path string) {
		b.ReportAllocs()
		var added int64
		var bare time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			st := openCopy(b, path)
			b.StartTimer()
			n, err := st.CreateYearPeriods(ctx, jobClock(billing.NewDate(2027, time.January, 1)))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			added = n
			st.Close()
			bare += bareInsertPeriods(b, path, 2027)
			b.StartTimer()
		}
		b.ReportMetric(float64(added), "periods")
		perOp := bare / time.Duration(b.N)
		b.ReportMetric(perOp.Seconds(), "bare-s/op")
		b.ReportMetric(float64(b.Elapsed())/float64(bare), "x-bare")
	})
}

// bareInsertPeriods inserts the scheduled periods of year for every
// connection that is not disconnected into a copy of the database at
// path, with one prepared INSERT in one transaction on a connection set up
// as the store sets up its writer, and returns the time
// of the inserts and the commit. The rows are computed before the clock
// starts.
func bareInsertPeriods(b *testing.B, path string, year int) time.Duration {
	b.Helper()
	ctx := context.Background()
	dst := filepath.Join(b.TempDir(), "bare.db")
	if err := gen.CopyDatabase(dst, path); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+dst+"?_pragma=busy_timeout(15000)&_pragma=journal_mode(WAL)"+
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)"+
		"&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	type row struct {
		connectionID int64
		period       billing.Period
	}
	var rows []row
	list, err := db.QueryContext(ctx, `SELECT id, anchor_on FROM connections WHERE status <> 'disconnected'`)
	if err != nil {
		b.Fatal(err)
	}
	for list.Next() {
		var id int64
		var anchor string
		if err := list.Scan(&id, &anchor); err != nil {
			b.Fatal(err)
		}
		d, err := billing.ParseDate(anchor)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range billing.PeriodsStartingIn(d, year) {
			rows = append(rows, row{id, p})
		}
	}
	if err := list.Close(); err != nil {
		b.Fatal(err)
	}

	began := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO periods (connection_id, starts_on, ends_on, year, month, state)
		VALUES (?, ?, ?, ?, ?, 'scheduled')`)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		p := r.period
		if _, err := stmt.ExecContext(ctx, r.connectionID, p.Start.String(), p.End.String(), year,
			int(p.Start.Month)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(began)
}
