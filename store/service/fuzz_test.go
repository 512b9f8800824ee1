package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// fuzzOffice is a set-up service for fuzz targets, which cannot use newEnv
// because it needs a *testing.T.
type fuzzOffice struct {
	svc   *Service
	admin Session
	ctx   context.Context
}

func newFuzzOffice(tb testing.TB) *fuzzOffice {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, store.DatabaseFile))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	clock := &fakeClock{}
	clock.SetDate(billing.NewDate(2026, time.December, 4))
	svc := New(st, Options{DataDir: dir, Clock: clock, Location: testLocation, PasswordCost: 4,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	err = svc.Setup(ctx, SetupParams{Username: "admin", Password: testAdminPassword,
		ConfirmPassword: testAdminPassword, BusinessName: "Fuzz Cable"})
	if err != nil {
		tb.Fatal(err)
	}
	admin, err := svc.Login(ctx, "admin", testAdminPassword)
	if err != nil {
		tb.Fatal(err)
	}
	return &fuzzOffice{svc: svc, admin: admin, ctx: ctx}
}

// searchNames are customers whose names contain characters that SQL LIKE
// and case folding treat specially.
var searchNames = []string{"Anita 100% Rao", "Ravi_Kumar", "Émile Zola", "ÉMILE ZOLA", "ராஜா குமார்",
	`Back\slash Shah`, "O'Brien", "Ünal Çelik", "a%b_c", "Straße Meier"}

// matchesLiterally is the search rule written plainly: a CRF prefix when
// the text is digits, or a substring of the folded name or of the mobile.
func matchesLiterally(text string, crf int64, name, mobile string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return true
	}
	digits := strings.Trim(text, "0123456789") == ""
	return strings.Contains(store.SearchKey(name), store.SearchKey(text)) ||
		strings.Contains(mobile, text) ||
		(digits && strings.HasPrefix(strconv.FormatInt(crf, 10), text))
}

func FuzzSearchCustomers(f *testing.F) {
	o := newFuzzOffice(f)
	type customer struct {
		crf          int64
		name, mobile string
	}
	var customers []customer
	for i, name := range searchNames {
		mobile := fmt.Sprintf("98765%05d", i)
		nc, err := o.svc.CreateCustomer(o.ctx, o.admin, store.CustomerParams{Name: name, Mobile: mobile})
		if err != nil {
			f.Fatal(err)
		}
		customers = append(customers, customer{nc.CRF, name, mobile})
	}
	for _, seed := range []string{"", "%", "_", "\\", "100%", "i_K", "émile", "ZOLA", "ராஜா", "'", "1001", "98765",
		"%%", "a%b", "STRASSE", "' OR 1=1 --", "\x00", "\xff"} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, text string) {
		q := store.CustomerQuery{Text: text, IncludeArchived: true, Limit: 1000}
		rows, err := o.svc.SearchCustomers(o.ctx, o.admin, q)
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		count, err := o.svc.CountCustomers(o.ctx, o.admin, q)
		if err != nil {
			t.Fatalf("count %q: %v", text, err)
		}
		if count != len(rows) {
			t.Errorf("search %q: count %d, rows %d", text, count, len(rows))
		}
		found := map[int64]bool{}
		for _, r := range rows {
			found[r.CRF] = true
		}
		for _, c := range customers {
			want := matchesLiterally(text, c.crf, c.name, c.mobile)
			if found[c.crf] && !want {
				t.Errorf("search %q matched %q (CRF %d, mobile %s), which does not contain it", text, c.name, c.crf, c.mobile)
			}
			if !found[c.crf] && want {
				t.Errorf("search %q missed %q (CRF %d, mobile %s)", text, c.name, c.crf, c.mobile)
			}
		}
	})
}

// acceptableRejection reports whether err is a rejection of the input, as
// opposed to a failure: field errors or a duplicate mobile number.
func acceptableRejection(err error) bool {
	_, fields := AsFieldErrors(err)
	return fields || errors.Is(err, store.ErrDuplicateMobile)
}

