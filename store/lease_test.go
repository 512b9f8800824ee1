package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func acquire(t *testing.T, s *Store, holder string, now time.Time) bool {
	t.Helper()
	held, err := s.AcquireLease(context.Background(), "jobs", holder, time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	return held
}

func TestLeaseTakenRenewedAndExpired(t *testing.T) {
	s, _ := openTestStore(t)
	start := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)

	if !acquire(t, s, "office", start) {
		t.Fatal("free lease not taken")
	}
	if acquire(t, s, "kiosk", start.Add(30*time.Second)) {
		t.Error("kiosk took a lease the office holds")
	}
	if !acquire(t, s, "office", start.Add(50*time.Second)) {
		t.Error("office could not renew its lease")
	}
	// The renewal moved the expiry to 10:01:50, so 10:01:30 is too early.
	if acquire(t, s, "kiosk", start.Add(90*time.Second)) {
		t.Error("kiosk took the lease before the renewed expiry")
	}
	holder, expires, err := s.LeaseHolder(context.Background(), "jobs")
	if err != nil {
		t.Fatal(err)
	}
	if holder != "office" || !expires.Equal(start.Add(110*time.Second)) {
		t.Errorf("lease = %s until %v, want office until %v", holder, expires, start.Add(110*time.Second))
	}
	if !acquire(t, s, "kiosk", start.Add(110*time.Second)) {
		t.Error("kiosk could not take the expired lease")
	}
	if acquire(t, s, "office", start.Add(120*time.Second)) {
		t.Error("office took back a lease the kiosk holds")
	}
}

func TestLeaseReleaseFreesAtOnce(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	acquire(t, s, "office", now)

	if err := s.ReleaseLease(ctx, "jobs", "kiosk"); err != nil {
		t.Fatal(err)
	}
	if acquire(t, s, "kiosk", now) {
		t.Error("a release by another holder freed the lease")
	}
	if err := s.ReleaseLease(ctx, "jobs", "office"); err != nil {
		t.Fatal(err)
	}
	if !acquire(t, s, "kiosk", now) {
		t.Error("released lease not free")
	}
	if _, err := s.AcquireLease(ctx, "jobs", "", time.Minute, now); err == nil {
		t.Error("empty holder accepted")
	}
	if _, _, err := s.LeaseHolder(ctx, "other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown lease: err = %v, want ErrNotFound", err)
	}
}

func TestLeaseOneWinnerAcrossStores(t *testing.T) {
	s, _ := openTestStore(t)
	now := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	const copies = 8
	stores := make([]*Store, copies)
	for i := range stores {
		other, err := Open(context.Background(), s.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		stores[i] = other
	}

	var wg sync.WaitGroup
	results := make([]bool, copies)
	errs := make([]error, copies)
	for i, st := range stores {
		wg.Go(func() {
			results[i], errs[i] = st.AcquireLease(context.Background(), "jobs", string(rune('a'+i)), time.Minute, now)
		})
	}
	wg.Wait()
	winners := 0
	for i := range results {
		if errs[i] != nil {
			t.Errorf("copy %d: %v", i, errs[i])
		}
		if results[i] {
			winners++
		}
	}
	if winners != 1 {
		t.Errorf("%d copies hold the lease, want exactly 1", winners)
	}
}
