package invoice

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile renders d and writes it to path atomically: to a temporary file
// in the same folder, synced to disk, then renamed over path. It creates
// the folder with mode 0700 when missing and leaves the file with mode
// 0600. When rendering fails, no file is created.
func WriteFile(path string, d Document) error {
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		return err
	}

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create invoice folder %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file for invoice %s: %w", d.Number, err)
	}
	if err := writeAndSync(tmp, buf.Bytes()); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write invoice %s to %s: %w", d.Number, tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("rename invoice %s to %s: %w", d.Number, path, err)
	}
	return syncDir(dir)
}

// writeAndSync writes data to f with mode 0600, flushes it to disk and
// closes f.
func writeAndSync(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// syncDir flushes the folder entry of a renamed file to disk, so the new
// name survives a power cut.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open invoice folder %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync invoice folder %s: %w", dir, err)
	}
	return nil
}
