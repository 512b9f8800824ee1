package mailer

// DefaultTemplate returns the built-in template of kind k, or an empty
// Template for an unknown kind.
func DefaultTemplate(k Kind) Template {
	switch k {
	case KindWelcome:
		return welcomeTemplate
	case KindOTP:
		return otpTemplate
	case KindInvoice:
		return invoiceTemplate
	case KindReminder:
		return reminderTemplate
	case KindComplaintReceived:
		return complaintReceivedTemplate
	case KindComplaintResolved:
		return complaintResolvedTemplate
	}
	return Template{}
}

// htmlPage wraps the body of a default HTML template in a page with inline
// styles, because many mail programs drop style sheets, and with the
// business details at the foot.
func htmlPage(body string) string {
	return htmlPageWithLabels(body, "Phone", "Email")
}

// htmlPageWithLabels is htmlPage with the labels of the phone and email
// lines of the foot in another language.
func htmlPageWithLabels(body, phone, email string) string {
	return `<!DOCTYPE html>
<html>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="max-width:560px;margin:0 auto;padding:24px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;">
<h1 style="margin:0 0 16px;font-size:20px;color:#1d4ed8;">{{.Business.Name}}</h1>
` + body + `
<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280;">
{{.Business.Name}}<br>
{{with .Business.Address}}{{.}}<br>{{end}}
{{with .Business.Phone}}` + phone + `: {{.}}<br>{{end}}
{{with .Business.Email}}` + email + `: {{.}}{{end}}
</p>
</div>
</body>
</html>
`
}

// textFooter ends every default text template with the business details.
const textFooter = `
--
{{.Business.Name}}
{{with .Business.Address}}{{.}}
{{end}}{{with .Business.Phone}}Phone: {{.}}
{{end}}{{with .Business.Email}}Email: {{.}}
{{end}}`

// Styles shared by the default HTML templates.
const (
	styleParagraph = `style="margin:0 0 12px;"`
	styleTable     = `style="border-collapse:collapse;margin:0 0 12px;"`
	styleLabel     = `style="padding:4px 12px 4px 0;color:#6b7280;vertical-align:top;"`
	styleValue     = `style="padding:4px 0;vertical-align:top;"`
	styleHeader    = `style="padding:6px 12px 6px 0;border-bottom:1px solid #d1d5db;text-align:left;"`
	styleCell      = `style="padding:6px 12px 6px 0;border-bottom:1px solid #e5e7eb;vertical-align:top;"`
	styleCode      = `style="margin:16px 0;font-size:28px;font-weight:bold;letter-spacing:6px;"`
)

// row returns a two-column table row of label and value.
func row(label, value string) string {
	return `<tr><td ` + styleLabel + `>` + label + `</td><td ` + styleValue + `>` + value + `</td></tr>
`
}

var welcomeTemplate = Template{
	Subject: `Welcome to {{.Business.Name}}`,
	Text: `Dear {{.CustomerName}},

Welcome to {{.Business.Name}}. Your customer account is ready, and you can now sign in to see your bills, pay online and raise complaints.

Customer number (CRF): {{.CRF}}
Username: {{.Username}}
Initial password: {{.Password}}

You must change this password the first time you sign in. Keep your new password to yourself.

If you have any questions, reply to this email or call us.
` + textFooter,
	HTML: htmlPage(`<p ` + styleParagraph + `>Dear {{.CustomerName}},</p>
<p ` + styleParagraph + `>Welcome to {{.Business.Name}}. Your customer account is ready, and you can now sign in to see your bills, pay online and raise complaints.</p>
<table ` + styleTable + `>
` + row("Customer number (CRF)", "{{.CRF}}") +
		row("Username", "<strong>{{.Username}}</strong>") +
		row("Initial password", "<strong>{{.Password}}</strong>") + `</table>
<p ` + styleParagraph + `>You must change this password the first time you sign in. Keep your new password to yourself.</p>
<p ` + styleParagraph + `>If you have any questions, reply to this email or call us.</p>`),
}

var otpTemplate = Template{
	Subject: `Your {{.Business.Name}} verification code`,
	Text: `Dear {{.Name}},

Use this code to change your password:

    {{.Code}}

The code is valid for {{.ValidMinutes}} minutes and works only once. Never share it with anyone. Our staff will never ask you for it.

If you did not ask to change your password, ignore this email and your password stays as it is.
` + textFooter,
	HTML: htmlPage(`<p ` + styleParagraph + `>Dear {{.Name}},</p>
<p ` + styleParagraph + `>Use this code to change your password:</p>
<p ` + styleCode + `>{{.Code}}</p>
<p ` + styleParagraph + `>The code is valid for {{.ValidMinutes}} minutes and works only once. <strong>Never share it with anyone.</strong> Our staff will never ask you for it.</p>
<p ` + styleParagraph + `>If you did not ask to change your password, ignore this email and your password stays as it is.</p>`),
}

