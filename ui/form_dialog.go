package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// formDialog is a modal form that stays open until its save function
// succeeds, showing field errors under their fields.
type formDialog struct {
	dialog *dialog.CustomDialog
	form   *widget.Form
	fields *formFields
	save   func() error
	win    fyne.Window
	what   string
	// afterClose, when set by save, runs once the dialog is hidden. A
	// dialog shown from save itself would close with this one, because
	// hiding an overlay also removes the overlays above it.
	afterClose func()
}

// newFormDialog builds the dialog; add fields through d.fields before Show.
// save runs on Save; when it returns nil the dialog closes.
func newFormDialog(title, saveText, what string, win fyne.Window, save func() error) *formDialog {
	d := &formDialog{form: widget.NewForm(), save: save, win: win, what: what}
	d.fields = newFormFields(d.form)
	d.form.SubmitText = saveText
	d.form.OnSubmit = d.onSave
	d.form.CancelText = lang.L("Cancel")
	d.form.OnCancel = func() { d.dialog.Hide() }
	d.dialog = dialog.NewCustomWithoutButtons(title, container.NewVScroll(d.form), win)
	return d
}

// show opens the dialog. Escape in any of its fields made with newEntry
// closes it, as Cancel does.
func (d *formDialog) show(size fyne.Size) {
	for _, item := range d.form.Items {
		if e, ok := item.Widget.(*entry); ok {
			e.onEscape = d.dialog.Hide
		}
	}
	d.dialog.Resize(size)
	d.dialog.Show()
	d.focusFirstField()
}

// focusFirstField puts the cursor in the dialog's first text field, so
// typing starts there.
func (d *formDialog) focusFirstField() {
	for _, item := range d.form.Items {
		if e, ok := item.Widget.(*entry); ok {
			d.win.Canvas().Focus(e)
			return
		}
	}
}

func (d *formDialog) onSave() {
	err := d.save()
	if err == nil {
		d.dialog.Hide()
		if d.afterClose != nil {
			d.afterClose()
		}
		return
	}
	if !d.fields.showErrors(err) {
		showError(d.win, d.what, err)
	}
}
