package service

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// Length bounds of the complaint texts, in characters.
const (
	minComplaintDescription = 10
	maxComplaintDescription = 2000
	maxResolutionNote       = 2000
)

// ComplaintInput is a complaint as typed in the complaint form.
type ComplaintInput struct {
	CRF         int64
	Service     billing.Service
	Category    store.ComplaintCategory
	Description string
}

// RaiseComplaint records a complaint with the next number of the local
// year and queues the "complaint received" email when the customer has an
// email address. A customer raises complaints for themself, and an admin
// may raise one for any customer, such as after a phone call. The service must
// be one of the customer's connections.
func (s *Service) RaiseComplaint(ctx context.Context, sess Session, in ComplaintInput) (store.ComplaintResult, error) {
	if err := requireCustomer(sess, in.CRF); err != nil {
		return store.ComplaintResult{}, err
	}
	in, err := checkComplaintInput(in)
	if err != nil {
		return store.ComplaintResult{}, err
	}
	compose, err := s.complaintEmail(ctx, mailer.KindComplaintReceived)
	if err != nil {
		return store.ComplaintResult{}, err
	}

	now := s.clock.Now()
	res, err := s.store.CreateComplaint(ctx, store.CreateComplaintParams{CRF: in.CRF, Service: in.Service,
		Category: in.Category, Description: in.Description, Now: now, Year: now.In(s.loc).Year(),
		Actor: sess.Username, Email: compose})
	if err != nil {
		return store.ComplaintResult{}, complaintFieldError(err, in)
	}
	s.log.Info("complaint raised", "complaint", res.Complaint.Number, "crf", in.CRF,
		"actor", sess.Username, "email_queued", res.EmailQueued)
	return res, nil
}

// checkComplaintInput checks the typed fields and returns them with the
// description trimmed.
func checkComplaintInput(in ComplaintInput) (ComplaintInput, error) {
	var v validator
	if in.CRF <= 0 {
		v.add("crf", message.New("CRF number is required, such as 1001."))
	}
	if _, err := billing.ParseService(string(in.Service)); err != nil {
		v.add("service", message.New("Choose a service: Cable TV or Broadband."))
	}
	if !slices.Contains(store.ComplaintCategories, in.Category) {
		v.add("category", message.New("Choose a category, such as No signal or Billing."))
	}

	in.Description = strings.TrimSpace(in.Description)
	switch n := len([]rune(in.Description)); {
	case n == 0:
		v.add("description", message.New("Description is required: say what is wrong."))
	case n < minComplaintDescription:
		v.add("description", message.New("Description is too short: describe the problem in at least {{.Min}} "+
			"characters.", "Min", minComplaintDescription))
	default:
		v.maxLen("description", message.NewID("complaint.description", "Description"), in.Description, maxComplaintDescription)
	}
	v.noControl("description", message.NewID("complaint.description", "Description"), in.Description)
	return in, v.err()
}

// complaintFieldError turns the store's checks of the customer and the
// service into the error of that form field. Other errors pass unchanged.
func complaintFieldError(err error, in ComplaintInput) error {
	var form formErrors
	switch {
	case errors.Is(err, store.ErrServiceNotConnected):
		form.add("service", message.New("CRF {{.CRF}} has no {{.Service}} connection; choose a connected service.",
			"CRF", in.CRF, "Service", store.ServiceText(in.Service)), err)
	case errors.Is(err, store.ErrNotFound):
		form.add("crf", message.New("No customer has CRF {{.CRF}}; check the number.", "CRF", in.CRF), err)
	default:
		return err
	}
	return form.err()
}

// CustomerComplaints returns a customer's complaints, newest first: any
// customer's for an admin, only their own for a customer.
func (s *Service) CustomerComplaints(ctx context.Context, sess Session, crf int64) ([]store.Complaint, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return nil, err
	}
	return s.store.ComplaintsOfCustomer(ctx, crf)
}

// Complaint returns one complaint: any complaint to an admin, only their
// own to a customer. An admin opening a complaint marks it read.
func (s *Service) Complaint(ctx context.Context, sess Session, id int64) (store.Complaint, error) {
	c, err := s.store.Complaint(ctx, id)
	if err != nil {
		return store.Complaint{}, err
	}
	if err := requireCustomer(sess, c.CustomerCRF); err != nil {
		return store.Complaint{}, err
	}
	if !sess.IsAdmin() || !c.Unread() {
		return c, nil
	}
	return s.store.MarkComplaintRead(ctx, id, s.clock.Now(), sess.Username)
}

// ComplaintFilter narrows the admin's complaint list. Zero fields match
// every complaint.
type ComplaintFilter struct {
	Statuses []store.ComplaintStatus // empty for every status
	Service  billing.Service
	Category store.ComplaintCategory
	// OlderThanDays keeps complaints raised more than this many local
	// calendar days ago; zero keeps every age.
	OlderThanDays int
}

// ComplaintItem is one line of the admin's complaint list.
type ComplaintItem struct {
	store.ComplaintRow
	// AgeDays is the number of local calendar days since the complaint was
	// raised: 0 on the day itself.
	AgeDays int
}