var invoiceTemplate = Template{
	Subject: `Invoice {{.InvoiceNumber}} from {{.Business.Name}}`,
	Text: `Dear {{.CustomerName}},

Thank you for your payment. Your invoice {{.InvoiceNumber}} is attached to this email as a PDF.

Invoice number: {{.InvoiceNumber}}
Date: {{.IssuedOn}}
Customer number (CRF): {{.CRF}}
Service: {{.Service}}, {{.Plan}}
Period: {{.Periods}}
Amount paid: {{.Amount}} ({{.Mode}}{{with .Reference}}, reference {{.}}{{end}})
Balance due: {{.BalanceDue}}
Paid until: {{.NewExpiry}}

Please keep the invoice for your records.
` + textFooter,
	HTML: htmlPage(`<p ` + styleParagraph + `>Dear {{.CustomerName}},</p>
<p ` + styleParagraph + `>Thank you for your payment. Your invoice {{.InvoiceNumber}} is attached to this email as a PDF.</p>
<table ` + styleTable + `>
` + row("Invoice number", "{{.InvoiceNumber}}") +
		row("Date", "{{.IssuedOn}}") +
		row("Customer number (CRF)", "{{.CRF}}") +
		row("Service", "{{.Service}}, {{.Plan}}") +
		row("Period", "{{.Periods}}") +
		row("Amount paid", "<strong>{{.Amount}}</strong> ({{.Mode}}{{with .Reference}}, reference {{.}}{{end}})") +
		row("Balance due", "{{.BalanceDue}}") +
		row("Paid until", "{{.NewExpiry}}") + `</table>
<p ` + styleParagraph + `>Please keep the invoice for your records.</p>`),
}

var reminderTemplate = Template{
	Subject: `Payment reminder: {{.TotalDue}} due to {{.Business.Name}}`,
	Text: `Dear {{.CustomerName}},

This is a friendly reminder that the following amounts are due on your account (CRF {{.CRF}}):

{{range .Lines}}- {{.Service}}: {{.AmountDue}} for {{.MonthsPending}}
{{end}}
Total due: {{.TotalDue}}

Please pay at our office or online to keep your services running. If you have paid already, thank you, and please ignore this reminder.
` + textFooter,
	HTML: htmlPage(`<p ` + styleParagraph + `>Dear {{.CustomerName}},</p>
<p ` + styleParagraph + `>This is a friendly reminder that the following amounts are due on your account (CRF {{.CRF}}):</p>
<table ` + styleTable + `>
<tr><th ` + styleHeader + `>Service</th><th ` + styleHeader + `>Months pending</th><th ` + styleHeader + `>Amount due</th></tr>
{{range .Lines}}<tr><td ` + styleCell + `>{{.Service}}</td><td ` + styleCell + `>{{.MonthsPending}}</td><td ` + styleCell + `>{{.AmountDue}}</td></tr>
{{end}}<tr><td ` + styleCell + ` colspan="2"><strong>Total due</strong></td><td ` + styleCell + `><strong>{{.TotalDue}}</strong></td></tr>
</table>
<p ` + styleParagraph + `>Please pay at our office or online to keep your services running. If you have paid already, thank you, and please ignore this reminder.</p>`),
}

var complaintReceivedTemplate = Template{
	Subject: `Complaint {{.Number}} received`,
	Text: `Dear {{.CustomerName}},

We have received your complaint and will look into it soon.

Complaint number: {{.Number}}
Service: {{.Service}}
Category: {{.Category}}
Description: {{.Description}}
Status: {{.Status}}

Please quote the complaint number whenever you contact us about it.
` + textFooter,
	HTML: htmlPage(`<p ` + styleParagraph + `>Dear {{.CustomerName}},</p>
<p ` + styleParagraph + `>We have received your complaint and will look into it soon.</p>
<table ` + styleTable + `>
` + row("Complaint number", "<strong>{{.Number}}</strong>") +
		row("Service", "{{.Service}}") +
		row("Category", "{{.Category}}") +
		row("Description", "{{.Description}}") +
		row("Status", "{{.Status}}") + `</table>
<p ` + styleParagraph + `>Please quote the complaint number whenever you contact us about it.</p>`),
}

var complaintResolvedTemplate = Template{
	Subject: `Complaint {{.Number}} resolved`,
	Text: `Dear {{.CustomerName}},

Your complaint {{.Number}} about {{.Service}} has been resolved.

Resolution: {{.ResolutionNote}}

If the problem comes back, reply to this email or call us and quote the complaint number.
` + textFooter,
	HTML: htmlPage(`<p ` + styleParagraph + `>Dear {{.CustomerName}},</p>
<p ` + styleParagraph + `>Your complaint <strong>{{.Number}}</strong> about {{.Service}} has been resolved.</p>
<table ` + styleTable + `>
` + row("Complaint number", "{{.Number}}") +
		row("Category", "{{.Category}}") +
		row("Resolution", "{{.ResolutionNote}}") + `</table>
<p ` + styleParagraph + `>If the problem comes back, reply to this email or call us and quote the complaint number.</p>`),
}
