package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestCustomerQueriesAvoidOfficeWideIndexes checks the query plans of
// lookups made once per customer, which run thousands of times in a row
// when reminders are queued or customers exported. An index that holds
// every open period of the office, or a scan of a whole table, makes each
// of them as slow as the office is large.
func TestCustomerQueriesAvoidOfficeWideIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	queries := map[string]string{
		"open periods of a customer": `SELECT ` + periodColumns + ` FROM periods p
			JOIN connections c ON c.id = p.connection_id WHERE ` + customerOpenPeriods,
		"amount due of a customer": `SELECT SUM(p.amount - p.paid) FROM periods p
			JOIN connections c ON c.id = p.connection_id WHERE ` + customerOpenPeriods,
		"open periods of a connection": `SELECT ` + periodColumns + ` FROM periods p
			JOIN connections c ON c.id = p.connection_id WHERE p.connection_id = ? AND p.state IN ('due', 'partial')`,
		"periods of a customer's year": `SELECT ` + periodColumns + ` FROM periods p
			JOIN connections c ON c.id = p.connection_id WHERE c.customer_crf = ? AND p.year = ?`,
	}
	for name, query := range queries {
		rows, err := s.ro.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, 1001, 2026)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "; ")
		if strings.Contains(text, "periods_state_start") || strings.Contains(text, "SCAN p") ||
			strings.Contains(text, "SCAN c") {
			t.Errorf("%s walks the whole office: %s", name, text)
		}
	}
}
