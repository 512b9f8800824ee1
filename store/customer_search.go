package store

import (
	"context"
	"fmt"
	"strings"
)

// CustomerRow is one line of the customers table.
type CustomerRow struct {
	CRF      int64
	Name     string
	Mobile   string
	Area     string
	City     string
	Archived bool
}

// CustomerQuery selects customers for the customers table.
type CustomerQuery struct {
	// Text matches a CRF prefix, or a substring of the name (ignoring case
	// and accents in any script) or of the mobile number. Wildcard
	// characters such as % and _ match themselves.
	Text            string
	IncludeArchived bool
	Limit           int
	Offset          int
}

// customerFilter is the WHERE clause shared by SearchCustomers and
// CountCustomers. instr() matches literally, so no escaping is needed for
// the name and mobile; the CRF prefix is only tried when the text is digits.
const customerFilter = `WHERE (? OR archived_at IS NULL)
	AND (? = '' OR instr(search_key, ?) > 0 OR instr(mobile, ?) > 0
	     OR (? AND CAST(crf AS TEXT) LIKE ? ESCAPE '\'))`

func customerFilterArgs(q CustomerQuery) []any {
	text := strings.TrimSpace(q.Text)
	key := SearchKey(text)
	digits := text != "" && strings.Trim(text, "0123456789") == ""
	return []any{q.IncludeArchived, text, key, text, digits, escapeLike(text) + "%"}
}

// SearchCustomers returns one page of matching customers in CRF order.
func (s *Store) SearchCustomers(ctx context.Context, q CustomerQuery) ([]CustomerRow, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	args := append(customerFilterArgs(q), q.Limit, q.Offset)
	rows, err := s.ro.QueryContext(ctx, `SELECT crf, name, mobile, street, city, archived_at IS NOT NULL
		FROM customers `+customerFilter+` ORDER BY crf LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search customers %q: %w", q.Text, err)
	}
	defer rows.Close()
	var out []CustomerRow
	for rows.Next() {
		var r CustomerRow
		if err := rows.Scan(&r.CRF, &r.Name, &r.Mobile, &r.Area, &r.City, &r.Archived); err != nil {
			return nil, fmt.Errorf("search customers %q: %w", q.Text, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountCustomers returns how many customers match q, ignoring its page.
func (s *Store) CountCustomers(ctx context.Context, q CustomerQuery) (int, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers `+customerFilter,
		customerFilterArgs(q)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count customers %q: %w", q.Text, err)
	}
	return n, nil
}
