package mailer

import "time"

// backoffSteps are the waits before the first retries. Later retries wait
// maxBackoff.
var backoffSteps = []time.Duration{
	time.Minute,
	5 * time.Minute,
	15 * time.Minute,
	time.Hour,
	3 * time.Hour,
}

// maxBackoff is the longest wait between two attempts.
const maxBackoff = 6 * time.Hour

// Backoff returns the wait before retry number attempt, counted from 1:
// 1 min, 5 min, 15 min, 1 h, 3 h, then 6 h for every later retry. It has no
// random jitter, so the same attempt always waits the same time. An attempt
// below 1 is treated as 1.
func Backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > len(backoffSteps) {
		return maxBackoff
	}
	return backoffSteps[attempt-1]
}
