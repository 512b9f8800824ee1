package service

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ctvms/ctvms/mailer"
)

// templateOf returns the editor's entry for kind k.
func (e *env) templateOf(k mailer.Kind) EmailTemplateView {
	e.t.Helper()
	list, err := e.svc.EmailTemplates(e.ctx, e.admin)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, v := range list {
		if v.Kind == k {
			return v
		}
	}
	e.t.Fatalf("EmailTemplates has no %s", k)
	return EmailTemplateView{}
}

func TestEmailTemplatesListsDefaults(t *testing.T) {
	e := newEnv(t)
	list, err := e.svc.EmailTemplates(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(mailer.Kinds()) {
		t.Fatalf("EmailTemplates has %d kinds, want %d", len(list), len(mailer.Kinds()))
	}
	for i, v := range list {
		if v.Kind != mailer.Kinds()[i] {
			t.Errorf("entry %d is %s, want %s", i, v.Kind, mailer.Kinds()[i])
		}
		if v.Edited || v.Template != mailer.DefaultTemplate(v.Kind) {
			t.Errorf("%s is edited or differs from the default on a new database", v.Kind)
		}
		if v.Label != v.Kind.Label() {
			t.Errorf("%s label = %q, want %q", v.Kind, v.Label, v.Kind.Label())
		}
	}
}

func TestSaveEmailTemplateRejectsParseError(t *testing.T) {
	e := newEnv(t)
	broken := mailer.DefaultTemplate(mailer.KindOTP)
	broken.HTML = "<p>Dear {{.Name}},</p>\n<p>Your code:</p>\n<p>{{.Code</p>"

	err := e.svc.SaveEmailTemplate(e.ctx, e.admin, mailer.KindOTP, broken)
	if err == nil {
		t.Fatal("a template with a parse error was saved")
	}
	if !strings.Contains(err.Error(), "HTML body, line 3") {
		t.Errorf("err = %q, want it to name the HTML body and line 3", err)
	}
	if e.templateOf(mailer.KindOTP).Edited {
		t.Error("the rejected template is stored")
	}
}

func TestSaveEmailTemplateIsUsedThenReset(t *testing.T) {
	e := newEnv(t)
	edited := mailer.DefaultTemplate(mailer.KindWelcome)
	edited.Subject = "Hello from {{.Business.Name}}, customer {{.CRF}}"
	if err := e.svc.SaveEmailTemplate(e.ctx, e.admin, mailer.KindWelcome, edited); err != nil {
		t.Fatalf("save: %v", err)
	}
	view := e.templateOf(mailer.KindWelcome)
	if !view.Edited || view.Template != edited || view.UpdatedAt.IsZero() {
		t.Errorf("after save: edited %v, updated %v; want the edited template", view.Edited, view.UpdatedAt)
	}

	nc := e.addCustomer("Asha Rao")
	list, err := e.svc.ListOutbox(e.ctx, e.admin, "")
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox = %d messages, %v; want the welcome email", len(list), err)
	}
	if want := "Hello from Sunrise Cable Network, customer " + strconv.FormatInt(nc.CRF, 10); list[0].Subject != want {
		t.Errorf("welcome subject = %q, want %q", list[0].Subject, want)
	}

	if err := e.svc.ResetEmailTemplate(e.ctx, e.admin, mailer.KindWelcome); err != nil {
		t.Fatalf("reset: %v", err)
	}
	view = e.templateOf(mailer.KindWelcome)
	if view.Edited || view.Template != mailer.DefaultTemplate(mailer.KindWelcome) {
		t.Error("reset did not restore the default template")
	}
}

func TestPreviewEmailTemplateUsesSampleData(t *testing.T) {
	e := newEnv(t)
	msg, err := e.svc.PreviewEmailTemplate(mailer.KindOTP, mailer.DefaultTemplate(mailer.KindOTP))
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	for _, want := range []string{"Anitha Menon", "482915", "Sunrise Cable Network"} {
		if !strings.Contains(msg.Text, want) || !strings.Contains(msg.HTML, want) {
			t.Errorf("preview lacks %q in a body", want)
		}
	}

	_, err = e.svc.PreviewEmailTemplate(mailer.KindOTP, mailer.Template{Subject: "x", Text: "{{.Nope}}"})
	if err == nil || !strings.Contains(err.Error(), "Text body, line 1") {
		t.Errorf("preview of an unknown field: err = %v, want the part and line", err)
	}
	if _, err := e.svc.PreviewEmailTemplate("birthday", mailer.Template{Subject: "x", Text: "y"}); err == nil {
		t.Error("preview of an unknown kind succeeded")
	}
}

func TestEmailTemplatesAdminOnly(t *testing.T) {
	e := newEnv(t)
	customer := e.loginCustomer(e.addCustomer("Asha Rao"))
	if _, err := e.svc.EmailTemplates(e.ctx, customer); !errors.Is(err, ErrForbidden) {
		t.Errorf("EmailTemplates as customer: err = %v, want ErrForbidden", err)
	}
	err := e.svc.SaveEmailTemplate(e.ctx, customer, mailer.KindOTP, mailer.DefaultTemplate(mailer.KindOTP))
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("SaveEmailTemplate as customer: err = %v, want ErrForbidden", err)
	}
	if err := e.svc.ResetEmailTemplate(e.ctx, customer, mailer.KindOTP); !errors.Is(err, ErrForbidden) {
		t.Errorf("ResetEmailTemplate as customer: err = %v, want ErrForbidden", err)
	}
	if err := e.svc.ResetEmailTemplate(e.ctx, e.admin, "birthday"); err == nil {
		t.Error("reset of an unknown kind succeeded")
	}
}
