package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// myDetailsService lists the service methods that the customer's own details screen uses.
type myDetailsService interface {
	Customer(ctx context.Context, sess service.Session, crf int64) (store.Customer, error)
	UpdateMyDetails(ctx context.Context, sess service.Session, crf int64, p store.ContactParams) error
}

// myDetailsScreen lets a customer see their record and change the fields
// they may edit: mobile, email, address and date of birth.
type myDetailsScreen struct {
	svc     myDetailsService
	session service.Session
	win     fyne.Window

	mobile, email, house, street, city, state, postal, birth *entry
	fields                                                   *formFields
}

func newMyDetailsScreen(svc myDetailsService, sess service.Session, win fyne.Window) *myDetailsScreen {
	return &myDetailsScreen{svc: svc, session: sess, win: win}
}

func (s *myDetailsScreen) buildUI() fyne.CanvasObject {
	c, err := s.svc.Customer(context.Background(), s.session, s.session.CRF)
	if err != nil {
		return errorPage(lang.L("Your details could not be loaded"), err)
	}
	fixed := widget.NewLabel(lang.L("CRF number: {{.CRF}}\nName: {{.Name}}\nID proof: {{.Type}} {{.Number}}\n\n"+
		"To correct your name or ID proof, please ask at the office.",
		map[string]any{"CRF": c.CRF, "Name": c.Name, "Type": orDash(c.IDProofType), "Number": c.IDProofNumber}))
	fixed.Wrapping = fyne.TextWrapWord

	s.mobile, s.email = entryWith(c.Mobile), entryWith(c.Email)
	s.house, s.street, s.city = entryWith(c.House), entryWith(c.Street), entryWith(c.City)
	s.state, s.postal, s.birth = entryWith(c.State), entryWith(c.PostalCode), entryWith(c.DateOfBirth)
	s.birth.SetPlaceHolder(lang.L("YYYY-MM-DD"))
	validateAsTyped(service.CheckMobile, s.mobile)
	validateAsTyped(service.CheckEmail, s.email)
	validateAsTyped(service.CheckDate, s.birth)

	form := widget.NewForm()
	s.fields = newFormFields(form)
	s.fields.add("mobile", lang.L("Mobile"), s.mobile, "")
	s.fields.add("email", lang.L("Email"), s.email, lang.L("Bills and one-time codes are sent here"))
	s.fields.add("house", lang.L("House / flat"), s.house, "")
	s.fields.add("street", lang.L("Street / area"), s.street, "")
	s.fields.add("city", lang.L("City / district"), s.city, "")
	s.fields.add("state", lang.L("State"), s.state, "")
	s.fields.add("postal_code", lang.L("Postal code"), s.postal, "")
	s.fields.add("date_of_birth", lang.L("Date of birth"), s.birth, lang.L("YYYY-MM-DD"))
	form.SubmitText = lang.L("Save changes")
	form.OnSubmit = s.onSave

	return padded(container.NewVScroll(container.NewVBox(screenTitle(lang.L("My details")), fixed, widget.NewSeparator(), form)))
}

func entryWith(text string) *entry {
	e := newEntry()
	e.SetText(text)
	return e
}

func (s *myDetailsScreen) onSave() {
	err := s.svc.UpdateMyDetails(context.Background(), s.session, s.session.CRF, store.ContactParams{
		Mobile: s.mobile.Text, Email: s.email.Text, House: s.house.Text, Street: s.street.Text,
		City: s.city.Text, State: s.state.Text, PostalCode: s.postal.Text, DateOfBirth: s.birth.Text,
	})
	if err != nil {
		if !s.fields.showErrors(err) {
			showError(s.win, "save details", err)
		}
		return
	}
	s.fields.clear()
	dialog.ShowInformation(lang.L("Saved"), lang.L("Your details were saved."), s.win)
}
