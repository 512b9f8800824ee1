package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store/importer"
	"github.com/ctvms/ctvms/store/service"
)

// useSpanish shows the texts in Spanish until the test ends.
func useSpanish(t *testing.T) {
	t.Helper()
	applyLanguage(billing.Spanish)
	t.Cleanup(func() { applyLanguage(billing.English) })
}

func TestSpanishImportFields(t *testing.T) {
	e := newUIEnv(t)
	chooseSpanish(t, e)
	e.login("admin", testAdminPassword)
	s := e.openImport()

	sameInSpanish := []importer.Field{importer.FieldCRF}
	for _, fi := range importer.Fields() {
		got := fieldLabel(fi.Field)
		if got == fi.Label && !slices.Contains(sameInSpanish, fi.Field) {
			t.Errorf("field %s is shown as %q, the English label", fi.Field, got)
		}
	}
	if got := fieldLabel(importer.FieldCablePaidThrough); got != "Cable pagado hasta" {
		t.Errorf("cable paid through = %q, want Cable pagado hasta", got)
	}
	if got := s.selects[importer.FieldHouse].Selected; got != "(omitir)" {
		t.Errorf("unmapped house = %q, want (omitir)", got)
	}

	s.onFileChosen(writeImportFile(t, "bad.csv", importCSVWithProblems))
	s.work.Wait()
	s.onDryRun()
	s.work.Wait()
	if n, _ := s.problems.Length(); n != 2 {
		t.Fatalf("problems table has %d rows, want 2: %v", n, s.report.Problems)
	}
	mobile := s.problemCell(tableCell(0, 2))
	if !strings.Contains(mobile, `El número de celular "98765" no es válido`) {
		t.Errorf("mobile problem = %q, want it in Spanish", mobile)
	}
	plan := s.problemCell(tableCell(1, 2))
	if !strings.Contains(plan, "no es un plan de TV por cable") || !strings.HasPrefix(plan, "Plan de cable:") {
		t.Errorf("plan problem = %q, want it in Spanish", plan)
	}
}

func TestSpanishMappingError(t *testing.T) {
	newUIEnv(t)
	useSpanish(t)
	err := importer.Mapping{}.Check([]string{"Nombre"})
	got := plainMessage(err)
	want := "La asignación de columnas no es válida: elija la columna que contiene Nombre; " +
		"elija la columna que contiene Celular."
	if got != want {
		t.Errorf("mapping error = %q, want %q", got, want)
	}
}

func TestServiceErrorsInSpanish(t *testing.T) {
	newUIEnv(t)
	badYear := service.ReportFilter{Service: billing.ServiceCableTV, Year: 0, Month: time.December,
		Kind: service.ReportPaid, Format: report.FormatPDF}
	tests := []struct {
		name             string
		err              error
		english, spanish string
	}{
		{"field error", service.CheckMobile("12"),
			`Mobile number "12" is invalid: use 7 to 15 digits, such as 9876543210 or +919876543210.`,
			`El número de celular "12" no es válido: use de 7 a 15 dígitos, por ejemplo 9876543210 o +919876543210.`},
		{"wrapped sentinel", fmt.Errorf("preview: %w", badYear.Check()),
			"Invalid report filter: year 0 is invalid; use a year from 1900 to 9999.",
			"Filtro de informe no válido: el año 0 no es válido; use un año de 1900 a 9999."},
		{"money", service.CheckAmount("-5"),
			`"-5" is negative; type a positive amount.`,
			`"-5" es negativo; escriba un importe positivo.`},
		{"forbidden", fmt.Errorf("load: %w", service.ErrForbidden),
			"Not allowed for this account.", "No está permitido para esta cuenta."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainMessage(tt.err); got != tt.english {
				t.Errorf("English = %q, want %q", got, tt.english)
			}
			useSpanish(t)
			if got := plainMessage(tt.err); got != tt.spanish {
				t.Errorf("Spanish = %q, want %q", got, tt.spanish)
			}
		})
	}
}

func TestSpanishFieldErrorWithLabel(t *testing.T) {
	e := newUIEnv(t)
	admin, err := e.svc.Login(context.Background(), "admin", testAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	err = e.svc.SaveBusinessSettings(context.Background(), admin, service.BusinessSettingsInput{
		BusinessName: " ", CurrencySymbol: "₹", MinimumPayment: "abc", GraceDays: "60", ReminderDailyLimit: "450"})
	fe, ok := service.AsFieldErrors(err)
	if !ok {
		t.Fatalf("error = %v, want field errors", err)
	}
	useSpanish(t)
	var name, minimum string
	for _, e := range fe {
		switch e.Field {
		case "business_name":
			name = fieldMessage(e)
		case "minimum_payment":
			minimum = fieldMessage(e)
		}
	}
	if name != "El campo «Nombre del negocio» es obligatorio." {
		t.Errorf("business name error = %q", name)
	}
	if !strings.HasPrefix(minimum, `Pago mínimo: "abc" contiene caracteres`) {
		t.Errorf("minimum payment error = %q", minimum)
	}
}
