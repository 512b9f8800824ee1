package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes d to w in format f.
func Write(ctx context.Context, w io.Writer, f Format, d Document) (Totals, error) {
	switch f {
	case FormatPDF:
		return WritePDF(ctx, w, d)
	case FormatXLSX:
		return WriteXLSX(ctx, w, d)
	}
	return Totals{}, fmt.Errorf("%w %q: use %q or %q", ErrInvalidFormat, f, FormatPDF, FormatXLSX)
}

// WriteFile writes d to path atomically: into a temporary file in the same
// folder, synced to disk, then renamed over path. It creates the folder
// with mode 0700 when missing and leaves the file with mode 0600. When
// writing fails or ctx is done, the temporary file is removed and path is
// left as it was.
func WriteFile(ctx context.Context, path string, f Format, d Document) (Totals, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Totals{}, fmt.Errorf("create report folder %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return Totals{}, fmt.Errorf("create temporary file for report %s: %w", path, err)
	}
	totals, err := writeAndSync(ctx, tmp, f, d)
	if err != nil {
		os.Remove(tmp.Name())
		return totals, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return totals, fmt.Errorf("rename report to %s: %w", path, err)
	}
	return totals, syncDir(dir)
}

// writeAndSync writes the report into tmp with mode 0600, flushes it to
// disk and closes tmp.
func writeAndSync(ctx context.Context, tmp *os.File, f Format, d Document) (Totals, error) {
	buf := bufio.NewWriterSize(tmp, 1<<16)
	totals, err := Write(ctx, buf, f, d)
	if err == nil {
		err = buf.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return totals, fmt.Errorf("write report %s: %w", tmp.Name(), err)
	}
	return totals, nil
}

// syncDir flushes the folder entry of a renamed file to disk, so the new
// name survives a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open report folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync report folder %s: %w", dir, err)
	}
	return nil
}
