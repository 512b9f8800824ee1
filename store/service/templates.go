package service

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// EmailTemplateView is one kind of email as the template editor lists it.
type EmailTemplateView struct {
	Kind  mailer.Kind
	Label string
	// Template is the admin's edited version, or the built-in default.
	Template mailer.Template
	// Edited reports whether the admin has changed the default.
	Edited    bool
	UpdatedAt time.Time // zero for a default
}

// EmailTemplates returns every kind of email with the template in use, in
// the order of mailer.Kinds. Admin only.
func (s *Service) EmailTemplates(ctx context.Context, sess Session) ([]EmailTemplateView, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	kinds := mailer.Kinds()
	lang := s.Language(ctx)
	out := make([]EmailTemplateView, 0, len(kinds))
	for _, k := range kinds {
		view := EmailTemplateView{Kind: k, Label: k.Label(), Template: mailer.DefaultTemplateFor(k, lang)}
		t, err := s.store.EmailTemplate(ctx, string(k))
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			view.Template = mailer.Template{Subject: t.Subject, Text: t.Text, HTML: t.HTML}
			view.Edited = true
			view.UpdatedAt = t.UpdatedAt
		}
		out = append(out, view)
	}
	return out, nil
}

// SaveEmailTemplate stores an edited template of kind k. A template that
// mailer.Validate rejects is not saved, and the error names the part, the
// line and the reason. Admin only.
func (s *Service) SaveEmailTemplate(ctx context.Context, sess Session, k mailer.Kind, t mailer.Template) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	if err := checkKind(k); err != nil {
		return err
	}
	if err := mailer.Validate(k, t); err != nil {
		return message.WithCause(err, "the {{.Template}} template was not saved:\n{{.Reason}}",
			"Template", mailKindText(k), "Reason", err)
	}
	err := s.store.SaveEmailTemplate(ctx, store.EmailTemplate{Kind: string(k), Subject: t.Subject,
		Text: t.Text, HTML: t.HTML}, sess.Username, s.clock.Now())
	if err != nil {
		return err
	}
	s.log.Info("email template saved", "kind", k, "user_id", sess.UserID)
	return nil
}

// ResetEmailTemplate drops the edited template of kind k, so the built-in
// default applies again. Admin only.
func (s *Service) ResetEmailTemplate(ctx context.Context, sess Session, k mailer.Kind) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	if err := checkKind(k); err != nil {
		return err
	}
	if err := s.store.ResetEmailTemplate(ctx, string(k), sess.Username, s.clock.Now()); err != nil {
		return err
	}
	s.log.Info("email template reset", "kind", k, "user_id", sess.UserID)
	return nil
}

// PreviewEmailTemplate renders t with the made-up data of kind k, as the
// editor shows it before saving. The error names each failing part, line
// and reason.
func (s *Service) PreviewEmailTemplate(k mailer.Kind, t mailer.Template) (mailer.Message, error) {
	if err := checkKind(k); err != nil {
		return mailer.Message{}, err
	}
	return mailer.Render(t, mailer.SampleData(k))
}

func checkKind(k mailer.Kind) error {
	if !slices.Contains(mailer.Kinds(), k) {
		return message.NewError("email kind {{.Kind}} is unknown", "Kind", strconv.Quote(string(k)))
	}
	return nil
}