func FuzzCreateCustomer(f *testing.F) {
	o := newFuzzOffice(f)
	f.Add("Anita Rao", "9876543210", "anita@example.com", "12 MG Road", "Pune", "411001", "1985-07-21", "VIP")
	f.Add("  José   Muñoz ", "+91 98765-43211", "", "", "", "", "", "")
	f.Add("", "123", "not-an-email", "\x00", "\t", "41 10 01", "2030-01-01", strings.Repeat("n", 2001))
	f.Add("Robert'); DROP TABLE customers;--", "98765 43212", "a@b.co", "%", "_", "a-b", "1900-02-29", "\xff")

	f.Fuzz(func(t *testing.T, name, mobile, email, house, city, postal, birth, notes string) {
		in := store.CustomerParams{Name: name, Mobile: mobile, Email: email, House: house, City: city,
			PostalCode: postal, DateOfBirth: birth, Notes: notes}
		nc, err := o.svc.CreateCustomer(o.ctx, o.admin, in)
		if err != nil {
			if !acceptableRejection(err) {
				t.Fatalf("create %+v: %v is not a rejection of the input", in, err)
			}
			return
		}
		got, err := o.svc.Customer(o.ctx, o.admin, nc.CRF)
		if err != nil {
			t.Fatal(err)
		}
		want := store.Customer{CRF: nc.CRF, Name: strings.Join(strings.Fields(name), " "),
			Mobile: strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(mobile)),
			Email:  strings.TrimSpace(email), House: strings.TrimSpace(house), City: strings.TrimSpace(city),
			PostalCode: strings.TrimSpace(postal), DateOfBirth: strings.TrimSpace(birth), Notes: strings.TrimSpace(notes),
			CreatedAt: got.CreatedAt}
		if got != want {
			t.Errorf("stored customer differs from the accepted input:\n got %+v\nwant %+v", got, want)
		}
		// Archiving frees the mobile number, so later inputs can reuse it.
		if err := o.svc.ArchiveCustomer(o.ctx, o.admin, nc.CRF); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzUpdateMyDetails(f *testing.F) {
	o := newFuzzOffice(f)
	nc, err := o.svc.CreateCustomer(o.ctx, o.admin, store.CustomerParams{Name: "Kavya Menon", Mobile: "9000000001",
		Notes: "Pays on the 5th", IDProofType: "Aadhaar", IDProofNumber: "1234"})
	if err != nil {
		f.Fatal(err)
	}
	sess, err := o.svc.Login(o.ctx, strconv.FormatInt(nc.CRF, 10), nc.InitialPassword)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("9000000001", "kavya@example.com", "Flat 4", "Baner Road", "Pune", "Maharashtra", "411045", "1990-01-31")
	f.Add(" 90000 00001 ", "", "", "", "", "", "", "")
	f.Add("+9190000000012345", "bad@", "\x07", "\n", "\xff", strings.Repeat("s", 201), "4110@5", "1990-02-30")

	f.Fuzz(func(t *testing.T, mobile, email, house, street, city, state, postal, birth string) {
		in := store.ContactParams{Mobile: mobile, Email: email, House: house, Street: street, City: city,
			State: state, PostalCode: postal, DateOfBirth: birth}
		err := o.svc.UpdateMyDetails(o.ctx, sess, nc.CRF, in)
		got, getErr := o.svc.Customer(o.ctx, sess, nc.CRF)
		if getErr != nil {
			t.Fatal(getErr)
		}
		if got.Name != "Kavya Menon" || got.Notes != "Pays on the 5th" || got.IDProofNumber != "1234" {
			t.Fatalf("fields a customer may not edit changed: %+v", got)
		}
		if err != nil {
			if !acceptableRejection(err) {
				t.Fatalf("update %+v: %v is not a rejection of the input", in, err)
			}
			return
		}
		want := store.ContactParams{Mobile: strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(mobile)),
			Email: strings.TrimSpace(email), House: strings.TrimSpace(house), Street: strings.TrimSpace(street),
			City: strings.TrimSpace(city), State: strings.TrimSpace(state), PostalCode: strings.TrimSpace(postal),
			DateOfBirth: strings.TrimSpace(birth)}
		stored := store.ContactParams{Mobile: got.Mobile, Email: got.Email, House: got.House, Street: got.Street,
			City: got.City, State: got.State, PostalCode: got.PostalCode, DateOfBirth: got.DateOfBirth}
		if stored != want {
			t.Errorf("stored details differ from the accepted input:\n got %+v\nwant %+v", stored, want)
		}
	})
}
