package mailer

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{-3, time.Minute},
		{0, time.Minute},
		{1, time.Minute},
		{2, 5 * time.Minute},
		{3, 15 * time.Minute},
		{4, time.Hour},
		{5, 3 * time.Hour},
		{6, 6 * time.Hour},
		{7, 6 * time.Hour},
		{1000, 6 * time.Hour},
	}
	for _, tt := range tests {
		if got := Backoff(tt.attempt); got != tt.want {
			t.Errorf("Backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

func TestBackoffNeverShrinks(t *testing.T) {
	for attempt := 1; attempt < 50; attempt++ {
		if Backoff(attempt+1) < Backoff(attempt) {
			t.Errorf("Backoff(%d) = %s is shorter than Backoff(%d) = %s",
				attempt+1, Backoff(attempt+1), attempt, Backoff(attempt))
		}
	}
}
