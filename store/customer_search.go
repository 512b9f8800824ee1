package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
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

// customerMatch is a search text turned into SQL. Text matches a substring
// of the folded name or of the mobile, and digits also match a CRF prefix,
// as ranges of the primary key: "43" is 43, 430–439, 4300–4399 and so on.
// Wildcard characters such as % and _ match themselves either way.
//
// Text of three characters or more is looked up: hits is a WITH clause
// that names the matching CRF numbers, from the trigram index and the CRF
// ranges, so a search reads only the customers it finds. Shorter text
// cannot use the index: text is the test of each customer with instr(),
// and ranges the CRF prefix, kept apart so that a count can add the two
// without sorting the matches.
type customerMatch struct {
	archived   []any
	hits       string
	hitsArgs   []any
	text       string
	textArgs   []any
	ranges     string
	rangesArgs []any
}

func matchCustomers(q CustomerQuery) customerMatch {
	m := customerMatch{archived: []any{q.IncludeArchived}}
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return m
	}
	key := SearchKey(text)
	var ranges []string
	if prefix, err := strconv.ParseInt(text, 10, 64); err == nil && text[0] >= '1' && text[0] <= '9' &&
		prefix <= maxCRF {
		for low, high := prefix, prefix; low <= maxCRF; low, high = low*10, high*10+9 {
			ranges = append(ranges, `crf BETWEEN ? AND ?`)
			m.rangesArgs = append(m.rangesArgs, low, high)
		}
	}
	// FTS5 reads a query only up to a NUL, so text with a control
	// character, which no name or mobile holds, is tested by instr().
	if utf8.RuneCountInString(key) >= trigramMin && utf8.RuneCountInString(text) >= trigramMin &&
		!strings.ContainsFunc(text, unicode.IsControl) {
		parts := []string{`SELECT rowid FROM customer_search WHERE customer_search MATCH ?`}
		m.hitsArgs = []any{"search_key : " + ftsPhrase(key) + " OR mobile : " + ftsPhrase(text)}
		for _, r := range ranges {
			parts = append(parts, `SELECT crf FROM customers WHERE `+r)
		}
		m.hits = `WITH hits (crf) AS (` + strings.Join(parts, " UNION ") + `) `
		m.hitsArgs = append(m.hitsArgs, m.rangesArgs...)
		m.rangesArgs = nil
		return m
	}
	m.text = `(instr(search_key, ?) > 0 OR instr(mobile, ?) > 0)`
	m.textArgs = []any{key, text}
	if len(ranges) > 0 {
		m.ranges = `(` + strings.Join(ranges, " OR ") + `)`
	}
	return m
}

// filter returns the WHERE clause that selects the matching customers of
// a page, with its arguments after those of hits.
func (m customerMatch) filter() (string, []any) {
	where := `(? OR archived_at IS NULL)`
	args := append(append([]any{}, m.hitsArgs...), m.archived...)
	switch {
	case m.hits != "":
		where += ` AND crf IN hits`
	case m.text != "" && m.ranges != "":
		where += ` AND (` + m.text + ` OR ` + m.ranges + `)`
		args = append(append(args, m.textArgs...), m.rangesArgs...)
	case m.text != "":
		where += ` AND ` + m.text
		args = append(args, m.textArgs...)
	}
	return where, args
}

// count returns a query for the number of matching customers. A list of
// hits is counted and its archived customers, found through their own
// small index, taken away, rather than reading every customer it names.
// Short text counts the customers whose text matches, then adds those of
// the CRF ranges whose text does not.
func (m customerMatch) count() (string, []any) {
	if m.hits != "" {
		return m.hits + `SELECT (SELECT COUNT(*) FROM hits) - CASE WHEN ? THEN 0 ELSE
			(SELECT COUNT(*) FROM customers WHERE archived_at IS NOT NULL AND +crf IN hits) END`,
			append(append([]any{}, m.hitsArgs...), m.archived...)
	}
	if m.ranges == "" {
		where, args := m.filter()
		return `SELECT COUNT(*) FROM customers WHERE ` + where, args
	}
	args := append(append(append([]any{}, m.archived...), m.textArgs...), m.archived...)
	args = append(append(args, m.rangesArgs...), m.textArgs...)
	return `SELECT (SELECT COUNT(*) FROM customers WHERE (? OR archived_at IS NULL) AND ` + m.text + `)
		+ (SELECT COUNT(*) FROM customers WHERE (? OR archived_at IS NULL) AND ` + m.ranges + `
			AND NOT ` + m.text + `)`, args
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
	m := matchCustomers(q)
	where, args := m.filter()
	rows, err := s.ro.QueryContext(ctx, m.hits+`SELECT crf, name, mobile, street, city, archived_at IS NOT NULL
		FROM customers WHERE `+where+` ORDER BY crf LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
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
	query, args := matchCustomers(q).count()
	var n int
	if err := s.ro.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count customers %q: %w", q.Text, err)
	}
	return n, nil
}
