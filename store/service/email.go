package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// template returns the admin's edited template of a kind, or the built-in
// default in the language of the settings.
func (s *Service) template(ctx context.Context, kind mailer.Kind) (mailer.Template, error) {
	t, err := s.store.EmailTemplate(ctx, string(kind))
	if errors.Is(err, store.ErrNotFound) {
		return mailer.DefaultTemplateFor(kind, s.Language(ctx)), nil
	}
	if err != nil {
		return mailer.Template{}, err
	}
	return mailer.Template{Subject: t.Subject, Text: t.Text, HTML: t.HTML}, nil
}

func business(st store.Settings) mailer.Business {
	return mailer.Business{Name: st.BusinessName, Address: st.BusinessAddress, Phone: st.BusinessPhone,
		Email: st.BusinessEmail}
}

// composeEmail renders a kind's template for one recipient into an outbox
// message, ready to be queued in the caller's transaction.
func (s *Service) composeEmail(ctx context.Context, kind mailer.Kind, to, toName string, data any) (store.OutboxMessage, error) {
	t, err := s.template(ctx, kind)
	if err != nil {
		return store.OutboxMessage{}, err
	}
	return s.renderOrDefault(t, mailer.DefaultTemplateFor(kind, s.Language(ctx)), kind, to, toName, data)
}

// renderOrDefault renders t, or the built-in template when an edited t
// fails on this data. An edited template can pass its check on the sample
// data and still fail on a real value, and such an edit must not block the
// event that sends the email.
func (s *Service) renderOrDefault(t, builtIn mailer.Template, kind mailer.Kind, to, toName string, data any) (store.OutboxMessage, error) {
	m, err := renderEmail(t, kind, to, toName, data)
	if err == nil || t == builtIn {
		return m, err
	}
	s.log.Error("edited email template failed; the built-in one is used", "kind", string(kind), "err", err)
	return renderEmail(builtIn, kind, to, toName, data)
}

func renderEmail(t mailer.Template, kind mailer.Kind, to, toName string, data any) (store.OutboxMessage, error) {
	m, err := mailer.Render(t, data)
	if err != nil {
		return store.OutboxMessage{}, fmt.Errorf("render %s email: %w", kind, err)
	}
	return store.OutboxMessage{Kind: string(kind), Recipient: to, RecipientName: toName,
		Subject: m.Subject, Text: m.Text, HTML: m.HTML}, nil
}
