package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store/service"
)

// translateText returns t in the current language. Its key is looked up in
// the translation files, and so are the keys of the texts and message
// errors among its values.
func translateText(t message.Text) string {
	data := t.Data(translateText, errorText)
	if t.English != "" {
		return lang.X(t.Key, t.English, data)
	}
	return lang.L(t.Key, data)
}

// translateError returns e in the current language. When e wraps another
// *message.Error directly, such as service.ErrForbidden, that one's text
// comes first, as in English.
func translateError(e *message.Error) string {
	text := translateText(e.Text)
	if inner, ok := e.Unwrap().(*message.Error); ok && e.Prefixed() {
		return translateError(inner) + ": " + text
	}
	return text
}

// errorText writes an error that holds no *message.Error, which is a
// value inside a message, in its English words.
func errorText(err error) string { return err.Error() }

// fieldMessage returns the message of a field error in the current
// language, as a sentence as the English one is.
func fieldMessage(e *service.FieldError) string {
	if e.Text.Key == "" {
		return e.Message
	}
	return message.Sentence(translateText(e.Text))
}

// showError shows the failure in plain words in a dialog and logs it.
func showError(win fyne.Window, title string, err error) {
	fyne.LogError(title, err)
	d := dialog.NewError(errors.New(plainMessage(err)), win)
	d.Show()
}

// plainMessage turns an error into a sentence for the screen in the
// current language. Field errors and the outermost *message.Error of err
// are translated; other errors keep their English text, which names the
// operation and value.
func plainMessage(err error) string {
	if fe, ok := service.AsFieldErrors(err); ok {
		lines := make([]string, len(fe))
		for i, e := range fe {
			lines[i] = fieldMessage(e)
		}
		return strings.Join(lines, "\n")
	}
	if e, ok := message.Find(err); ok {
		return message.Sentence(translateError(e))
	}
	msg := err.Error()
	if msg == "" {
		return "Something went wrong."
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// storedMessage returns a message that message.Encode wrote, such as the
// reason an email failed, in the current language, as plainMessage writes
// a live error.
func storedMessage(encoded string) (string, error) {
	text, err := message.Decode([]byte(encoded))
	if err != nil {
		return "", err
	}
	return message.Sentence(translateText(text)), nil
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
			item.HintText = "⚠ " + fieldMessage(e)
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
