package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// changePasswordService is the part of the service layer that the Change
// password screen uses.
type changePasswordService interface {
	RequestPasswordOTP(ctx context.Context, sess service.Session, currentPassword string) error
	ChangePasswordWithOTP(ctx context.Context, sess service.Session, code, newPassword, confirm string) error
	Customer(ctx context.Context, sess service.Session, crf int64) (store.Customer, error)
}

// changePasswordScreen changes the password of the logged-in customer or
// admin in two steps: the current password requests a code by email, and
// the code with the new password typed twice changes it.
type changePasswordScreen struct {
	svc     changePasswordService
	session service.Session
	win     fyne.Window

	current       *entry
	sendCode      *widget.Button
	requestFields *formFields

	code, password, confirm *entry
	change                  *widget.Button
	changeFields            *formFields

	message *widget.Label
}

func newChangePasswordScreen(svc changePasswordService, sess service.Session, win fyne.Window) *changePasswordScreen {
	return &changePasswordScreen{svc: svc, session: sess, win: win}
}

func (s *changePasswordScreen) buildUI() fyne.CanvasObject {
	s.current = newPasswordEntry()
	s.current.OnSubmitted = func(string) { s.onSendCode() }
	s.sendCode = widget.NewButtonWithIcon(lang.L("Send code"), theme.MailSendIcon(), s.onSendCode)
	s.sendCode.Importance = widget.HighImportance
	requestForm := widget.NewForm()
	s.requestFields = newFormFields(requestForm)
	s.requestFields.add("current_password", lang.L("Current password"), s.current, lang.L("The password you log in with"))

	s.code = newEntry()
	s.code.SetPlaceHolder(lang.L("{{.Count}} digits", map[string]any{"Count": service.OTPDigits}))
	s.password = newPasswordEntry()
	s.confirm = newPasswordEntry()
	s.confirm.OnSubmitted = func(string) { s.onChange() }
	s.change = widget.NewButtonWithIcon(lang.L("Change password"), theme.ConfirmIcon(), s.onChange)
	s.change.Importance = widget.HighImportance
	changeForm := widget.NewForm()
	s.changeFields = newFormFields(changeForm)
	s.changeFields.add("code", lang.L("Code from the email"), s.code, lang.L("Sent by the first step"))
	s.changeFields.add("password", lang.L("New password"), s.password,
		lang.L("At least {{.Count}} characters", map[string]any{"Count": service.MinPasswordLength}))
	s.changeFields.add("confirm", lang.L("Repeat new password"), s.confirm, lang.L("Type the new password again"))

	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.setCodeStep(false)

	step1 := widget.NewCard(lang.L("1. Request a code"), lang.L("We email you a code to confirm it is you."),
		container.NewVBox(requestForm, container.NewHBox(s.sendCode)))
	step2 := widget.NewCard(lang.L("2. Choose the new password"), lang.L("The code works once, for {{.Minutes}} minutes.",
		map[string]any{"Minutes": int(service.OTPValidFor.Minutes())}), container.NewVBox(changeForm, container.NewHBox(s.change)))
	body := container.NewVBox(screenTitle(lang.L("Change password")), step1, step2, s.message)
	return padded(container.NewVScroll(container.NewGridWrap(fyne.NewSize(560, body.MinSize().Height), body)))
}

// setCodeStep turns the second step on once a code has been sent, and off
// again when the code can no longer be used.
func (s *changePasswordScreen) setCodeStep(on bool) {
	for _, e := range []*entry{s.code, s.password, s.confirm} {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	if on {
		s.change.Enable()
		return
	}
	s.change.Disable()
}

func (s *changePasswordScreen) showMessage(text string, isError bool) {
	s.message.Importance = widget.SuccessImportance
	if isError {
		s.message.Importance = widget.DangerImportance
	}
	s.message.SetText(text)
}

func (s *changePasswordScreen) onSendCode() {
	s.requestFields.clear()
	err := s.svc.RequestPasswordOTP(context.Background(), s.session, s.current.Text)
	var tooSoon *store.OTPTooSoonError
	switch {
	case errors.As(err, &tooSoon):
		s.showMessage(lang.L("A code was sent less than {{.Interval}} seconds ago, and it still works. "+
			"Wait {{.Wait}} seconds before requesting a new one.",
			map[string]any{"Interval": int(service.OTPResendAfter.Seconds()), "Wait": tooSoon.WaitSeconds()}), true)
		s.setCodeStep(true)
		return
	case err != nil:
		if !s.requestFields.showErrors(err) {
			s.showMessage(plainMessage(err), true)
			return
		}
		s.showMessage("", false)
		return
	}

	s.current.SetText("")
	s.clearCodeStep()
	s.setCodeStep(true)
	s.showMessage(lang.L("A {{.Digits}}-digit code was sent to {{.Recipient}}. "+
		"If it does not arrive, you can request a new code after {{.Interval}} seconds.",
		map[string]any{"Digits": service.OTPDigits, "Recipient": s.recipient(),
			"Interval": int(service.OTPResendAfter.Seconds())}), false)
	s.win.Canvas().Focus(s.code)
}

// recipient names where the code went: a customer's email address, partly
// hidden because the kiosk screen is public, or the business email for an
// admin.
func (s *changePasswordScreen) recipient() string {
	if s.session.IsAdmin() {
		return "the business email in Settings"
	}
	c, err := s.svc.Customer(context.Background(), s.session, s.session.CRF)
	if err != nil || c.Email == "" {
		return "the email address of your account"
	}
	return maskEmail(c.Email)
}

// maskEmail hides all but the first character of the address's local
// part, such as "a•••@example.com".
func maskEmail(address string) string {
	at := strings.LastIndex(address, "@")
	if at < 1 {
		return "•••"
	}
	first := []rune(address[:at])[0]
	return string(first) + "•••" + address[at:]
}

func (s *changePasswordScreen) onChange() {
	s.changeFields.clear()
	err := s.svc.ChangePasswordWithOTP(context.Background(), s.session, s.code.Text, s.password.Text, s.confirm.Text)
	if err == nil {
		s.clearCodeStep()
		s.setCodeStep(false)
		s.showMessage(lang.L("Your password was changed. Use the new password the next time you log in."), false)
		return
	}
	if s.changeFields.showErrors(err) {
		s.showMessage("", false)
		return
	}

	var wrong *service.OTPWrongError
	switch {
	case errors.As(err, &wrong) && wrong.AttemptsLeft > 0:
		s.code.SetText("")
	case errors.As(err, &wrong), errors.Is(err, service.ErrOTPExpired), errors.Is(err, service.ErrOTPUsed),
		errors.Is(err, service.ErrOTPBlocked), errors.Is(err, service.ErrOTPNotRequested):
		// The code can no longer be used, so the second step waits for a
		// new one.
		s.clearCodeStep()
		s.setCodeStep(false)
	}
	s.showMessage(plainMessage(err), true)
}

func (s *changePasswordScreen) clearCodeStep() {
	s.code.SetText("")
	s.password.SetText("")
	s.confirm.SetText("")
	s.changeFields.clear()
}
