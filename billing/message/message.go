// Package message holds sentences for people that are composed outside the
// ui package, such as validation errors and the problems of an import. A
// message keeps its English text/template, which is also its translation
// key, apart from the values it names, so the ui package can look the key
// up in its translation files and fill in the same values:
//
//	message.New("CRF {{.CRF}} was not found.", "CRF", crf)
//
// String and Error render the English text for logs, the command line and
// tests. Pass the key as a string literal: a test in the ui package
// collects the keys from the calls to New, NewError and Wrap and fails
// when a translation file lacks one.
package message

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"
)

// Text is a sentence, or a word such as a field name, for people.
type Text struct {
	// Key is the English text, with values as named placeholders such
	// as {{.CRF}}.
	Key string
	// English is the English text when Key is an identifier, such as
	// "complaint.description", and empty when Key is the English text.
	English string
	// Values are the values the placeholders name. A value that is a Text
	// or an error holding an *Error is translated too.
	Values map[string]any
}

// New returns the text key with values given as name, value pairs, in the
// way of log/slog. A name without a value gets the value "<missing>".
func New(key string, pairs ...any) Text {
	t := Text{Key: key}
	if len(pairs) == 0 {
		return t
	}
	t.Values = make(map[string]any, (len(pairs)+1)/2)
	for i := 0; i < len(pairs); i += 2 {
		name := fmt.Sprint(pairs[i])
		var value any = "<missing>"
		if i+1 < len(pairs) {
			value = pairs[i+1]
		}
		t.Values[name] = value
	}
	return t
}

// NewID returns a text whose key is an identifier rather than its
// English text, for a text that cannot be its own key, such as
// "Description", which the translation files reserve.
func NewID(id, english string, pairs ...any) Text {
	t := New(id, pairs...)
	t.English = english
	return t
}

// String returns the text in English. A key that is not a valid
// template is written followed by the values, so no message is lost.
func (t Text) String() string {
	values := t.Data(Text.String, func(err error) string { return err.Error() })
	english := t.Key
	if t.English != "" {
		english = t.English
	}
	tmpl, err := template.New("").Parse(english)
	if err != nil {
		return fmt.Sprint(english, " ", values)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, values); err != nil {
		return fmt.Sprint(english, " ", values)
	}
	return b.String()
}

// Data returns the values to fill the key's template with: a value that
// is a Text is written by render, and an error by render when it holds an
// *Error, else by describe. The ui package passes its own translating
// render.
func (t Text) Data(render func(Text) string, describe func(error) string) map[string]any {
	data := make(map[string]any, len(t.Values))
	for name, v := range t.Values {
		switch v := v.(type) {
		case Text:
			data[name] = render(v)
		case error:
			if e, ok := Find(v); ok {
				data[name] = render(e.Text)
			} else {
				data[name] = describe(v)
			}
		default:
			data[name] = v
		}
	}
	return data
}

// Error is an error whose text people read, such as an invalid value and
// what to do about it.
type Error struct {
	Text
	wrapped error
	// prefixed is set when Error writes the wrapped error's text first.
	prefixed bool
}

// NewError returns an error with the text key and values as New takes
// them.
func NewError(key string, pairs ...any) *Error {
	return &Error{Text: New(key, pairs...)}
}

// Wrap returns an error with the text key that wraps err, usually a
// sentinel error that callers test with errors.Is. Its Error method
// writes err's text, a colon and the text, as fmt.Errorf("%w: …") does,
// and a screen shows only the translated text, so write the key as a
// complete sentence.
func Wrap(err error, key string, pairs ...any) *Error {
	return &Error{Text: New(key, pairs...), wrapped: err, prefixed: true}
}

// WithCause returns an error with the text key that wraps err, the cause,
// for errors.Is and errors.As. Its Error method writes only the text, so
// name err among the values where people need to read it.
func WithCause(err error, key string, pairs ...any) *Error {
	return &Error{Text: New(key, pairs...), wrapped: err}
}

func (e *Error) Error() string {
	if !e.prefixed {
		return e.Text.String()
	}
	return e.wrapped.Error() + ": " + e.Text.String()
}

// Prefixed reports whether the error came from Wrap, so its text follows
// that of the wrapped error.
func (e *Error) Prefixed() bool { return e.prefixed }

// Unwrap returns the error given to Wrap or WithCause, or nil.
func (e *Error) Unwrap() error { return e.wrapped }

// Find returns the outermost *Error in err's chain.
func Find(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Sentence returns s with a capital first letter and a full stop at the
// end, unless it already ends with one of ".!?".
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	first, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(first)) + s[size:]
	if !strings.ContainsAny(s[len(s)-1:], ".!?") {
		s += "."
	}
	return s
}

// Join returns the texts as one text, separated by sep, such as the
// problems of a form in one sentence. Its key is only placeholders and
// sep, which needs no translation.
func Join(sep string, texts ...Text) Text {
	keys := make([]string, len(texts))
	values := make(map[string]any, len(texts))
	for i, t := range texts {
		name := "Text" + strconv.Itoa(i+1)
		keys[i] = "{{." + name + "}}"
		values[name] = t
	}
	return Text{Key: strings.Join(keys, sep), Values: values}
}
