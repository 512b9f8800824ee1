package invoice

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile renders d and writes it to path atomically: to a temporary file
// in the same folder, then renamed over path. It creates the folder with
// mode 0700 when missing and leaves the file with mode 0600. When rendering
// fails, no file is created.
//
// The file is not synced to disk, because the invoice is in the database
// and a payment waits only for that. A file cut short by a power cut fails
// Complete, so it is drawn again from the database. Waiting for the disk
// here would also wait for every other file the system has yet to write.
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
	_, err = tmp.Write(buf.Bytes())
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write invoice %s to %s: %w", d.Number, tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("rename invoice %s to %s: %w", d.Number, path, err)
	}
	return nil
}

// pdfEnd is the marker that ends every PDF file Write makes.
const pdfEnd = "%%EOF"

// Complete reports whether path is a regular file that ends like a whole
// PDF: a file lost or cut short by a power cut is not.
func Complete(path string) bool {
	if path == "" {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() < int64(len(pdfEnd)) {
		return false
	}
	tail := make([]byte, min(info.Size(), 32))
	if _, err := f.ReadAt(tail, info.Size()-int64(len(tail))); err != nil {
		return false
	}
	return bytes.Contains(tail, []byte(pdfEnd))
}
