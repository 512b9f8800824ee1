package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/gen"
	"github.com/ctvms/ctvms/store/service"
)

// BenchmarkCustomersScrollToEnd opens the customers screen on a generated
// database in Fyne's test driver, then scrolls the table to the last row,
// which loads and renders the last page. Each round starts from a fresh
// search, so the page cache is empty.
func BenchmarkCustomersScrollToEnd(b *testing.B) {
	cache := gen.NewCache()
	b.Cleanup(func() { cache.Close() })
	sizes := []int{10_000, 100_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			path, err := cache.Database(context.Background(), n)
			if err != nil {
				b.Fatal(err)
			}
			// The first call may have generated the database.
			b.ResetTimer()
			benchmarkScrollToEnd(b, path, n)
		})
	}
}

func benchmarkScrollToEnd(b *testing.B, path string, customers int) {
	test.NewTempApp(b)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	clock := &stoppedClock{now: time.Date(2026, time.December, 20, 10, 0, 0, 0, time.Local)}
	svc := service.New(st, service.Options{DataDir: b.TempDir(), Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	sess := service.Session{UserID: 1, Username: "admin", Role: store.RoleAdmin}

	win := test.NewWindow(nil)
	win.Resize(fyne.NewSize(1200, 760))
	b.Cleanup(win.Close)
	screen := newCustomersScreen(svc, sess, win)
	win.SetContent(screen.buildUI())
	lastPage := (customers - 1) / customerPageSize

	b.ReportAllocs()
	for b.Loop() {
		screen.onSearchChanged()
		screen.table.ScrollToBottom()
		if _, ok := screen.rows.pages[lastPage]; !ok {
			b.Fatalf("last page %d not loaded after scrolling to the bottom", lastPage)
		}
	}
}
