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

// The markers that start and end every PDF file Write makes.
const (
	pdfStart = "%PDF-"
	pdfEnd   = "%%EOF"
)

// holeSize is the length of a run of zero bytes that Complete takes for
// a part of the file never written: compressed PDF content does not hold
// one.
const holeSize = 4096

// Complete reports whether path is a regular file that looks like a whole
// PDF: it starts and ends with the PDF markers and has no run of holeSize
// zero bytes where a power cut left blocks unwritten. A file lost or cut
// short is not complete.
func Complete(path string) bool {
	if path == "" {
		return false
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte(pdfStart)) {
		return false
	}
	if !bytes.Contains(data[max(0, len(data)-32):], []byte(pdfEnd)) {
		return false
	}
	return !bytes.Contains(data, make([]byte, holeSize))
}
