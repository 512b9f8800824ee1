package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store/service"
)

// firstPasswordService lists the service methods that the first-login password screen uses.
type firstPasswordService interface {
	SetInitialPassword(ctx context.Context, sess *service.Session, password, confirm string) error
}

// firstPasswordScreen makes a customer replace the random initial password
// before any other screen opens.
type firstPasswordScreen struct {
	svc      firstPasswordService
	session  *service.Session
	win      fyne.Window
	onDone   func()
	onCancel func()

	password, confirm *entry
	fields            *formFields
}

func newFirstPasswordScreen(svc firstPasswordService, sess *service.Session, win fyne.Window, onDone, onCancel func()) *firstPasswordScreen {
	return &firstPasswordScreen{svc: svc, session: sess, win: win, onDone: onDone, onCancel: onCancel}
}

func (s *firstPasswordScreen) buildUI() fyne.CanvasObject {
	s.password = newPasswordEntry()
	s.confirm = newPasswordEntry()
	s.confirm.OnSubmitted = func(string) { s.onSubmit() }
	form := widget.NewForm()
	s.fields = newFormFields(form)
	s.fields.add("password", lang.L("New password"), s.password, lang.L("At least 8 characters"))
	s.fields.add("confirm", lang.L("Repeat password"), s.confirm, "")
	form.SubmitText = lang.L("Save password")
	form.OnSubmit = s.onSubmit
	form.CancelText = lang.L("Log out")
	form.OnCancel = s.onCancel

	intro := widget.NewLabel(lang.L("Your account has a temporary password. Choose your own password to continue."))
	intro.Wrapping = fyne.TextWrapWord
	card := widget.NewCard(lang.L("Choose a password"), "", container.NewVBox(intro, form))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, card.MinSize().Height), card))
}

func (s *firstPasswordScreen) onSubmit() {
	err := s.svc.SetInitialPassword(context.Background(), s.session, s.password.Text, s.confirm.Text)
	if err != nil {
		if !s.fields.showErrors(err) {
			showError(s.win, "set password", err)
		}
		return
	}
	s.onDone()
}
