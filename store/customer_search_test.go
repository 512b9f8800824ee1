package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// searchReference is the meaning of CustomerQuery.Text written plainly: a
// substring of the folded name or of the mobile, or a CRF prefix for
// digits.
func searchReference(customers []Customer, q CustomerQuery) []int64 {
	text := strings.TrimSpace(q.Text)
	key := SearchKey(text)
	digits := text != "" && strings.Trim(text, "0123456789") == ""
	var out []int64
	for _, c := range customers {
		if !q.IncludeArchived && !c.ArchivedAt.IsZero() {
			continue
		}
		if text == "" || strings.Contains(SearchKey(c.Name), key) || strings.Contains(c.Mobile, text) ||
			(digits && strings.HasPrefix(strconv.FormatInt(c.CRF, 10), text)) {
			out = append(out, c.CRF)
		}
	}
	return out
}

// TestSearchMatchesReference compares the trigram index and CRF ranges with
// a plain scan over names in several scripts, quotes and wildcards, after
// inserts, edits and removals, for texts of every length.
func TestSearchMatchesReference(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 11))
	words := []string{"Asha", "Rao", "Émile", "ZOLA", "D'Souza", `Say "Hi"`, "100% Fibre", "Under_score",
		"Sharma", "Şahin", "Müller", "राम", "Kumar", "Peña", "Ñandú", "o'neil", "AND", "OR", "NOT", "*", ":"}
	var crfs []int64
	for i := range 120 {
		name := words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		mobile := fmt.Sprintf("9%09d", rng.IntN(1_000_000_000))
		p := CreateCustomerParams{Customer: CustomerParams{Name: name, Mobile: mobile}, PasswordHash: "x",
			Actor: "admin", Now: now}
		if i%10 == 0 {
			p.CRF = int64(43_000 + i) // kept numbers from an older system
		}
		crf, err := s.CreateCustomer(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		crfs = append(crfs, crf)
	}
	// Renames and new mobiles must leave the index in step.
	for _, crf := range crfs[:30] {
		params := CustomerParams{Name: words[rng.IntN(len(words))] + " Nuevo", Mobile: fmt.Sprintf("8%09d", crf)}
		if err := s.UpdateCustomer(ctx, crf, params, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE customers SET archived_at = ? WHERE crf IN (?, ?, ?)`,
		formatTime(now), crfs[31], crfs[32], crfs[33]); err != nil {
		t.Fatal(err)
	}

	var all []Customer
	for _, crf := range crfs {
		c, err := s.Customer(ctx, crf)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	texts := []string{"", "a", "ra", "rao", "RAO", "emile", "ÉMILE", "d'so", `"hi"`, `y "h`, "0% f", "%", "_",
		"r_s", "ñand", "NANDU", "राम", "रा", "and", "or", "not", "*", ":", "a o", "zzz", "43", "430", "4301",
		"1", "10", "100", "1005", "0", "01", "98", "8000", " sharma ", "+91"}
	for _, c := range all[:20] {
		r := []rune(SearchKey(c.Name))
		start := rng.IntN(len(r))
		texts = append(texts, string(r[start:min(len(r), start+1+rng.IntN(5))]), c.Mobile[3:8],
			strconv.FormatInt(c.CRF, 10)[:2])
	}
	for _, text := range texts {
		for _, archived := range []bool{false, true} {
			q := CustomerQuery{Text: text, IncludeArchived: archived, Limit: 1000}
			rows, err := s.SearchCustomers(ctx, q)
			if err != nil {
				t.Fatalf("search %q: %v", text, err)
			}
			var got []int64
			for _, r := range rows {
				got = append(got, r.CRF)
			}
			want := searchReference(all, q)
			if !slices.Equal(got, want) {
				t.Errorf("search %q (archived %v) = %v, want %v", text, archived, got, want)
			}
			n, err := s.CountCustomers(ctx, q)
			if err != nil || n != len(want) {
				t.Errorf("count %q (archived %v) = %d, %v; want %d", text, archived, n, err, len(want))
			}
		}
	}
}
