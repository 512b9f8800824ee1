package mailer

import "github.com/ctvms/ctvms/billing"

// DefaultTemplateFor returns the built-in template of kind k in language
// l. Languages without their own templates get the English ones, and an
// unknown kind gets an empty Template.
func DefaultTemplateFor(k Kind, l billing.Language) Template {
	if l != billing.Spanish {
		return DefaultTemplate(k)
	}
	switch k {
	case KindWelcome:
		return welcomeTemplateES
	case KindOTP:
		return otpTemplateES
	case KindInvoice:
		return invoiceTemplateES
	case KindReminder:
		return reminderTemplateES
	case KindComplaintReceived:
		return complaintReceivedTemplateES
	case KindComplaintResolved:
		return complaintResolvedTemplateES
	}
	return Template{}
}

// htmlPageES wraps the body of a Spanish HTML template like htmlPage.
func htmlPageES(body string) string {
	return htmlPageWithLabels(body, "Teléfono", "Correo")
}

// textFooterES ends every Spanish text template with the business details.
const textFooterES = `
--
{{.Business.Name}}
{{with .Business.Address}}{{.}}
{{end}}{{with .Business.Phone}}Teléfono: {{.}}
{{end}}{{with .Business.Email}}Correo: {{.}}
{{end}}`

var welcomeTemplateES = Template{
	Subject: `Bienvenido(a) a {{.Business.Name}}`,
	Text: `Estimado(a) {{.CustomerName}}:

Bienvenido(a) a {{.Business.Name}}. Su cuenta de cliente está lista y ya puede iniciar sesión para ver sus facturas, pagar en línea y registrar reclamos.

Número de cliente (CRF): {{.CRF}}
Usuario: {{.Username}}
Contraseña inicial: {{.Password}}

Debe cambiar esta contraseña la primera vez que inicie sesión. No comparta su nueva contraseña con nadie.

Si tiene alguna pregunta, responda a este correo o llámenos.
` + textFooterES,
	HTML: htmlPageES(`<p ` + styleParagraph + `>Estimado(a) {{.CustomerName}}:</p>
<p ` + styleParagraph + `>Bienvenido(a) a {{.Business.Name}}. Su cuenta de cliente está lista y ya puede iniciar sesión para ver sus facturas, pagar en línea y registrar reclamos.</p>
<table ` + styleTable + `>
` + row("Número de cliente (CRF)", "{{.CRF}}") +
		row("Usuario", "<strong>{{.Username}}</strong>") +
		row("Contraseña inicial", "<strong>{{.Password}}</strong>") + `</table>
<p ` + styleParagraph + `>Debe cambiar esta contraseña la primera vez que inicie sesión. No comparta su nueva contraseña con nadie.</p>
<p ` + styleParagraph + `>Si tiene alguna pregunta, responda a este correo o llámenos.</p>`),
}

var otpTemplateES = Template{
	Subject: `Su código de verificación de {{.Business.Name}}`,
	Text: `Estimado(a) {{.Name}}:

Use este código para cambiar su contraseña:

    {{.Code}}

El código es válido durante {{.ValidMinutes}} minutos y sirve una sola vez. No lo comparta con nadie. Nuestro personal nunca se lo pedirá.

Si usted no pidió cambiar su contraseña, ignore este correo y su contraseña seguirá igual.
` + textFooterES,
	HTML: htmlPageES(`<p ` + styleParagraph + `>Estimado(a) {{.Name}}:</p>
<p ` + styleParagraph + `>Use este código para cambiar su contraseña:</p>
<p ` + styleCode + `>{{.Code}}</p>
<p ` + styleParagraph + `>El código es válido durante {{.ValidMinutes}} minutos y sirve una sola vez. <strong>No lo comparta con nadie.</strong> Nuestro personal nunca se lo pedirá.</p>
<p ` + styleParagraph + `>Si usted no pidió cambiar su contraseña, ignore este correo y su contraseña seguirá igual.</p>`),
}

