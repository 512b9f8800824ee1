package gen

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ctvms/ctvms/store"
)

// CacheDirEnv names the environment variable with a folder in which Cache
// keeps generated databases across test processes, so that the benchmarks
// of several packages in one `go test` run generate each size once.
const CacheDirEnv = "CTVMS_BENCH_DATA"

// benchmarkSeed is the seed of every cached database, so all benchmarks
// read the same rows.
const benchmarkSeed = 1

// Cache generates databases of DefaultOptions once per size and hands out
// their paths. The files must not be changed: a caller that writes works
// on a copy made with CopyDatabase.
type Cache struct {
	dir string
	// owned is set when the cache made dir itself and removes it on Close.
	owned bool
	mu    sync.Mutex
	paths map[int]string
}

// NewCache returns a cache in the folder named by CacheDirEnv, or, when the
// variable is empty, in a temporary folder made by the first Database call.
func NewCache() *Cache {
	return &Cache{dir: os.Getenv(CacheDirEnv), paths: map[int]string{}}
}

// Close removes the folder when the cache created it.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.owned {
		return nil
	}
	return os.RemoveAll(c.dir)
}

func (c *Cache) makeDir() error {
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "ctvms-bench-")
		if err != nil {
			return fmt.Errorf("create benchmark folder: %w", err)
		}
		c.dir, c.owned = dir, true
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("create benchmark folder: %w", err)
	}
	return nil
}

// Database returns the path of a database with customers customers,
// generating it when neither this process nor an earlier one using the
// same folder did. A database is written under a temporary name and
// renamed when complete, so an interrupted run leaves no partial file.
func (c *Cache) Database(ctx context.Context, customers int) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if path, ok := c.paths[customers]; ok {
		return path, nil
	}
	if err := c.makeDir(); err != nil {
		return "", err
	}
	// The schema version in the name makes a schema change generate the
	// database again instead of migrating an older file.
	version, err := store.LatestSchemaVersion()
	if err != nil {
		return "", err
	}
	path := filepath.Join(c.dir, fmt.Sprintf("ctvms-%d-seed%d-schema%d.db", customers, benchmarkSeed, version))
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".partial"
		os.Remove(tmp)
		if _, err := CreateDatabase(ctx, tmp, DefaultOptions(customers, benchmarkSeed)); err != nil {
			return "", err
		}
		if err := os.Rename(tmp, path); err != nil {
			return "", fmt.Errorf("keep generated database: %w", err)
		}
	}
	c.paths[customers] = path
	return path, nil
}

// CreateDatabase migrates the database at path, creating it when missing,
// and generates opts into it. The database is closed and checkpointed on
// return, so path is the whole database and can be copied alone.
func CreateDatabase(ctx context.Context, path string, opts Options) (Summary, error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return Summary{}, err
	}
	if err := st.Close(); err != nil {
		return Summary{}, fmt.Errorf("close %s: %w", path, err)
	}
	return Generate(ctx, path, opts)
}

// CopyDatabase copies a closed database file from src to dst and syncs
// it to disk, for a benchmark that changes it.
func CopyDatabase(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy database: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("copy database: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy database to %s: %w", dst, err)
	}
	// Without the sync, the first fsync of SQLite (a checkpoint) would
	// write back the whole copy and be timed as part of the benchmark.
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("copy database to %s: %w", dst, err)
	}
	return out.Close()
}
