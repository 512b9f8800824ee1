package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// entry is a widget.Entry that also reacts to Escape, which a plain Entry
// ignores, so a focused field can close its dialog.
type entry struct {
	widget.Entry
	onEscape func()
}

func newEntry() *entry {
	e := &entry{}
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry() *entry {
	e := newEntry()
	e.Password = true
	return e
}

func newMultiLineEntry() *entry {
	e := newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// textField returns the widget.Entry inside w, a plain Entry or the
// package's entry, or nil for any other widget.
func textField(w fyne.CanvasObject) *widget.Entry {
	switch e := w.(type) {
	case *widget.Entry:
		return e
	case *entry:
		return &e.Entry
	}
	return nil
}

// TypedKey runs onEscape for Escape and passes every other key on.
func (e *entry) TypedKey(key *fyne.KeyEvent) {
	if key.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(key)
}

// closeTopDialog hides the topmost dialog of the canvas. It is the
// canvas's handler for Escape when no field has the focus.
func closeTopDialog(c fyne.Canvas) {
	if top := c.Overlays().Top(); top != nil {
		c.Overlays().Remove(top)
	}
}

// handleEscape makes Escape close the topmost dialog while nothing has the
// focus; fields made with newEntry handle it themselves.
func handleEscape(win fyne.Window) {
	win.Canvas().SetOnTypedKey(func(key *fyne.KeyEvent) {
		if key.Name == fyne.KeyEscape {
			closeTopDialog(win.Canvas())
		}
	})
}
