package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store/service"
)

// templatesService is the part of the service layer that the template
// editor uses.
type templatesService interface {
	EmailTemplates(ctx context.Context, sess service.Session) ([]service.EmailTemplateView, error)
	SaveEmailTemplate(ctx context.Context, sess service.Session, k mailer.Kind, t mailer.Template) error
	ResetEmailTemplate(ctx context.Context, sess service.Session, k mailer.Kind) error
	PreviewEmailTemplate(k mailer.Kind, t mailer.Template) (mailer.Message, error)
	Location() *time.Location
}

// templatesTab lists the six kinds of email and edits the template of the
// selected kind, with a preview on made-up data.
type templatesTab struct {
	svc     templatesService
	session service.Session
	win     fyne.Window

	views   []service.EmailTemplateView
	list    *widget.List
	current int

	heading             *widget.Label
	subject, text, html *entry
	message             *widget.Label
	save, reset         *widget.Button
	// dirty is set when the editor differs from the template last loaded.
	dirty bool
}

func newTemplatesTab(svc templatesService, sess service.Session, win fyne.Window) *templatesTab {
	return &templatesTab{svc: svc, session: sess, win: win, current: -1}
}

func (t *templatesTab) buildUI() fyne.CanvasObject {
	t.list = widget.NewList(
		func() int { return len(t.views) },
		func() fyne.CanvasObject { return widget.NewLabel(lang.L("Complaint received (edited)")) },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(templateItem(t.views[id])) },
	)
	t.list.OnSelected = t.onKindSelected

	t.heading = screenTitle("")
	t.subject = newEntry()
	t.text = newMultiLineEntry()
	t.text.SetMinRowsVisible(8)
	t.html = newMultiLineEntry()
	t.html.SetMinRowsVisible(8)
	for _, e := range []*entry{t.subject, t.text, t.html} {
		e.OnChanged = func(string) { t.dirty = true }
	}
	t.message = widget.NewLabel("")
	t.message.Wrapping = fyne.TextWrapWord

	preview := widget.NewButtonWithIcon(lang.L("Preview"), theme.VisibilityIcon(), t.onPreview)
	t.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), t.onSave)
	t.save.Importance = widget.HighImportance
	t.reset = widget.NewButtonWithIcon(lang.L("Reset to default"), theme.HistoryIcon(), t.onReset)
	// The example is passed as a value because lang.L would fill in a
	// placeholder written in the text itself.
	help := widget.NewLabel(lang.L("Placeholders such as {{.Example}} are filled in when the email is sent. "+
		"Preview shows the result with made-up data.", map[string]any{"Example": "{{.Business.Name}}"}))
	help.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Subject"), t.subject),
		widget.NewFormItem(lang.L("Text body"), t.text),
		widget.NewFormItem(lang.L("HTML body"), t.html),
	)
	buttons := container.NewHBox(preview, t.save, t.reset)
	editor := container.NewVBox(t.heading, help, form, buttons, t.message)

	t.load()
	if len(t.views) > 0 {
		t.list.Select(0)
	}
	split := container.NewHSplit(t.list, container.NewVScroll(editor))
	split.Offset = 0.22
	return split
}

func templateItem(v service.EmailTemplateView) string {
	if v.Edited {
		return lang.L("{{.Kind}} (edited)", map[string]any{"Kind": mailKindLabel(v.Kind)})
	}
	return mailKindLabel(v.Kind)
}

// load reads the six templates and refreshes the list.
func (t *templatesTab) load() bool {
	views, err := t.svc.EmailTemplates(context.Background(), t.session)
	if err != nil {
		showError(t.win, "load email templates", err)
		return false
	}
	t.views = views
	t.list.Refresh()
	return true
}

// onKindSelected opens the template of another kind, asking first when
// the editor holds unsaved changes.
func (t *templatesTab) onKindSelected(id widget.ListItemID) {
	if id == t.current || id < 0 || id >= len(t.views) {
		return
	}
	if !t.dirty || t.current < 0 {
		t.open(id)
		return
	}
	name := mailKindLabel(t.views[t.current].Kind)
	dialog.ShowConfirm(lang.L("Discard changes?"),
		lang.L("The {{.Name}} template has unsaved changes. Discard them?", map[string]any{"Name": name}),
		func(discard bool) {
			if discard {
				t.open(id)
				return
			}
			t.list.Select(t.current)
		}, t.win)
}

