package mailer

import (
	"bytes"
	"errors"
	htmltemplate "html/template"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/ctvms/ctvms/billing/message"
)

// Template is the editable source of one kind of email. Subject and Text
// are text/template sources and HTML is an html/template source, all
// executed against the kind's data type, such as WelcomeData.
type Template struct {
	Subject string
	Text    string
	HTML    string
}

// part is one of the three sources of a Template.
type part string

const (
	partSubject part = "subject"
	partText    part = "text"
	partHTML    part = "html"
)

// label returns the name of the part as the template editor shows it.
func (p part) label() message.Text {
	switch p {
	case partSubject:
		return message.New("Subject")
	case partText:
		return message.New("Text body")
	}
	return message.New("HTML body")
}

// Validate parses the three parts and executes them against the sample data
// of kind k. It returns one error per failing part, each naming the part,
// the line and the reason, for example
// `HTML body, line 4: function "foo" not defined`. An empty subject, or
// two empty bodies, are errors too.
func Validate(k Kind, t Template) error {
	data := SampleData(k)
	if data == nil {
		return message.NewError("email kind {{.Kind}} is unknown", "Kind", strconv.Quote(string(k)))
	}
	if strings.TrimSpace(t.Subject) == "" {
		return message.NewError("the subject is empty: write a subject line")
	}
	if strings.TrimSpace(t.Text) == "" && strings.TrimSpace(t.HTML) == "" {
		return message.NewError("both bodies are empty: write a text body, an HTML body or both")
	}
	_, err := Render(t, data)
	return err
}

// Render executes the template with data and returns a Message without a
// recipient. The HTML part escapes every value through html/template, while
// the subject and the text body are plain text. The subject is joined into
// one line. On failure the error has one line per failing part, as in
// Validate, and each line is a message in the chosen language on screen.
func Render(t Template, data any) (Message, error) {
	subject, subjectErr := executeText(partSubject, t.Subject, data)
	text, textErr := executeText(partText, t.Text, data)
	html, htmlErr := executeHTML(t.HTML, data)
	if err := errors.Join(subjectErr, textErr, htmlErr); err != nil {
		return Message{}, message.WithCause(err, "{{.Problems}}", "Problems", joinedText(err))
	}
	return Message{Subject: oneLine(subject), Text: text, HTML: html}, nil
}

func executeText(p part, source string, data any) (string, error) {
	return execute(p, source, data)
}

func executeHTML(source string, data any) (string, error) {
	return execute(partHTML, source, data)
}

// execute runs the source of part p with data: the HTML part through
// html/template, the others through text/template.
func execute(p part, source string, data any) (string, error) {
	tmpl, err := parse(p, source)
	if err != nil {
		return "", newTemplateError(p, err)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, data); err != nil {
		return "", newTemplateError(p, err)
	}
	return out.String(), nil
}

// executer is a parsed template of either package.
type executer interface {
	Execute(w io.Writer, data any) error
}

type parsedKey struct {
	part   part
	source string
}

// parsed keeps the templates parsed lately, so that queueing thousands of
// reminders parses their template once rather than once per email, which
// took a quarter of the time. A parsed template may be executed by
// several goroutines at once. The map is emptied when it holds
// parsedMax templates, which only editing templates for a long while does.
var parsed = struct {
	sync.Mutex
	templates map[parsedKey]executer
}{templates: map[parsedKey]executer{}}

const parsedMax = 64

func parse(p part, source string) (executer, error) {
	key := parsedKey{p, source}
	parsed.Lock()
	tmpl, ok := parsed.templates[key]
	parsed.Unlock()
	if ok {
		return tmpl, nil
	}
	var err error
	if p == partHTML {
		tmpl, err = htmltemplate.New(string(p)).Option("missingkey=error").Parse(source)
	} else {
		tmpl, err = texttemplate.New(string(p)).Option("missingkey=error").Parse(source)
	}
	if err != nil {
		return nil, err
	}
	parsed.Lock()
	if len(parsed.templates) >= parsedMax {
		clear(parsed.templates)
	}
	parsed.templates[key] = tmpl
	parsed.Unlock()
	return tmpl, nil
}

// templateErrorText matches the errors of text/template and html/template,
// such as `template: html:4: function "foo" not defined` and
// `template: html:4:3: executing "html" at <.Nope>: can't evaluate field Nope`.
var templateErrorText = regexp.MustCompile(
	`(?s)^(?:html/)?template: [^:]*:(\d+):(?:\d+:)? ?(?:executing "[^"]*" at )?(.*)$`)

// newTemplateError returns a parse or execution error of part p as a
// message naming the part, the line when the template package reported
// one, and the reason in the template package's own words.
func newTemplateError(p part, err error) error {
	var reason any = err.Error()
	line := 0
	var escapeErr *htmltemplate.Error
	if errors.As(err, &escapeErr) {
		line = escapeErr.Line
		reason = escapeErr.Description
		if escapeErr.ErrorCode == htmltemplate.ErrEndContext {
			reason = message.New("the template ends inside an unclosed tag, attribute, comment or script")
		}
	} else if match := templateErrorText.FindStringSubmatch(err.Error()); match != nil {
		line, _ = strconv.Atoi(match[1])
		reason = match[2]
	}

	if line == 0 {
		return message.WithCause(err, "{{.Part}}: {{.Reason}}", "Part", p.label(), "Reason", reason)
	}
	return message.WithCause(err, "{{.Part}}, line {{.Line}}: {{.Reason}}", "Part", p.label(), "Line", line,
		"Reason", reason)
}
