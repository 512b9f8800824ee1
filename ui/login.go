package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store/service"
)

// loginService lists the service methods that the login screen uses.
type loginService interface {
	Login(ctx context.Context, username, password string) (service.Session, error)
	// Logo returns the business logo image, or nil.
	Logo() []byte
}

type loginScreen struct {
	svc      loginService
	opts     Options
	onLogin  func(service.Session)
	username *entry
	password *entry
	submit   *widget.Button
	message  *widget.Label
}

func newLoginScreen(svc loginService, opts Options, onLogin func(service.Session)) *loginScreen {
	return &loginScreen{svc: svc, opts: opts, onLogin: onLogin}
}

func (s *loginScreen) buildUI() fyne.CanvasObject {
	s.username = newEntry()
	s.username.SetPlaceHolder(lang.L("Username or CRF number"))
	s.password = newPasswordEntry()
	s.password.SetPlaceHolder(lang.L("Password"))
	s.password.OnSubmitted = func(string) { s.onSubmit() }
	s.username.OnSubmitted = func(string) { s.onSubmit() }
	s.submit = widget.NewButtonWithIcon(lang.L("Log in"), theme.LoginIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Importance = widget.DangerImportance

	title := canvas.NewText("CTVMS", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 32
	title.TextStyle = fyne.TextStyle{Bold: true}
	subtitle := lang.L("Cable TV and broadband office")
	if s.opts.Kiosk {
		subtitle = lang.L("Customer kiosk: log in with your CRF number")
	}
	box := container.NewVBox()
	if logo := s.svc.Logo(); logo != nil {
		img := canvas.NewImageFromResource(fyne.NewStaticResource("logo", logo))
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(200, 90))
		box.Add(img)
	}
	box.Add(container.NewVBox(
		container.NewCenter(title),
		widget.NewLabelWithStyle(subtitle, fyne.TextAlignCenter, fyne.TextStyle{}),
		s.username, s.password, s.submit, s.message,
	))
	if s.opts.LoginHint != "" {
		hint := widget.NewLabel(s.opts.LoginHint)
		hint.Wrapping = fyne.TextWrapWord
		box.Add(widget.NewCard("", lang.L("Demo logins"), hint))
	}
	sized := container.NewGridWrap(fyne.NewSize(380, box.MinSize().Height), box)
	return container.NewCenter(sized)
}

func (s *loginScreen) onSubmit() {
	if s.username.Text == "" || s.password.Text == "" {
		s.message.SetText(lang.L("Type your username (or CRF number) and password."))
		return
	}
	sess, err := s.svc.Login(context.Background(), s.username.Text, s.password.Text)
	if err != nil {
		s.message.SetText(loginMessage(err))
		s.password.SetText("")
		return
	}
	if s.opts.Kiosk && sess.IsAdmin() {
		s.message.SetText(lang.L("This is the customer kiosk. Admins log in at the office workstation."))
		s.password.SetText("")
		return
	}
	s.message.SetText("")
	s.onLogin(sess)
}

func loginMessage(err error) string {
	var locked *service.LockedError
	switch {
	case errors.Is(err, service.ErrBadCredentials):
		return lang.L("The username or password is wrong. After 5 wrong tries the account is locked for 15 minutes.")
	case errors.As(err, &locked), errors.Is(err, service.ErrDisabled):
		return plainMessage(err)
	}
	return lang.L("Login failed: {{.Error}}", map[string]any{"Error": err.Error()})
}
