package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// customerFormService lists the service methods that the add and edit customer form uses.
type customerFormService interface {
	CreateCustomer(ctx context.Context, sess service.Session, p store.CustomerParams) (service.NewCustomer, error)
	UpdateCustomer(ctx context.Context, sess service.Session, crf int64, p store.CustomerParams) error
}

// customerForm holds the entries of the add/edit customer dialog.
type customerForm struct {
	name, mobile, email, house, street, city, state, postal *entry
	idType                                                  *widget.SelectEntry
	idNumber, birth, notes                                  *entry
	dialog                                                  *formDialog
}

var idProofTypes = []string{"Aadhaar", "PAN", "Voter ID", "Passport", "Driving licence", "Ration card"}

// showCustomerForm opens the add form, or the edit form when existing is
// set. onSaved receives the CRF number after a successful save.
func showCustomerForm(svc customerFormService, sess service.Session, win fyne.Window, existing *store.Customer, onSaved func(int64)) *customerForm {
	f := &customerForm{}
	f.build(existing)
	title, saveText := "Add customer", "Add"
	if existing != nil {
		title, saveText = lang.L("Edit customer {{.CRF}}", map[string]any{"CRF": existing.CRF}), "Save"
	}
	f.dialog = newFormDialog(title, saveText, lang.L("save customer"), win, func() error {
		if existing != nil {
			if err := svc.UpdateCustomer(context.Background(), sess, existing.CRF, f.params()); err != nil {
				return err
			}
			onSaved(existing.CRF)
			return nil
		}
		nc, err := svc.CreateCustomer(context.Background(), sess, f.params())
		if err != nil {
			return err
		}
		f.dialog.afterClose = func() {
			onSaved(nc.CRF)
			showWelcomeSlip(win, nc)
		}
		return nil
	})
	f.addFields()
	f.dialog.show(fyne.NewSize(560, 640))
	return f
}

func (f *customerForm) build(c *store.Customer) {
	f.name, f.mobile, f.email = newEntry(), newEntry(), newEntry()
	f.house, f.street, f.city = newEntry(), newEntry(), newEntry()
	f.state, f.postal = newEntry(), newEntry()
	f.idType = widget.NewSelectEntry(idProofTypes)
	f.idNumber, f.birth = newEntry(), newEntry()
	f.birth.SetPlaceHolder(lang.L("YYYY-MM-DD"))
	f.notes = newMultiLineEntry()
	f.notes.SetMinRowsVisible(2)
	validateAsTyped(service.CheckMobile, f.mobile)
	validateAsTyped(service.CheckEmail, f.email)
	validateAsTyped(service.CheckDate, f.birth)
	if c == nil {
		return
	}
	f.name.SetText(c.Name)
	f.mobile.SetText(c.Mobile)
	f.email.SetText(c.Email)
	f.house.SetText(c.House)
	f.street.SetText(c.Street)
	f.city.SetText(c.City)
	f.state.SetText(c.State)
	f.postal.SetText(c.PostalCode)
	f.idType.SetText(c.IDProofType)
	f.idNumber.SetText(c.IDProofNumber)
	f.birth.SetText(c.DateOfBirth)
	f.notes.SetText(c.Notes)
}

func (f *customerForm) addFields() {
	fields := f.dialog.fields
	fields.add("name", "Name", f.name, "")
	fields.add("mobile", "Mobile", f.mobile, "Digits, such as 9876543210")
	fields.add("email", "Email", f.email, "The welcome email with the login goes here")
	fields.add("house", "House / flat", f.house, "")
	fields.add("street", "Street / area", f.street, "")
	fields.add("city", "City / district", f.city, "")
	fields.add("state", "State", f.state, "")
	fields.add("postal_code", "Postal code", f.postal, "")
	fields.add("id_proof_type", "ID proof type", f.idType, "Optional")
	fields.add("id_proof_number", "ID proof number", f.idNumber, "Optional")
	fields.add("date_of_birth", "Date of birth", f.birth, "Optional, YYYY-MM-DD")
	fields.add("notes", "Notes", f.notes, "")
}

func (f *customerForm) params() store.CustomerParams {
	return store.CustomerParams{Name: f.name.Text, Mobile: f.mobile.Text, Email: f.email.Text,
		House: f.house.Text, Street: f.street.Text, City: f.city.Text, State: f.state.Text,
		PostalCode: f.postal.Text, IDProofType: f.idType.Text, IDProofNumber: f.idNumber.Text,
		DateOfBirth: f.birth.Text, Notes: f.notes.Text}
}

// showWelcomeSlip shows the new login once, for the admin to hand over.
// The password is not stored in readable form anywhere else.
func showWelcomeSlip(win fyne.Window, nc service.NewCustomer) {
	text := fmt.Sprintf("CRF number (username): %d\nInitial password: %s\n\n"+
		"The customer must choose a new password at first login.", nc.CRF, nc.InitialPassword)
	if nc.WelcomeQueued {
		text += "\nA welcome email with these details is queued."
	} else {
		text += "\nThe customer has no email address: hand these details over on paper."
	}
	label := widget.NewLabel(text)
	label.TextStyle = fyne.TextStyle{Monospace: true}
	dialog.ShowCustom(lang.L("Customer added"), lang.L("Done"), label, win)
}
