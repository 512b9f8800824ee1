package invoice

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileCreatesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "invoices", "2026")
	path := filepath.Join(dir, "INV-2026-000042.pdf")

	if err := WriteFile(path, sampleDocument()); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}

	folder, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("stat folder: %v", err)
	}
	if mode := folder.Mode().Perm(); mode != 0o700 {
		t.Errorf("folder mode = %o, want 700", mode)
	}
	file, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat file: %v", err)
	}
	if mode := file.Mode().Perm(); mode != 0o600 {
		t.Errorf("file mode = %o, want 600", mode)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Errorf("file starts with %q, want a PDF header", data[:min(8, len(data))])
	}
	assertOnlyFiles(t, dir, "INV-2026-000042.pdf")
}

func TestWriteFileReplacesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "invoice.pdf")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}

	if err := WriteFile(path, sampleDocument()); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}

	text := pdfText(t, mustRead(t, path))
	if !strings.Contains(text, "INV-2026-000042") {
		t.Errorf("replaced file lacks the invoice number; text:\n%s", text)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("file mode = %o, want 600", mode)
	}
	assertOnlyFiles(t, dir, "invoice.pdf")
}

func TestWriteFileMissingGlyphLeavesNoFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "invoices")
	path := filepath.Join(dir, "INV-2026-000042.pdf")
	d := sampleDocument()
	d.Customer.Name = "José 中 Muñoz"

	err := WriteFile(path, d)

	if !errors.Is(err, ErrMissingGlyph) {
		t.Fatalf("WriteFile error = %v, want ErrMissingGlyph", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stat %s after failure: %v, want not exist", path, err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stat folder after failure: %v, want not exist", err)
	}
}

func TestWriteFileMissingGlyphKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "invoice.pdf")
	if err := WriteFile(path, sampleDocument()); err != nil {
		t.Fatal(err)
	}
	before := mustRead(t, path)
	d := sampleDocument()
	d.Business.Footer = "Thank you 🚀"

	err := WriteFile(path, d)

	if !errors.Is(err, ErrMissingGlyph) {
		t.Fatalf("WriteFile error = %v, want ErrMissingGlyph", err)
	}
	if !bytes.Equal(mustRead(t, path), before) {
		t.Error("failed WriteFile changed the existing file")
	}
	assertOnlyFiles(t, dir, "invoice.pdf")
}

func TestWriteFileUnwritableFolder(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	err := WriteFile(filepath.Join(parent, "invoice.pdf"), sampleDocument())

	if err == nil {
		t.Fatal("WriteFile under a regular file succeeded, want an error")
	}
	if !strings.Contains(err.Error(), "create invoice folder "+parent) {
		t.Errorf("message %q does not name the folder that could not be created", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// assertOnlyFiles fails unless dir contains exactly the named entries, so
// no temporary file is left behind.
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("folder contains %q, want %q", got, names)
	}
	for i := range names {
		if got[i] != names[i] {
			t.Errorf("folder contains %q, want %q", got, names)
		}
	}
}

func TestCompleteRejectsCutFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "INV-2026-000042.pdf")
	if Complete(path) {
		t.Error("Complete of a missing file = true")
	}
	if Complete("") {
		t.Error(`Complete("") = true`)
	}

	if err := WriteFile(path, sampleDocument()); err != nil {
		t.Fatal(err)
	}
	if !Complete(path) {
		t.Error("Complete of a written invoice = false")
	}

	whole := mustRead(t, path)
	for _, size := range []int{0, 3, len(whole) / 2, len(whole) - 8} {
		cut := filepath.Join(dir, "cut.pdf")
		if err := os.WriteFile(cut, whole[:size], 0o600); err != nil {
			t.Fatal(err)
		}
		if Complete(cut) {
			t.Errorf("Complete of the first %d of %d bytes = true", size, len(whole))
		}
	}
	if Complete(dir) {
		t.Error("Complete of a folder = true")
	}

	// Blocks that never reached the disk read back as zeros.
	holed := append([]byte(nil), whole...)
	clear(holed[len(holed)/3 : len(holed)/3+holeSize])
	if err := os.WriteFile(filepath.Join(dir, "holed.pdf"), holed, 0o600); err != nil {
		t.Fatal(err)
	}
	if Complete(filepath.Join(dir, "holed.pdf")) {
		t.Error("Complete of a PDF with a block of zeros = true")
	}
}
