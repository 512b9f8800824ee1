package store

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how often the checkpointer copies committed pages
// from the write-ahead log back into the database file.
const checkpointEvery = 2 * time.Second

// checkpointer copies the write-ahead log into the database file from a
// connection of its own, in the background. Left to SQLite, the commit
// that makes the log pass 1,000 pages does this itself, so a payment or a
// daily job would now and then wait for the copy of earlier writes.
//
// SQLite documents that a passive checkpoint does not wait for readers or
// writers (sqlite.org/c3ref/wal_checkpoint_v2.html). It copies what it can,
// and the next run continues from there.
//
// NOTE: the log is emptied only by a run that finds no reader on an older
// snapshot, so a reader that never ends would let the log grow.
type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

func startCheckpointer(path string, every time.Duration) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{db: db, stop: stop, done: make(chan struct{})}
	go c.run(ctx, every)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context, every time.Duration) {
	defer close(c.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			// A failure, such as a full disk, leaves the pages in the log,
			// where readers still find them, and the next run tries again.
			_, _ = c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// close stops the checkpointer and waits for a run in progress.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	return c.db.Close()
}
