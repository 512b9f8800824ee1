package mailer

import (
	"strings"
	"testing"
)

func TestKindsHaveLabelTemplateAndData(t *testing.T) {
	kinds := Kinds()
	if len(kinds) != 6 {
		t.Fatalf("Kinds() has %d kinds, want 6", len(kinds))
	}
	labels := map[string]bool{}
	for _, k := range kinds {
		label := k.Label()
		if label == string(k) || label == "" {
			t.Errorf("%s has no label for people", k)
		}
		if labels[label] {
			t.Errorf("label %q is used twice", label)
		}
		labels[label] = true
		if DefaultTemplate(k) == (Template{}) {
			t.Errorf("%s has no default template", k)
		}
		if SampleData(k) == nil {
			t.Errorf("%s has no sample data", k)
		}
	}
	if got := Kind("birthday").Label(); got != "birthday" {
		t.Errorf("unknown kind label = %q, want the raw value", got)
	}
}

func TestDefaultTemplatesValidate(t *testing.T) {
	for _, k := range Kinds() {
		if err := Validate(k, DefaultTemplate(k)); err != nil {
			t.Errorf("default %s template is invalid: %v", k, err)
		}
	}
}

func TestDefaultTemplatesRender(t *testing.T) {
	// Each kind's rendered email must carry these facts in both bodies.
	tests := []struct {
		kind Kind
		want []string
	}{
		{KindWelcome, []string{"Anitha Menon", "1042", "tq7-Kd4m-Xw2p", "change this password the first time you sign in"}},
		{KindOTP, []string{"482915", "valid for 10 minutes", "Never share it"}},
		{KindInvoice, []string{"INV-2026-000128", "attached to this email as a PDF", "₹700.00", "UPI4827361950", "31 Jan 2027"}},
		{KindReminder, []string{"Cable TV", "₹700.00", "Dec 2026, Jan 2027", "Broadband", "₹599.00", "₹1,299.00"}},
		{KindComplaintReceived, []string{"CMP-2027-00017", "No signal", "No picture on any channel"}},
		{KindComplaintResolved, []string{"CMP-2027-00017", "The signal amplifier on your street was replaced."}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			message, err := Render(DefaultTemplate(tt.kind), SampleData(tt.kind))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if message.Subject == "" || strings.Contains(message.Subject, "\n") {
				t.Errorf("subject %q is empty or spans lines", message.Subject)
			}
			if message.To != "" {
				t.Errorf("Render set the recipient to %q", message.To)
			}
			for _, want := range tt.want {
				if !strings.Contains(message.Text, want) {
					t.Errorf("text body lacks %q", want)
				}
				if !strings.Contains(message.HTML, want) {
					t.Errorf("HTML body lacks %q", want)
				}
			}
			if !strings.Contains(message.Text, "Sunrise Cable Network") {
				t.Error("text body lacks the business name")
			}
			if strings.Contains(message.HTML, "<img") || strings.Contains(message.HTML, "<link") {
				t.Error("HTML body loads external resources")
			}
		})
	}
}

