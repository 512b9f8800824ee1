package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// checkSearch compares SearchCustomers and CountCustomers with
// searchReference for every text, with and without archived customers.
func checkSearch(t *testing.T, s *Store, texts []string) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.ro.QueryContext(ctx, `SELECT crf FROM customers ORDER BY crf`)
	if err != nil {
		t.Fatal(err)
	}
	var all []Customer
	var crfs []int64
	for rows.Next() {
		var crf int64
		if err := rows.Scan(&crf); err != nil {
			t.Fatal(err)
		}
		crfs = append(crfs, crf)
	}
	rows.Close()
	for _, crf := range crfs {
		c, err := s.Customer(ctx, crf)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	for _, text := range texts {
		for _, archived := range []bool{false, true} {
			q := CustomerQuery{Text: text, IncludeArchived: archived, Limit: 1000}
			got, err := s.SearchCustomers(ctx, q)
			if err != nil {
				t.Errorf("search %q: %v", text, err)
				continue
			}
			var gotCRFs []int64
			for _, r := range got {
				gotCRFs = append(gotCRFs, r.CRF)
			}
			want := searchReference(all, q)
			if !slices.Equal(gotCRFs, want) {
				t.Errorf("search %q (archived %v) = %v, want %v", text, archived, gotCRFs, want)
			}
			n, err := s.CountCustomers(ctx, q)
			if err != nil {
				t.Errorf("count %q: %v", text, err)
			} else if n != len(want) {
				t.Errorf("count %q (archived %v) = %d, want %d", text, archived, n, len(want))
			}
		}
	}
}

func newSearchStore(t *testing.T, names []string) (*Store, []int64) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	var crfs []int64
	for i, name := range names {
		p := CreateCustomerParams{Customer: CustomerParams{Name: name, Mobile: fmt.Sprintf("98%08d", i*7919)},
			PasswordHash: "x", Actor: "admin", Now: now}
		crf, err := s.CreateCustomer(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		crfs = append(crfs, crf)
	}
	return s, crfs
}

func TestSearchOperatorText(t *testing.T) {
	names := []string{`NEAR(abc def)`, `^abc`, `abc*`, `(abc)`, `search_key:abc`, `mobile : 98`, `a"b"c`,
		`"""`, `x AND y`, `a OR b`, `NOT abc`, `{search_key}: abc`, `abc + def`, `-abc`, `Straße`, `İstanbul`,
		`ǅemal`, `ﬁne`, `ΣΟΦΟΣ`, `Kelvin K`, `ſtar`}
	s, _ := newSearchStore(t, names)
	texts := []string{`NEAR(`, `near(abc`, `^ab`, `^abc`, `abc*`, `c*`, `(abc)`, `(ab`, `key:ab`, `e : 9`,
		`a"b`, `"b"`, `"""`, `""`, `"`, `x AND`, `OR b`, `NOT`, `{search_key}`, `}: a`, `+ d`, `-ab`,
		`strasse`, `STRASSE`, `straß`, `ss`, `istanbul`, `İst`, `dže`, `ǅem`, `fine`, `ﬁn`, `σοφος`, `ΣΟΦ`,
		`οφος`, `kelvin k`, `n k`, `star`, `ſta`}
	checkSearch(t, s, texts)
}

// A NUL character ends an FTS5 query string early, so text of three or
// more characters that contains one must not reach MATCH as it is.
func TestSearchTextWithNUL(t *testing.T) {
	s, _ := newSearchStore(t, []string{"Asha Rao", "Ravi Kumar"})
	checkSearch(t, s, []string{"a\x00b", "rao\x00", "\x00kum"})
}

func TestSearchIndexFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	s, crfs := newSearchStore(t, []string{"Asha Rao", "Ravi Kumar", "Émile Zola", "Peña Ñandú", "Rao Sharma"})
	now := time.Date(2026, time.December, 5, 10, 0, 0, 0, time.UTC)
	if err := s.UpdateContact(ctx, crfs[0], ContactParams{Mobile: "7000012345"}, "admin"); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateCustomer(ctx, crfs[1], CustomerParams{Name: "Ravindra Kumar", Mobile: "7000054321"},
		"admin"); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveCustomer(ctx, crfs[2], "admin", now, "2026-12-05"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM users WHERE customer_crf = ?`, crfs[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM customers WHERE crf = ?`, crfs[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO customer_search (customer_search) VALUES ('integrity-check')`); err != nil {
		t.Errorf("search index integrity check: %v", err)
	}
	checkSearch(t, s, []string{"7000012", "12345", "98000", "ravi", "ravindra", "emile", "zola", "peña", "nand",
		"rao", "kumar", "sha", "ra"})
}
