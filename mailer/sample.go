package mailer

// sampleBusiness is the operator shown in template previews.
var sampleBusiness = Business{
	Name:    "Sunrise Cable Network",
	Address: "14 Market Road, Thrissur 680001",
	Phone:   "+91 487 244 1234",
	Email:   "care@sunrisecable.example",
}

// SampleData returns made-up data of the type that kind k expects, for
// previews and for Validate, or nil for an unknown kind.
func SampleData(k Kind) any {
	switch k {
	case KindWelcome:
		return WelcomeData{
			Business:     sampleBusiness,
			CustomerName: "Anitha Menon",
			CRF:          1042,
			Username:     "1042",
			Password:     "tq7-Kd4m-Xw2p",
		}
	case KindOTP:
		return OTPData{Business: sampleBusiness, Name: "Anitha Menon", Code: "482915", ValidMinutes: 10}
	case KindInvoice:
		return sampleInvoice()
	case KindReminder:
		return sampleReminder()
	case KindComplaintReceived:
		return sampleComplaint("open", "")
	case KindComplaintResolved:
		return sampleComplaint("resolved", "The signal amplifier on your street was replaced. All channels are back.")
	}
	return nil
}

func sampleInvoice() InvoiceData {
	return InvoiceData{
		Business:      sampleBusiness,
		CustomerName:  "Anitha Menon",
		CRF:           1042,
		InvoiceNumber: "INV-2026-000128",
		IssuedOn:      "15 Jan 2027",
		Service:       "Cable TV",
		Plan:          "Family Pack",
		Periods:       "Dec 2026 to Jan 2027",
		Amount:        "₹700.00",
		Mode:          "online",
		Reference:     "UPI4827361950",
		BalanceDue:    "₹0.00",
		NewExpiry:     "31 Jan 2027",
	}
}

func sampleReminder() ReminderData {
	return ReminderData{
		Business:     sampleBusiness,
		CustomerName: "Anitha Menon",
		CRF:          1042,
		Lines: []ReminderLine{
			{Service: "Cable TV", AmountDue: "₹700.00", MonthsPending: "Dec 2026, Jan 2027"},
			{Service: "Broadband", AmountDue: "₹599.00", MonthsPending: "Jan 2027"},
		},
		TotalDue: "₹1,299.00",
	}
}

func sampleComplaint(status, resolution string) ComplaintData {
	return ComplaintData{
		Business:       sampleBusiness,
		CustomerName:   "Anitha Menon",
		CRF:            1042,
		Number:         "CMP-2027-00017",
		Service:        "Cable TV",
		Category:       "No signal",
		Description:    "No picture on any channel since this morning.",
		Status:         status,
		ResolutionNote: resolution,
	}
}
