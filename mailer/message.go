package mailer

import (
	"bytes"
	"mime"
	"net/mail"
	"path/filepath"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/ctvms/ctvms/billing/message"
)

// Attachment is a file sent with a message.
type Attachment struct {
	// Name is the file name shown to the recipient, such as "INV-0042.pdf".
	Name string
	// ContentType is the MIME type. When empty, Send derives it from the
	// extension of Name and falls back to application/octet-stream.
	ContentType string
	Data        []byte
}

// Message is one email to one recipient. Either body may be empty. When
// both are set, the recipient's mail program chooses which to show.
type Message struct {
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string

	Attachments []Attachment
}

// compose builds the MIME message and returns it with the bare recipient
// address for RCPT TO. Its errors come from the message, not the server, so
// they are permanent.
func compose(s Settings, m Message) (*gomail.Msg, string, error) {
	to, err := parseRecipient(m.To)
	if err != nil {
		return nil, "", err
	}

	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.FromName, s.From); err != nil {
		return nil, "", message.WithCause(err, "sender address {{.From}} is invalid: {{.Reason}}",
			"From", strconv.Quote(s.From), "Reason", err)
	}
	if err := msg.AddToFormat(m.ToName, to); err != nil {
		return nil, "", invalidMessage(message.WithCause(err, "recipient {{.To}} is invalid: {{.Reason}}",
			"To", strconv.Quote(m.To), "Reason", err))
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetDate()
	msg.SetMessageID()
	setBody(msg, m.Text, m.HTML)

	for _, a := range m.Attachments {
		if err := attach(msg, a); err != nil {
			return nil, "", invalidMessage(err)
		}
	}
	return msg, to, nil
}

func parseRecipient(to string) (string, error) {
	if strings.TrimSpace(to) == "" {
		return "", invalidMessage(message.NewError("recipient address is missing: add an email address to the customer"))
	}
	address, err := mail.ParseAddress(to)
	if err != nil {
		return "", invalidMessage(message.WithCause(err, "recipient address {{.To}} is invalid: {{.Reason}}",
			"To", strconv.Quote(to), "Reason", err))
	}
	return address.Address, nil
}

// oneLine joins the words of a subject with single spaces, so that a line
// break from a template cannot end the Subject header.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func setBody(msg *gomail.Msg, text, html string) {
	switch {
	case text != "" && html != "":
		msg.SetBodyString(gomail.TypeTextPlain, text)
		msg.AddAlternativeString(gomail.TypeTextHTML, html)
	case html != "":
		msg.SetBodyString(gomail.TypeTextHTML, html)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, text)
	}
}

func attach(msg *gomail.Msg, a Attachment) error {
	if strings.TrimSpace(a.Name) == "" {
		return message.NewError("attachment of {{.Bytes}} bytes has no file name", "Bytes", len(a.Data))
	}
	contentType := a.ContentType
	if contentType == "" {
		contentType = mime.TypeByExtension(filepath.Ext(a.Name))
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if _, _, err := mime.ParseMediaType(contentType); err != nil {
		return message.WithCause(err, "attachment {{.Name}} has an invalid content type {{.Type}}: {{.Reason}}",
			"Name", strconv.Quote(a.Name), "Type", strconv.Quote(contentType), "Reason", err)
	}

	msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data),
		gomail.WithFileContentType(gomail.ContentType(contentType)))
	return nil
}
