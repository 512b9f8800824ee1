package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store/service"
)

// showError shows the failure in plain words in a dialog and logs it.
func showError(win fyne.Window, title string, err error) {
	fyne.LogError(title, err)
	d := dialog.NewError(errors.New(plainMessage(err)), win)
	d.Show()
}

// plainMessage turns an error into a sentence for the screen. Field errors
// already read as sentences; other errors keep their text, which names the
// operation and value.
func plainMessage(err error) string {
	if fe, ok := service.AsFieldErrors(err); ok {
		return fe.Error()
	}
	msg := err.Error()
	if msg == "" {
		return "Something went wrong."
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// errorPage is a full-window message for a failure the user cannot fix
// from the screen.
func errorPage(title string, err error) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(plainMessage(err))
	body.Wrapping = fyne.TextWrapWord
	return container.NewCenter(container.NewVBox(heading, body))
}

// formFields shows field errors next to the fields of a widget.Form through
// each item's hint text, keeping the plain hint for when the error clears.
type formFields struct {
	form  *widget.Form
	items map[string]*widget.FormItem
	hints map[string]string
}

func newFormFields(form *widget.Form) *formFields {
	return &formFields{form: form, items: map[string]*widget.FormItem{}, hints: map[string]string{}}
}

// add appends a form item bound to a field name of the service's field
// errors. Enter in a one-line field submits the form.
func (f *formFields) add(field, label string, w fyne.CanvasObject, hint string) *widget.FormItem {
	f.submitOnEnter(w)
	if hint == "" {
		// A form item made without hint text never draws one, so a
		// field error set later would stay invisible.
		hint = " "
	}
	item := &widget.FormItem{Text: label, Widget: w, HintText: hint}
	f.items[field] = item
	f.hints[field] = hint
	f.clearOnChange(field, w)
	f.form.AppendItem(item)
	return item
}

// showErrors puts each field error under its field and returns false when
// err holds none, so the caller shows it in a dialog instead.
func (f *formFields) showErrors(err error) bool {
	f.clear()
	fe, ok := service.AsFieldErrors(err)
	if !ok {
		return false
	}
	shown := false
	for _, e := range fe {
		if item, ok := f.items[e.Field]; ok {
			item.HintText = "⚠ " + e.Message
			shown = true
		}
	}
	f.form.Refresh()
	return shown
}

func (f *formFields) clear() {
	for field, item := range f.items {
		item.HintText = f.hints[field]
	}
	f.form.Refresh()
}

// submitOnEnter makes Enter in a one-line field run the form's OnSubmit,
// unless the field already does something on Enter.
func (f *formFields) submitOnEnter(w fyne.CanvasObject) {
	e := textField(w)
	if e == nil || e.MultiLine || e.OnSubmitted != nil {
		return
	}
	e.OnSubmitted = func(string) {
		if f.form.OnSubmit != nil && !f.form.Disabled() {
			f.form.OnSubmit()
		}
	}
}

// clearOnChange puts a field's plain hint back as soon as its text
// changes, so an error from the last save never stays under a corrected
// value.
func (f *formFields) clearOnChange(field string, w fyne.CanvasObject) {
	e := textField(w)
	if e == nil {
		return
	}
	prev := e.OnChanged
	e.OnChanged = func(s string) {
		if item := f.items[field]; item.HintText != f.hints[field] {
			item.HintText = f.hints[field]
			f.form.Refresh()
		}
		if prev != nil {
			prev(s)
		}
	}
}
