package report

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// pdfFile writes the objects of a PDF file in the order they are made and
// keeps only their byte offsets, so a file of any number of pages needs
// the memory of one object at a time. Objects that depend on the whole
// document, such as the page tree, get their id up front and are written
// at the end.
type pdfFile struct {
	out     *bufio.Writer
	offset  int64
	offsets []int64 // offsets[id-1] is where object id starts
	err     error

	// deflate and deflated compress one stream at a time, reused because
	// a zlib writer allocates hundreds of kilobytes.
	deflate  *zlib.Writer
	deflated bytes.Buffer
}

// pdfHeader starts the file. The comment of bytes above 127 marks the
// file as binary for transfer programs.
const pdfHeader = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

func newPDFFile(w io.Writer) *pdfFile {
	f := &pdfFile{out: bufio.NewWriterSize(w, 32<<10)}
	f.deflate = zlib.NewWriter(&f.deflated)
	io.WriteString(f, pdfHeader)
	return f
}

// Write writes p at the end of the file. After the first failure it
// writes nothing and keeps returning that error.
func (f *pdfFile) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.out.Write(p)
	f.offset += int64(n)
	if err != nil {
		f.err = fmt.Errorf("write PDF: %w", err)
	}
	return n, f.err
}

func (f *pdfFile) printf(format string, args ...any) {
	fmt.Fprintf(f, format, args...)
}

// reserve returns the id of an object to be written later.
func (f *pdfFile) reserve() int {
	f.offsets = append(f.offsets, 0)
	return len(f.offsets)
}

// writeObject writes object id with the body dict, such as "<< … >>".
func (f *pdfFile) writeObject(id int, dict string) {
	f.offsets[id-1] = f.offset
	f.printf("%d 0 obj\n%s\nendobj\n", id, dict)
}

// writeStream writes object id as a stream of data compressed with
// FlateDecode. dict holds the entries besides /Length and /Filter.
func (f *pdfFile) writeStream(id int, dict string, data []byte) {
	f.deflated.Reset()
	f.deflate.Reset(&f.deflated)
	f.deflate.Write(data)
	if err := f.deflate.Close(); err != nil && f.err == nil {
		f.err = fmt.Errorf("compress PDF stream: %w", err)
	}
	f.offsets[id-1] = f.offset
	f.printf("%d 0 obj\n<< /Length %d /Filter /FlateDecode %s>>\nstream\n", id, f.deflated.Len(), dict)
	f.Write(f.deflated.Bytes())
	io.WriteString(f, "\nendstream\nendobj\n")
}

// finish writes the cross-reference table and the trailer and flushes
// the file. Every reserved object must have been written.
func (f *pdfFile) finish(root, info int) error {
	for i, offset := range f.offsets {
		if offset == 0 && f.err == nil {
			return fmt.Errorf("write PDF: object %d was reserved but never written", i+1)
		}
	}
	start := f.offset
	f.printf("xref\n0 %d\n0000000000 65535 f \n", len(f.offsets)+1)
	for _, offset := range f.offsets {
		// Each entry is exactly 20 bytes, the end of line included.
		f.printf("%010d 00000 n \n", offset)
	}
	f.printf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(f.offsets)+1, root, info, start)
	if f.err != nil {
		return f.err
	}
	if err := f.out.Flush(); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// pdfTextString returns s as a PDF text string: a literal string when s is
// printable ASCII, else UTF-16BE with a byte order mark in hex, the form
// readers take for any other text.
func pdfTextString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		b := []byte{'('}
		for i := 0; i < len(s); i++ {
			if s[i] == '(' || s[i] == ')' || s[i] == '\\' {
				b = append(b, '\\')
			}
			b = append(b, s[i])
		}
		return string(append(b, ')'))
	}
	b := []byte("<FEFF")
	for _, unit := range utf16.Encode([]rune(s)) {
		b = appendHex16(b, unit)
	}
	return string(append(b, '>'))
}

// appendHex16 appends v as four upper case hex digits.
func appendHex16(b []byte, v uint16) []byte {
	const digits = "0123456789ABCDEF"
	return append(b, digits[v>>12], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf])
}

// appendNumber appends v with at most two decimals and no trailing zeros,
// which is finer than a printer dot at the sizes of a report.
func appendNumber(b []byte, v float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', 2, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if string(b[start:]) == "-0" {
		b = append(b[:start], '0')
	}
	return b
}
