// Package importer reads customer sheets (.xlsx or .csv) into typed records
// and writes tables back to the same formats. It touches no database: it
// reports what is wrong with each cell, and the service layer adds the
// checks that need stored data, such as plan names and duplicate numbers.
package importer

import (
	"strings"
	"unicode"

	"github.com/ctvms/ctvms/billing/message"
)

// Field is a customer attribute that a sheet column can hold. Its value
// matches the field names of the service layer's validation errors, so a
// validation message can be placed on the right column.
type Field string

// Fields of an imported customer.
const (
	FieldCRF                  Field = "crf"
	FieldName                 Field = "name"
	FieldMobile               Field = "mobile"
	FieldEmail                Field = "email"
	FieldHouse                Field = "house"
	FieldStreet               Field = "street"
	FieldCity                 Field = "city"
	FieldState                Field = "state"
	FieldPostalCode           Field = "postal_code"
	FieldIDProofType          Field = "id_proof_type"
	FieldIDProofNumber        Field = "id_proof_number"
	FieldDateOfBirth          Field = "date_of_birth"
	FieldNotes                Field = "notes"
	FieldCablePlan            Field = "cable_plan"
	FieldCableDevice          Field = "cable_device"
	FieldCableActivation      Field = "cable_activation"
	FieldCablePaidThrough     Field = "cable_paid_through"
	FieldBroadbandPlan        Field = "broadband_plan"
	FieldBroadbandDevice      Field = "broadband_device"
	FieldBroadbandActivation  Field = "broadband_activation"
	FieldBroadbandPaidThrough Field = "broadband_paid_through"
)

// FieldInfo describes a field: the column title the export writes and the
// header names the mapping recognises.
type FieldInfo struct {
	Field Field
	// Label is the column title in exported files and on the screen.
	Label string
	// Synonyms are other header names for the field. They are compared
	// after headerKey, so case, spaces and punctuation do not matter.
	Synonyms []string
	// Required fields must be mapped to a column before a dry run.
	Required bool
}

// fieldInfos lists every field in the order of exported columns.
var fieldInfos = []FieldInfo{
	{FieldCRF, "CRF", []string{"CRF No", "CRF number", "Customer ID", "Customer No", "Cust ID"}, false},
	{FieldName, "Name", []string{"Customer name", "Full name"}, true},
	{FieldMobile, "Mobile", []string{"Phone", "Mobile No", "Mobile number", "Phone No", "Contact No"}, true},
	{FieldEmail, "Email", []string{"Email ID", "Email address", "E-mail"}, false},
	{FieldHouse, "House", []string{"House No", "Address line 1", "Address 1", "Address"}, false},
	{FieldStreet, "Street", []string{"Area", "Street or area", "Locality", "Address line 2", "Address 2"}, false},
	{FieldCity, "City", []string{"District", "Town", "City or district"}, false},
	{FieldState, "State", nil, false},
	{FieldPostalCode, "Postal code", []string{"PIN", "PIN code", "Pincode", "Zip", "Zip code", "Postcode"}, false},
	{FieldIDProofType, "ID proof type", []string{"ID type"}, false},
	{FieldIDProofNumber, "ID proof number", []string{"ID proof No", "ID number", "ID No"}, false},
	{FieldDateOfBirth, "Date of birth", []string{"DOB", "Birth date"}, false},
	{FieldNotes, "Notes", []string{"Note", "Remarks", "Comments"}, false},
	{FieldCablePlan, "Cable plan", []string{"Cable TV plan", "Cable package"}, false},
	{FieldCableDevice, "Set-top box", []string{"STB", "STB No", "Set-top box number", "Set-top box No"}, false},
	{FieldCableActivation, "Cable activation", []string{"Cable since", "Cable activation date",
		"Cable activated on", "Cable TV activation"}, false},
	{FieldCablePaidThrough, "Cable paid through", []string{"Cable paid till", "Cable paid upto",
		"Cable paid until", "Cable valid until", "Cable valid till", "Cable TV paid through"}, false},
	{FieldBroadbandPlan, "Broadband plan", []string{"Internet plan"}, false},
	{FieldBroadbandDevice, "Broadband device", []string{"ISP username", "Router MAC", "Broadband username",
		"MAC address"}, false},
	{FieldBroadbandActivation, "Broadband activation", []string{"Broadband since", "Broadband activation date",
		"Broadband activated on"}, false},
	{FieldBroadbandPaidThrough, "Broadband paid through", []string{"Broadband paid till", "Broadband paid upto",
		"Broadband paid until", "Broadband valid until", "Broadband valid till", "Internet paid through"}, false},
}

// Fields returns every field in the order of exported columns.
func Fields() []FieldInfo {
	return append([]FieldInfo(nil), fieldInfos...)
}

// Info returns the description of f, or a FieldInfo with only Field set
// when f is unknown.
func Info(f Field) FieldInfo {
	for _, fi := range fieldInfos {
		if fi.Field == f {
			return fi
		}
	}
	return FieldInfo{Field: f, Label: string(f)}
}

// Label returns the column title of f.
func (f Field) Label() string { return Info(f).Label }

// Text returns the column title of f for a message, which a screen
// translates.
func (f Field) Text() message.Text { return message.New(f.Label()) }

// headerKey folds a header name for matching: lower case, letters and
// digits only, so "Mobile No." and "mobile_no" are the same key.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fieldForHeader returns the field whose label or synonym matches header.
func fieldForHeader(header string) (Field, bool) {
	key := headerKey(header)
	if key == "" {
		return "", false
	}
	for _, fi := range fieldInfos {
		if headerKey(fi.Label) == key {
			return fi.Field, true
		}
		for _, s := range fi.Synonyms {
			if headerKey(s) == key {
				return fi.Field, true
			}
		}
	}
	return "", false
}
