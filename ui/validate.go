package ui

import (
	"errors"

	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store/service"
)

// validateAsTyped attaches check to the entries, so each shows the
// problem with its value while the user types. The save methods of the
// service check the same values again.
func validateAsTyped(check func(string) error, entries ...*entry) {
	for _, e := range entries {
		e.Validator = plainValidator(check)
	}
}

// plainValidator returns check's first field message alone, without the
// field name prefix of FieldErrors.
func plainValidator(check func(string) error) func(string) error {
	return func(s string) error {
		err := check(s)
		if fe, ok := service.AsFieldErrors(err); ok && len(fe) > 0 {
			return errors.New(fieldMessage(fe[0]))
		}
		if e, ok := message.Find(err); ok {
			return errors.New(translateText(e.Text))
		}
		return err
	}
}

// validateEntryAsTyped is validateAsTyped for a plain widget.Entry.
func validateEntryAsTyped(check func(string) error, e *widget.Entry) {
	e.Validator = plainValidator(check)
}
