package mailer

// Kind names one of the six emails that the program sends. Its value is
// stored in the database, so it must not change.
type Kind string

// The kinds of email, each with its own template and data type.
const (
	KindWelcome           Kind = "welcome"            // data: WelcomeData
	KindOTP               Kind = "otp"                // data: OTPData
	KindInvoice           Kind = "invoice"            // data: InvoiceData
	KindReminder          Kind = "reminder"           // data: ReminderData
	KindComplaintReceived Kind = "complaint_received" // data: ComplaintData
	KindComplaintResolved Kind = "complaint_resolved" // data: ComplaintData
)

// Kinds returns every kind in the order the template editor lists them.
func Kinds() []Kind {
	return []Kind{
		KindWelcome,
		KindOTP,
		KindInvoice,
		KindReminder,
		KindComplaintReceived,
		KindComplaintResolved,
	}
}

// Label returns the name of the kind for people, or the raw value for an
// unknown kind.
func (k Kind) Label() string {
	switch k {
	case KindWelcome:
		return "Welcome"
	case KindOTP:
		return "Password OTP"
	case KindInvoice:
		return "Invoice"
	case KindReminder:
		return "Payment reminder"
	case KindComplaintReceived:
		return "Complaint received"
	case KindComplaintResolved:
		return "Complaint resolved"
	}
	return string(k)
}

// The data types below carry values already formatted for reading, such as
// amounts with their currency and dates, so templates need no functions.

// Business is the operator that sends the email, shown in every template.
type Business struct {
	Name    string
	Address string
	Phone   string
	Email   string
}

// WelcomeData is the data of the welcome email, sent when a customer's
// login is created.
type WelcomeData struct {
	Business     Business
	CustomerName string
	CRF          int64
	Username     string
	// Password is the initial password, which must be changed at first login.
	Password string
}

// OTPData is the data of the email with a one-time password for changing
// the login password.
type OTPData struct {
	Business     Business
	Name         string
	Code         string
	ValidMinutes int
}

// InvoiceData is the data of the email sent with the invoice PDF after a
// payment.
type InvoiceData struct {
	Business      Business
	CustomerName  string
	CRF           int64
	InvoiceNumber string
	IssuedOn      string
	Service       string
	Plan          string
	Periods       string
	Amount        string
	Mode          string
	Reference     string
	BalanceDue    string
	NewExpiry     string
}

// ReminderLine is one service with an amount due in a reminder.
type ReminderLine struct {
	Service   string
	AmountDue string
	// MonthsPending lists the unpaid months, such as "Dec 2026, Jan 2027".
	MonthsPending string
}

// ReminderData is the data of the payment reminder email.
type ReminderData struct {
	Business     Business
	CustomerName string
	CRF          int64
	Lines        []ReminderLine
	TotalDue     string
}

// ComplaintData is the data of the complaint received and complaint
// resolved emails.
type ComplaintData struct {
	Business       Business
	CustomerName   string
	CRF            int64
	Number         string
	Service        string
	Category       string
	Description    string
	Status         string
	ResolutionNote string
}
