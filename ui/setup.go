package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store/service"
)

// setupService lists the service methods that the first-start screen uses.
type setupService interface {
	Setup(ctx context.Context, p service.SetupParams) error
}

// setupScreen creates the admin account and the business profile on an
// empty database.
type setupScreen struct {
	svc    setupService
	win    fyne.Window
	onDone func()

	username, password, confirm     *entry
	business, address, phone, email *entry
	fields                          *formFields
}

// defaultAdminUsername is the username the setup form suggests. It is a
// login name, so it is the same in every language.
const defaultAdminUsername = "admin"

func newSetupScreen(svc setupService, win fyne.Window, onDone func()) *setupScreen {
	return &setupScreen{svc: svc, win: win, onDone: onDone}
}

func (s *setupScreen) buildUI() fyne.CanvasObject {
	s.username = newEntry()
	s.username.SetText(defaultAdminUsername)
	s.password = newPasswordEntry()
	s.confirm = newPasswordEntry()
	s.business = newEntry()
	s.address = newMultiLineEntry()
	s.address.SetMinRowsVisible(2)
	s.phone = newEntry()
	s.email = newEntry()

	form := widget.NewForm()
	s.fields = newFormFields(form)
	s.fields.add("username", lang.L("Admin username"), s.username, lang.L("Used to log in at the office"))
	s.fields.add("password", lang.L("Password"), s.password, lang.L("At least 8 characters"))
	s.fields.add("confirm", lang.L("Repeat password"), s.confirm, "")
	s.fields.add("business_name", lang.L("Business name"), s.business, lang.L("Printed on invoices and emails"))
	s.fields.add("business_address", lang.L("Address"), s.address, "")
	s.fields.add("business_phone", lang.L("Phone"), s.phone, "")
	s.fields.add("business_email", lang.L("Email"), s.email, "")
	form.SubmitText = lang.L("Create account")
	form.OnSubmit = s.onSubmit

	intro := widget.NewLabel(lang.L("Welcome to CTVMS. Create the admin account and enter your business details to start."))
	intro.Wrapping = fyne.TextWrapWord
	card := widget.NewCard(lang.L("First start"), "", container.NewVBox(intro, form))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, card.MinSize().Height), card))
}

func (s *setupScreen) onSubmit() {
	err := s.svc.Setup(context.Background(), service.SetupParams{
		Username: s.username.Text, Password: s.password.Text, ConfirmPassword: s.confirm.Text,
		BusinessName: s.business.Text, BusinessAddress: s.address.Text,
		BusinessPhone: s.phone.Text, BusinessEmail: s.email.Text,
	})
	if err != nil {
		if !s.fields.showErrors(err) {
			showError(s.win, "setup", err)
		}
		return
	}
	s.onDone()
}
