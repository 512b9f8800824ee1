package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// SearchCustomers returns one page of the customers table. Admin only.
func (s *Service) SearchCustomers(ctx context.Context, sess Session, q store.CustomerQuery) ([]store.CustomerRow, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	return s.store.SearchCustomers(ctx, q)
}

// CountCustomers returns how many customers match q. Admin only.
func (s *Service) CountCustomers(ctx context.Context, sess Session, q store.CustomerQuery) (int, error) {
	if err := requireAdmin(sess); err != nil {
		return 0, err
	}
	return s.store.CountCustomers(ctx, q)
}

// Customer returns one customer: any customer for an admin, only their own
// record for a customer.
func (s *Service) Customer(ctx context.Context, sess Session, crf int64) (store.Customer, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return store.Customer{}, err
	}
	return s.store.Customer(ctx, crf)
}

// NewCustomer is the result of adding a customer.
type NewCustomer struct {
	CRF int64
	// InitialPassword is shown to the admin once, to hand over with the
	// welcome slip; it is stored only as a hash.
	InitialPassword string
	// WelcomeQueued reports whether a welcome email was queued (the
	// customer has an email address).
	WelcomeQueued bool
}

// CreateCustomer adds a customer with a login whose random initial password
// must be changed at first login, and queues the welcome email with the
// credentials in the same transaction. Admin only.
func (s *Service) CreateCustomer(ctx context.Context, sess Session, p store.CustomerParams) (NewCustomer, error) {
	if err := requireAdmin(sess); err != nil {
		return NewCustomer{}, err
	}
	p, err := s.validateCustomer(p)
	if err != nil {
		return NewCustomer{}, err
	}
	password, err := randomPassword(10)
	if err != nil {
		return NewCustomer{}, err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return NewCustomer{}, err
	}
	create := store.CreateCustomerParams{Customer: p, PasswordHash: hash, MustChangePassword: true,
		Actor: sess.Username, Now: s.clock.Now()}
	if p.Email != "" {
		compose, err := s.welcomeEmail(ctx, p, password)
		if err != nil {
			return NewCustomer{}, err
		}
		create.Welcome = compose
	}
	crf, err := s.store.CreateCustomer(ctx, create)
	if err != nil {
		return NewCustomer{}, mobileFieldError(err, true)
	}
	s.log.Info("customer created", "crf", crf, "welcome_queued", create.Welcome != nil)
	return NewCustomer{CRF: crf, InitialPassword: password, WelcomeQueued: create.Welcome != nil}, nil
}

// welcomeEmail returns a function that renders the welcome email once the
// store has assigned the CRF number, which is also the username. Settings
// and the template are read before the transaction starts.
func (s *Service) welcomeEmail(ctx context.Context, p store.CustomerParams, password string) (func(int64) (store.OutboxMessage, error), error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.template(ctx, mailer.KindWelcome)
	if err != nil {
		return nil, err
	}
	builtIn := mailer.DefaultTemplateFor(mailer.KindWelcome, s.Language(ctx))
	return func(crf int64) (store.OutboxMessage, error) {
		data := mailer.WelcomeData{Business: business(st), CustomerName: p.Name, CRF: crf,
			Username: strconv.FormatInt(crf, 10), Password: password}
		return s.renderOrDefault(t, builtIn, mailer.KindWelcome, p.Email, p.Name, data)
	}, nil
}

// UpdateCustomer changes every editable field of a customer. Admin only.
func (s *Service) UpdateCustomer(ctx context.Context, sess Session, crf int64, p store.CustomerParams) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	p, err := s.validateCustomer(p)
	if err != nil {
		return err
	}
	return mobileFieldError(s.store.UpdateCustomer(ctx, crf, p, sess.Username), true)
}

// UpdateMyDetails changes the fields a customer may edit about themself:
// mobile, email, address and date of birth. Any other field stays as it
// is, whatever the caller sends.
func (s *Service) UpdateMyDetails(ctx context.Context, sess Session, crf int64, p store.ContactParams) error {
	if err := requireCustomer(sess, crf); err != nil {
		return err
	}
	var v validator
	p.Mobile = v.mobile("mobile", p.Mobile)
	p.Email = v.email("email", p.Email, false)
	p.PostalCode = v.postalCode("postal_code", p.PostalCode)
	p.DateOfBirth = v.date("date_of_birth", message.New("Date of birth"), p.DateOfBirth, s.Today())
	for field, value := range map[string]string{"house": p.House, "street": p.Street, "city": p.City, "state": p.State} {
		v.maxLen(field, message.New("Address"), value, 200)
		v.noControl(field, message.New("Address"), value)
	}
	if err := v.err(); err != nil {
		return err
	}
	return mobileFieldError(s.store.UpdateContact(ctx, crf, trimContact(p), sess.Username), sess.IsAdmin())
}

// mobileFieldError turns a duplicate mobile number into an error under the
// mobile field. Only an admin learns which CRF number has the number. A
// customer gets a message to ask at the office, so the kiosk reveals no
// account.
func mobileFieldError(err error, admin bool) error {
	if !errors.Is(err, store.ErrDuplicateMobile) {
		return err
	}
	text := message.New("This mobile number belongs to another account; please ask at the office.")
	if admin {
		text = personText(err, message.Text{})
	}
	return FieldErrors{newFieldError("mobile", text)}
}

func trimContact(p store.ContactParams) store.ContactParams {
	p.House = strings.TrimSpace(p.House)
	p.Street = strings.TrimSpace(p.Street)
	p.City = strings.TrimSpace(p.City)
	p.State = strings.TrimSpace(p.State)
	return p
}

func (s *Service) validateCustomer(p store.CustomerParams) (store.CustomerParams, error) {
	var v validator
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	v.required("name", message.New("Name"), p.Name)
	v.maxLen("name", message.New("Name"), p.Name, 120)
	v.noControl("name", message.New("Name"), p.Name)
	p.Mobile = v.mobile("mobile", p.Mobile)
	p.Email = v.email("email", p.Email, false)
	p.PostalCode = v.postalCode("postal_code", p.PostalCode)
	p.DateOfBirth = v.date("date_of_birth", message.New("Date of birth"), p.DateOfBirth, s.Today())
	for field, value := range map[string]string{"house": p.House, "street": p.Street, "city": p.City,
		"state": p.State, "id_proof_number": p.IDProofNumber} {
		v.maxLen(field, message.New("This field"), value, 200)
		v.noControl(field, message.New("This field"), value)
	}
	v.maxLen("notes", message.New("Notes"), p.Notes, 2000)
	if err := v.err(); err != nil {
		return p, err
	}
	p.House = strings.TrimSpace(p.House)
	p.Street = strings.TrimSpace(p.Street)
	p.City = strings.TrimSpace(p.City)
	p.State = strings.TrimSpace(p.State)
	p.IDProofType = strings.TrimSpace(p.IDProofType)
	p.IDProofNumber = strings.TrimSpace(p.IDProofNumber)
	p.Notes = strings.TrimSpace(p.Notes)
	return p, nil
}

// ArchiveCustomer removes a customer: history and invoices stay, the login
// is disabled. Refused while anything is due. Admin only.
func (s *Service) ArchiveCustomer(ctx context.Context, sess Session, crf int64) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	err := s.store.ArchiveCustomer(ctx, crf, sess.Username, s.clock.Now(), s.Today().String())
	if err == nil {
		s.log.Info("customer archived", "crf", crf)
	}
	return err
}