// ListComplaints returns the complaints that match f: unresolved ones
// first, oldest first, then resolved ones, most recently resolved first.
// Admin only.
func (s *Service) ListComplaints(ctx context.Context, sess Session, f ComplaintFilter) ([]ComplaintItem, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	if f.OlderThanDays < 0 {
		return nil, message.NewError("the age {{.Days}} days is negative; use 0 for every age", "Days", f.OlderThanDays)
	}
	today := s.Today()
	q := store.ComplaintQuery{Statuses: f.Statuses, Service: f.Service, Category: f.Category}
	if f.OlderThanDays > 0 {
		// Older than N days means raised before the start of the local
		// day N days ago.
		q.CreatedBefore = today.AddDays(-f.OlderThanDays).Time(s.loc)
	}
	rows, err := s.store.ListComplaints(ctx, q)
	if err != nil {
		return nil, err
	}

	items := make([]ComplaintItem, len(rows))
	for i, r := range rows {
		raised := billing.DateOf(r.CreatedAt.In(s.loc))
		items[i] = ComplaintItem{ComplaintRow: r, AgeDays: raised.DaysUntil(today)}
	}
	return items, nil
}

// MarkComplaintInProgress records that the office is working on a
// complaint. A complaint already in progress stays as it is; a resolved one
// is rejected. Admin only.
func (s *Service) MarkComplaintInProgress(ctx context.Context, sess Session, id int64) (store.Complaint, error) {
	if err := requireAdmin(sess); err != nil {
		return store.Complaint{}, err
	}
	c, err := s.store.MarkComplaintInProgress(ctx, id, s.clock.Now(), sess.Username)
	if err != nil {
		return store.Complaint{}, err
	}
	s.log.Info("complaint in progress", "complaint", c.Number, "crf", c.CustomerCRF, "actor", sess.Username)
	return c, nil
}

// ResolveComplaint resolves a complaint with a note saying what was done,
// and queues the "complaint resolved" email with the note when the
// customer has an email address. A resolved complaint is rejected with an
// error that wraps store.ErrComplaintResolved. Admin only.
func (s *Service) ResolveComplaint(ctx context.Context, sess Session, id int64, note string) (store.ComplaintResult, error) {
	if err := requireAdmin(sess); err != nil {
		return store.ComplaintResult{}, err
	}
	note = strings.TrimSpace(note)
	var v validator
	v.required("note", message.New("Resolution note"), note)
	v.maxLen("note", message.New("Resolution note"), note, maxResolutionNote)
	v.noControl("note", message.New("Resolution note"), note)
	if err := v.err(); err != nil {
		return store.ComplaintResult{}, err
	}
	compose, err := s.complaintEmail(ctx, mailer.KindComplaintResolved)
	if err != nil {
		return store.ComplaintResult{}, err
	}

	res, err := s.store.ResolveComplaint(ctx, store.ResolveComplaintParams{ID: id, Note: note,
		Now: s.clock.Now(), Actor: sess.Username, Email: compose})
	if err != nil {
		return store.ComplaintResult{}, err
	}
	s.log.Info("complaint resolved", "complaint", res.Complaint.Number, "crf", res.Complaint.CustomerCRF,
		"actor", sess.Username, "email_queued", res.EmailQueued)
	return res, nil
}

// ComplaintCounts returns the unresolved and unread complaint counts, for
// the badge of the complaints screen. Admin only.
func (s *Service) ComplaintCounts(ctx context.Context, sess Session) (store.ComplaintCounts, error) {
	if err := requireAdmin(sess); err != nil {
		return store.ComplaintCounts{}, err
	}
	return s.store.ComplaintCounts(ctx)
}

// complaintEmail returns a function that renders a complaint email of kind
// once the store has assigned the complaint's number. The settings and the
// admin's template are read before the transaction starts. When the edited
// template fails to render, the built-in default is used, so a broken
// template does not block the complaint.
func (s *Service) complaintEmail(ctx context.Context, kind mailer.Kind) (store.ComplaintEmail, error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.template(ctx, kind)
	if err != nil {
		return nil, err
	}
	lang := s.Language(ctx)
	return func(d store.ComplaintDetails) (store.OutboxMessage, error) {
		c := d.Complaint
		data := mailer.ComplaintData{Business: business(st), CustomerName: d.Customer.Name,
			CRF: d.Customer.CRF, Number: c.Number, Service: serviceName(c.Service, lang),
			Category: categoryName(c.Category, lang), Description: c.Description,
			Status: complaintStatusName(c.Status, lang), ResolutionNote: c.ResolutionNote}
		m, err := renderEmail(t, kind, d.Customer.Email, d.Customer.Name, data)
		if err == nil {
			return m, nil
		}
		s.log.Warn("complaint email template failed; using the default", "kind", kind,
			"complaint", c.Number, "err", err)
		return renderEmail(mailer.DefaultTemplateFor(kind, lang), kind, d.Customer.Email, d.Customer.Name, data)
	}, nil
}
