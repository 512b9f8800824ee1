package importer

import (
	"bytes"
	"testing"
)

// FuzzReadCSV feeds arbitrary bytes to the CSV reader and the row parser.
// Neither may panic, and every row read must carry a data row number.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Name,Mobile\nAsha,9876543210\n"))
	f.Add([]byte("\uFEFFName;Mobile;Cable plan;Cable since\nRaj;'+91 98765;Basic;31/02/2024\n"))
	f.Add([]byte("CRF,Name\n\"1001\n2\",x\n"))
	f.Add([]byte("a\"b,c\n"))
	f.Add([]byte("Name\n\xff\xfe\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range tbl.Rows {
			if r.Number < 2 {
				t.Fatalf("data row numbered %d", r.Number)
			}
		}
		m := ProposeMapping(tbl.Headers)
		if m.Check(tbl.Headers) != nil {
			return
		}
		records, _ := Parse(tbl, m, ParseOptions{Today: today})
		if len(records) != len(tbl.Rows) {
			t.Fatalf("%d records for %d rows", len(records), len(tbl.Rows))
		}
	})
}