// open shows the template of the kind at index id in the editor.
func (t *templatesTab) open(id int) {
	t.current = id
	v := t.views[id]
	t.heading.SetText(lang.L("{{.Kind}} email", map[string]any{"Kind": mailKindLabel(v.Kind)}))
	t.subject.SetText(v.Template.Subject)
	t.text.SetText(v.Template.Text)
	t.html.SetText(v.Template.HTML)
	t.dirty = false
	t.showMessage("", false)
	if v.Edited {
		t.message.SetText(lang.L("Edited on {{.Time}}.", map[string]any{"Time": formatTime(v.UpdatedAt, t.svc.Location())}))
		t.reset.Enable()
		return
	}
	t.message.SetText(lang.L("This is the built-in default."))
	t.reset.Disable()
}

func (t *templatesTab) edited() mailer.Template {
	return mailer.Template{Subject: t.subject.Text, Text: t.text.Text, HTML: t.html.Text}
}

func (t *templatesTab) kind() (mailer.Kind, bool) {
	if t.current < 0 || t.current >= len(t.views) {
		return "", false
	}
	return t.views[t.current].Kind, true
}

func (t *templatesTab) showMessage(text string, isError bool) {
	t.message.Importance = widget.MediumImportance
	if isError {
		t.message.Importance = widget.DangerImportance
	}
	t.message.SetText(text)
}

func (t *templatesTab) onSave() {
	k, ok := t.kind()
	if !ok {
		return
	}
	if err := t.svc.SaveEmailTemplate(context.Background(), t.session, k, t.edited()); err != nil {
		t.showMessage(plainMessage(err), true)
		return
	}
	t.reopen()
	t.showMessage(lang.L("Saved. New {{.Kind}} emails use this template.", map[string]any{"Kind": mailKindLabel(k)}), false)
}

// reopen reloads the templates and shows the current kind again.
func (t *templatesTab) reopen() {
	current := t.current
	if !t.load() {
		return
	}
	t.current = -1
	t.dirty = false
	t.open(current)
}

func (t *templatesTab) onReset() {
	k, ok := t.kind()
	if !ok {
		return
	}
	dialog.ShowConfirm(lang.L("Reset to default?"),
		lang.L("Replace the edited {{.Kind}} template with the built-in default? The edits are lost.",
			map[string]any{"Kind": mailKindLabel(k)}),
		func(yes bool) {
			if !yes {
				return
			}
			if err := t.svc.ResetEmailTemplate(context.Background(), t.session, k); err != nil {
				showError(t.win, "reset email template", err)
				return
			}
			t.reopen()
			t.showMessage(lang.L("Reset: new {{.Kind}} emails use the built-in default.",
				map[string]any{"Kind": mailKindLabel(k)}), false)
		}, t.win)
}

// onPreview renders the editor's template with made-up data and shows the
// subject, the text body and the HTML source. A failing part is reported
// next to the editor, as on Save.
func (t *templatesTab) onPreview() {
	k, ok := t.kind()
	if !ok {
		return
	}
	msg, err := t.svc.PreviewEmailTemplate(k, t.edited())
	if err != nil {
		t.showMessage(plainMessage(err), true)
		return
	}
	t.showMessage("", false)

	subject := widget.NewLabelWithStyle(lang.L("Subject: {{.Subject}}", map[string]any{"Subject": msg.Subject}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	subject.Wrapping = fyne.TextWrapWord
	text := widget.NewLabel(orNone(msg.Text))
	text.Wrapping = fyne.TextWrapWord
	html := widget.NewLabelWithStyle(orNone(msg.HTML), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	tabs := container.NewAppTabs(
		container.NewTabItem(lang.L("Text body"), container.NewVScroll(text)),
		container.NewTabItem(lang.L("HTML source"), container.NewScroll(html)),
	)
	title := lang.L("Preview: {{.Kind}}", map[string]any{"Kind": mailKindLabel(k)})
	d := dialog.NewCustom(title, lang.L("Close"), container.NewBorder(subject, nil, nil, nil, tabs), t.win)
	d.Resize(fyne.NewSize(720, 560))
	d.Show()
}

func orNone(body string) string {
	if body == "" {
		return lang.L("(empty)")
	}
	return body
}