var invoiceTemplateES = Template{
	Subject: `Factura {{.InvoiceNumber}} de {{.Business.Name}}`,
	Text: `Estimado(a) {{.CustomerName}}:

Gracias por su pago. Adjuntamos a este correo su factura {{.InvoiceNumber}} en PDF.

Número de factura: {{.InvoiceNumber}}
Fecha: {{.IssuedOn}}
Número de cliente (CRF): {{.CRF}}
Servicio: {{.Service}}, {{.Plan}}
Período: {{.Periods}}
Monto pagado: {{.Amount}} ({{.Mode}}{{with .Reference}}, referencia {{.}}{{end}})
Saldo pendiente: {{.BalanceDue}}
Pagado hasta: {{.NewExpiry}}

Conserve la factura para sus registros.
` + textFooterES,
	HTML: htmlPageES(`<p ` + styleParagraph + `>Estimado(a) {{.CustomerName}}:</p>
<p ` + styleParagraph + `>Gracias por su pago. Adjuntamos a este correo su factura {{.InvoiceNumber}} en PDF.</p>
<table ` + styleTable + `>
` + row("Número de factura", "{{.InvoiceNumber}}") +
		row("Fecha", "{{.IssuedOn}}") +
		row("Número de cliente (CRF)", "{{.CRF}}") +
		row("Servicio", "{{.Service}}, {{.Plan}}") +
		row("Período", "{{.Periods}}") +
		row("Monto pagado", "<strong>{{.Amount}}</strong> ({{.Mode}}{{with .Reference}}, referencia {{.}}{{end}})") +
		row("Saldo pendiente", "{{.BalanceDue}}") +
		row("Pagado hasta", "{{.NewExpiry}}") + `</table>
<p ` + styleParagraph + `>Conserve la factura para sus registros.</p>`),
}

var reminderTemplateES = Template{
	Subject: `Recordatorio de pago: {{.TotalDue}} pendiente con {{.Business.Name}}`,
	Text: `Estimado(a) {{.CustomerName}}:

Le recordamos que su cuenta (CRF {{.CRF}}) tiene los siguientes montos pendientes:

{{range .Lines}}- {{.Service}}: {{.AmountDue}} por {{.MonthsPending}}
{{end}}
Total pendiente: {{.TotalDue}}

Pague en nuestra oficina o en línea para mantener sus servicios activos. Si ya pagó, le agradecemos y le pedimos que ignore este recordatorio.
` + textFooterES,
	HTML: htmlPageES(`<p ` + styleParagraph + `>Estimado(a) {{.CustomerName}}:</p>
<p ` + styleParagraph + `>Le recordamos que su cuenta (CRF {{.CRF}}) tiene los siguientes montos pendientes:</p>
<table ` + styleTable + `>
<tr><th ` + styleHeader + `>Servicio</th><th ` + styleHeader + `>Meses pendientes</th><th ` + styleHeader + `>Saldo pendiente</th></tr>
{{range .Lines}}<tr><td ` + styleCell + `>{{.Service}}</td><td ` + styleCell + `>{{.MonthsPending}}</td><td ` + styleCell + `>{{.AmountDue}}</td></tr>
{{end}}<tr><td ` + styleCell + ` colspan="2"><strong>Total pendiente</strong></td><td ` + styleCell + `><strong>{{.TotalDue}}</strong></td></tr>
</table>
<p ` + styleParagraph + `>Pague en nuestra oficina o en línea para mantener sus servicios activos. Si ya pagó, le agradecemos y le pedimos que ignore este recordatorio.</p>`),
}

var complaintReceivedTemplateES = Template{
	Subject: `Reclamo {{.Number}} recibido`,
	Text: `Estimado(a) {{.CustomerName}}:

Recibimos su reclamo y lo revisaremos pronto.

Número de reclamo: {{.Number}}
Servicio: {{.Service}}
Categoría: {{.Category}}
Descripción: {{.Description}}
Estado: {{.Status}}

Indique el número de reclamo cada vez que se comunique con nosotros sobre este tema.
` + textFooterES,
	HTML: htmlPageES(`<p ` + styleParagraph + `>Estimado(a) {{.CustomerName}}:</p>
<p ` + styleParagraph + `>Recibimos su reclamo y lo revisaremos pronto.</p>
<table ` + styleTable + `>
` + row("Número de reclamo", "<strong>{{.Number}}</strong>") +
		row("Servicio", "{{.Service}}") +
		row("Categoría", "{{.Category}}") +
		row("Descripción", "{{.Description}}") +
		row("Estado", "{{.Status}}") + `</table>
<p ` + styleParagraph + `>Indique el número de reclamo cada vez que se comunique con nosotros sobre este tema.</p>`),
}

var complaintResolvedTemplateES = Template{
	Subject: `Reclamo {{.Number}} resuelto`,
	Text: `Estimado(a) {{.CustomerName}}:

Su reclamo {{.Number}} sobre {{.Service}} fue resuelto.

Solución: {{.ResolutionNote}}

Si el problema vuelve a presentarse, responda a este correo o llámenos e indique el número de reclamo.
` + textFooterES,
	HTML: htmlPageES(`<p ` + styleParagraph + `>Estimado(a) {{.CustomerName}}:</p>
<p ` + styleParagraph + `>Su reclamo <strong>{{.Number}}</strong> sobre {{.Service}} fue resuelto.</p>
<table ` + styleTable + `>
` + row("Número de reclamo", "{{.Number}}") +
		row("Categoría", "{{.Category}}") +
		row("Solución", "{{.ResolutionNote}}") + `</table>
<p ` + styleParagraph + `>Si el problema vuelve a presentarse, responda a este correo o llámenos e indique el número de reclamo.</p>`),
}