func TestValidateReportsPartLineAndReason(t *testing.T) {
	valid := DefaultTemplate(KindWelcome)
	tests := []struct {
		name     string
		template Template
		want     string
	}{
		{
			name:     "undefined function in HTML",
			template: Template{Subject: valid.Subject, HTML: "<p>\nHello\n</p>\n{{foo .CustomerName}}"},
			want:     `HTML body, line 4: function "foo" not defined`,
		},
		{
			name:     "unknown field in text",
			template: Template{Subject: valid.Subject, Text: "Dear {{.CustomerName}},\n\n{{.Nope}}"},
			want:     "Text body, line 3: <.Nope>: can't evaluate field Nope",
		},
		{
			name:     "unclosed action in subject",
			template: Template{Subject: "Welcome {{.CustomerName", Text: valid.Text},
			want:     "Subject, line 1: unclosed action",
		},
		{
			name:     "unclosed attribute in HTML",
			template: Template{Subject: valid.Subject, HTML: `<a href="{{.Username}}`},
			want:     "HTML body: the template ends inside an unclosed tag",
		},
		{
			name:     "empty subject",
			template: Template{Subject: "  ", Text: valid.Text},
			want:     "the subject is empty",
		},
		{
			name:     "both bodies empty",
			template: Template{Subject: valid.Subject},
			want:     "both bodies are empty",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(KindWelcome, tt.template)
			if err == nil {
				t.Fatalf("Validate accepted the template, want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateReportsEveryFailingPart(t *testing.T) {
	template := Template{Subject: "{{.Nope}}", Text: "{{.Nope}}", HTML: "{{.Nope}}"}

	err := Validate(KindOTP, template)
	if err == nil {
		t.Fatal("Validate accepted three broken parts")
	}
	for _, part := range []string{"Subject, line 1", "Text body, line 1", "HTML body, line 1"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("Validate error %q does not name %q", err, part)
		}
	}
}

func TestValidateUsesKindData(t *testing.T) {
	// The OTP data has a Code field and the welcome data does not.
	template := Template{Subject: "Code", Text: "{{.Code}}"}

	if err := Validate(KindOTP, template); err != nil {
		t.Errorf("Validate(otp) = %v, want nil", err)
	}
	if err := Validate(KindWelcome, template); err == nil {
		t.Error("Validate(welcome) accepted a field that WelcomeData lacks")
	}
	if err := Validate(Kind("birthday"), template); err == nil || !strings.Contains(err.Error(), `"birthday" is unknown`) {
		t.Errorf("Validate(unknown kind) = %v, want an unknown kind error", err)
	}
}

func TestRenderReminderMonthsAcrossYears(t *testing.T) {
	data := sampleReminder()
	data.Lines = []ReminderLine{{Service: "Cable TV", AmountDue: "₹700.00", MonthsPending: "Dec 2026, Jan 2027"}}

	message, err := Render(DefaultTemplate(KindReminder), data)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	for _, month := range []string{"Dec 2026", "Jan 2027"} {
		if !strings.Contains(message.Text, month) {
			t.Errorf("text body lacks %q", month)
		}
		if !strings.Contains(message.HTML, month) {
			t.Errorf("HTML body lacks %q", month)
		}
	}
}

func TestRenderEscapesOnlyHTML(t *testing.T) {
	template := Template{Subject: "About {{.Name}}", Text: "Hi {{.Name}}", HTML: "<p>Hi {{.Name}}</p>"}
	data := OTPData{Name: `<b>Tom & "Jerry"</b>`}

	message, err := Render(template, data)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if want := `About <b>Tom & "Jerry"</b>`; message.Subject != want {
		t.Errorf("subject = %q, want %q", message.Subject, want)
	}
	if want := `Hi <b>Tom & "Jerry"</b>`; message.Text != want {
		t.Errorf("text = %q, want %q", message.Text, want)
	}
	if want := `<p>Hi &lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;</p>`; message.HTML != want {
		t.Errorf("HTML = %q, want %q", message.HTML, want)
	}
}

func TestRenderJoinsSubjectLines(t *testing.T) {
	template := Template{Subject: "Complaint\n{{.Number}}\r\n  received", Text: "x"}

	message, err := Render(template, ComplaintData{Number: "CMP-2027-00017"})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if want := "Complaint CMP-2027-00017 received"; message.Subject != want {
		t.Errorf("subject = %q, want %q", message.Subject, want)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("Anitha Menon", "Cable TV", "₹700.00", "Dec 2026, Jan 2027", "₹1,299.00")
	f.Add("<script>alert(1)</script>", "<b>TV</b>", "1 < 2", "<!--", "</table>")
	f.Add("{{.Business}}", `"quoted" & 'single'`, "\x00\xff", "\n\r\t", "")
	template := DefaultTemplate(KindReminder)

	f.Fuzz(func(t *testing.T, name, service, amount, months, total string) {
		data := reminderData(name, service, amount, months, total)
		message, err := Render(template, data)
		if err != nil {
			t.Fatalf("Render failed: %v", err)
		}

		// With every '<' in the data replaced, the template's own markup
		// gives the same number of '<', so any extra '<' came from the data.
		clean := reminderData(withoutLT(name), withoutLT(service), withoutLT(amount), withoutLT(months), withoutLT(total))
		reference, err := Render(template, clean)
		if err != nil {
			t.Fatalf("Render without '<' failed: %v", err)
		}
		if got, want := strings.Count(message.HTML, "<"), strings.Count(reference.HTML, "<"); got != want {
			t.Errorf("HTML has %d '<', want %d: a value reached the HTML unescaped", got, want)
		}
		if !strings.Contains(message.Text, months) {
			t.Errorf("text body lacks the months %q", months)
		}
	})
}

func reminderData(name, service, amount, months, total string) ReminderData {
	return ReminderData{
		Business:     Business{Name: name, Address: service, Phone: amount, Email: total},
		CustomerName: name,
		CRF:          1042,
		Lines: []ReminderLine{
			{Service: service, AmountDue: amount, MonthsPending: months},
			{Service: total, AmountDue: months, MonthsPending: name},
		},
		TotalDue: total,
	}
}

// withoutLT replaces every '<' with '_', keeping empty values empty for
// the {{with}} actions of the template.
func withoutLT(s string) string {
	return strings.ReplaceAll(s, "<", "_")
}
