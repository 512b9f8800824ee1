package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
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

// trigramMin is the shortest text the customer_search trigram index can
// find; shorter text is matched by reading every customer.
const trigramMin = 3

// maxCRF bounds the CRF ranges a digits-only search tries. CRF numbers are
// counted up from 1001, so twelve digits is far beyond any office.
const maxCRF = 999_999_999_999

// customerFilter returns the WHERE clause shared by SearchCustomers and
// CountCustomers, with its arguments. Text matches a substring of the
// folded name or of the mobile, through the trigram index when it is long
// enough and through instr() otherwise; either way % and _ match
// themselves. Digits also match a CRF prefix, as ranges of the primary
// key: "43" is 43, 430–439, 4300–4399 and so on.
func customerFilter(q CustomerQuery) (string, []any) {
	where := `WHERE (? OR archived_at IS NULL)`
	args := []any{q.IncludeArchived}
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return where, args
	}
	key := SearchKey(text)
	var terms, phrases []string
	if utf8.RuneCountInString(key) >= trigramMin {
		phrases = append(phrases, "search_key : "+ftsPhrase(key))
	} else {
		terms = append(terms, `instr(search_key, ?) > 0`)
		args = append(args, key)
	}
	if utf8.RuneCountInString(text) >= trigramMin {
		phrases = append(phrases, "mobile : "+ftsPhrase(text))
	} else {
		terms = append(terms, `instr(mobile, ?) > 0`)
		args = append(args, text)
	}
	if len(phrases) > 0 {
		terms = append(terms, `crf IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ?)`)
		args = append(args, strings.Join(phrases, " OR "))
	}
	if prefix, err := strconv.ParseInt(text, 10, 64); err == nil && text[0] >= '1' && text[0] <= '9' &&
		prefix <= maxCRF {
		for low, high := prefix, prefix; low <= maxCRF; low, high = low*10, high*10+9 {
			terms = append(terms, `crf BETWEEN ? AND ?`)
			args = append(args, low, high)
		}
	}
	return where + ` AND (` + strings.Join(terms, " OR ") + `)`, args
}

// ftsPhrase quotes s as one FTS5 phrase, in which every character but the
// double quote stands for itself.
func ftsPhrase(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// SearchCustomers returns one page of matching customers in CRF order.
func (s *Store) SearchCustomers(ctx context.Context, q CustomerQuery) ([]CustomerRow, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	where, args := customerFilter(q)
	rows, err := s.ro.QueryContext(ctx, `SELECT crf, name, mobile, street, city, archived_at IS NOT NULL
		FROM customers `+where+` ORDER BY crf LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
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
	where, args := customerFilter(q)
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers `+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count customers %q: %w", q.Text, err)
	}
	return n, nil
}
