package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/importer"
	"github.com/ctvms/ctvms/store/service"
)

// checkSpanish fails the test when got lacks the Spanish text want or
// still contains the English text english.
func checkSpanish(t *testing.T, what, got, want, english string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", what, got, want)
	}
	if strings.Contains(got, english) {
		t.Errorf("%s = %q, still contains the English %q", what, got, english)
	}
}

func TestSpanishSMTPChecks(t *testing.T) {
	e := newUIEnv(t)
	admin := adminSession(t, e)
	err := e.svc.SaveSMTPSettings(context.Background(), admin, service.SMTPInput{Host: "smtp://mail.example.com",
		Port: "70000", Security: "ssl", Username: "billing", From: "Billing <billing@example.com>", FromName: "A\nB"})
	fe, ok := service.AsFieldErrors(err)
	if !ok {
		t.Fatalf("error = %v, want field errors", err)
	}
	if got := fe.For("host"); !strings.Contains(got, "without a scheme") {
		t.Errorf("English host error = %q", got)
	}

	useSpanish(t)
	messages := map[string]string{}
	for _, e := range fe {
		messages[e.Field] = fieldMessage(e)
	}
	tests := []struct {
		field, spanish, english string
	}{
		{"host", `El servidor SMTP "smtp://mail.example.com" no es válido: escriba el nombre del servidor sin un esquema`,
			"is invalid"},
		{"port", "El puerto SMTP 70000 no es válido: debe estar entre 1 y 65535", "must be between"},
		{"security", `La seguridad SMTP "ssl" no es válida: debe ser "starttls", "tls" o "none"`, "it must be"},
		{"password", `Falta la contraseña SMTP del usuario "billing".`, "is missing"},
		{"from", `La dirección del remitente "Billing <billing@example.com>" no es válida`, "plain address"},
		{"from_name", "El nombre del remitente no es válido: debe caber en una sola línea.", "one line"},
	}
	for _, tt := range tests {
		checkSpanish(t, tt.field, messages[tt.field], tt.spanish, tt.english)
	}
	checkSpanish(t, "dialog", plainMessage(err), "no es válido", "is invalid")
}

func TestSpanishStoreErrors(t *testing.T) {
	e := newUIEnv(t)
	ctx := context.Background()
	admin := e.adminSession()
	nc := e.addConnectedCustomer("Ana Ruiz", "350")
	conns, err := e.svc.Connections(ctx, admin, nc.CRF)
	if err != nil || len(conns) != 1 {
		t.Fatalf("connections = %v, %v; want one", conns, err)
	}
	conn := conns[0]
	customer, err := e.svc.Customer(ctx, admin, nc.CRF)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		run      func() error
		sentinel error
		english  string
		spanish  string
	}{
		{"duplicate mobile", func() error {
			_, err := e.svc.CreateCustomer(ctx, admin, store.CustomerParams{Name: "Luis Vega", Mobile: customer.Mobile})
			return err
		}, nil, fmt.Sprintf("already belongs to CRF %d", nc.CRF),
			fmt.Sprintf("El número de celular %s ya pertenece al CRF %d.", customer.Mobile, nc.CRF)},
		{"service taken", func() error {
			_, err := e.svc.Connect(ctx, admin, nc.CRF, service.ConnectInput{Service: billing.ServiceCableTV,
				PlanID: conn.PlanID})
			return err
		}, store.ErrServiceTaken, "already has a Cable TV connection",
			fmt.Sprintf("El cliente %d ya tiene una conexión de TV por cable", nc.CRF)},
		{"plan in use", func() error {
			return e.svc.UpdatePlan(ctx, admin, conn.PlanID, service.PlanInput{Service: billing.ServiceBroadband,
				Name: "Plan 350", Price: "350", Active: true})
		}, store.ErrPlanInUse, "so its service cannot change to Broadband",
			fmt.Sprintf("usan el plan %d, así que su servicio no puede cambiar a Internet", conn.PlanID)},
		{"duplicate plan", func() error {
			_, err := e.svc.CreatePlan(ctx, admin, service.PlanInput{Service: billing.ServiceCableTV,
				Name: "PLAN 350", Price: "400", Active: true})
			return err
		}, store.ErrDuplicatePlan, `A Cable TV plan named "Plan 350" already exists`,
			`Ya existe un plan de TV por cable llamado "Plan 350"`},
		{"customer owes", func() error {
			return e.svc.ArchiveCustomer(ctx, admin, nc.CRF)
		}, store.ErrCustomerOwes, "350.00 is still due",
			fmt.Sprintf("No se puede dar de baja al cliente %d: todavía tiene 350.00 de saldo pendiente", nc.CRF)},
		{"connection owes", func() error {
			if err := e.svc.Disconnect(ctx, admin, conn.ID); err != nil {
				return err
			}
			return e.svc.Reconnect(ctx, admin, conn.ID)
		}, store.ErrConnectionOwes, "cannot be reconnected: 350.00 is still due",
			fmt.Sprintf("La conexión %d no se puede reconectar: todavía tiene 350.00 de saldo pendiente", conn.ID)},
		{"already disconnected", func() error {
			return e.svc.Disconnect(ctx, admin, conn.ID)
		}, store.ErrAlreadyDisconnected, "is already disconnected",
			fmt.Sprintf("La conexión %d ya está desconectada.", conn.ID)},
		{"complaint resolved", func() error {
			return resolveComplaintTwice(ctx, e, admin, nc.CRF)
		}, store.ErrComplaintResolved, "is already resolved, so it cannot change any more",
			"ya está resuelto, así que ya no puede cambiar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("error = nil")
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			english := plainMessage(err)
			if !strings.Contains(english, tt.english) {
				t.Errorf("English = %q, want it to contain %q", english, tt.english)
			}
			useSpanish(t)
			checkSpanish(t, "Spanish", plainMessage(err), tt.spanish, english)
		})
	}
}

// resolveComplaintTwice raises a complaint for crf and resolves it twice,
// returning the error of the second resolution.
func resolveComplaintTwice(ctx context.Context, e *uiEnv, admin service.Session, crf int64) error {
	res, err := e.svc.RaiseComplaint(ctx, admin, service.ComplaintInput{CRF: crf, Service: billing.ServiceCableTV,
		Category: store.CategoryNoSignal, Description: "No picture on any channel since morning."})
	if err != nil {
		return err
	}
	if _, err := e.svc.ResolveComplaint(ctx, admin, res.Complaint.ID, "Cable fixed"); err != nil {
		return err
	}
	_, err = e.svc.ResolveComplaint(ctx, admin, res.Complaint.ID, "Cable fixed")
	return err
}

func TestSpanishImportFileErrors(t *testing.T) {
	e := newUIEnv(t)
	admin := e.adminSession()
	missing := filepath.Join(t.TempDir(), "missing.csv")
	tests := []struct {
		name, path        string
		english, spanish  string
		sentinel          error
		keepsSystemReason bool
	}{
		{"unsupported type", writeImportFile(t, "customers.pdf", "%PDF-1.7"),
			`Unsupported file type ".pdf": save the sheet as .xlsx or .csv.`,
			`Tipo de archivo ".pdf" no admitido: guarde la hoja como .xlsx o .csv.`, importer.ErrUnsupportedFile, false},
		{"not UTF-8", writeImportFile(t, "latin1.csv", "Name,Mobile\nJos\xe9,9876543210\n"),
			`File latin1.csv cannot be read: line 2 is not UTF-8 text: save the file as "CSV UTF-8".`,
			`No se puede leer el archivo latin1.csv: la línea 2 no es texto UTF-8: guarde el archivo como "CSV UTF-8".`, nil, false},
		{"empty file", writeImportFile(t, "empty.csv", ""),
			"File empty.csv cannot be read: the first row has no column names",
			"No se puede leer el archivo empty.csv: la primera fila no tiene nombres de columna", nil, false},
		{"missing file", missing, "File missing.csv cannot be opened: ",
			"No se puede abrir el archivo missing.csv: ", os.ErrNotExist, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.PreviewImport(context.Background(), admin, tt.path, "")
			if err == nil {
				t.Fatal("error = nil")
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			english := plainMessage(err)
			if !strings.Contains(english, tt.english) {
				t.Errorf("English = %q, want it to contain %q", english, tt.english)
			}
			useSpanish(t)
			spanish := plainMessage(err)
			if !strings.Contains(spanish, tt.spanish) {
				t.Errorf("Spanish = %q, want it to contain %q", spanish, tt.spanish)
			}
			if strings.Contains(spanish, strings.TrimSuffix(tt.english, ".")) {
				t.Errorf("Spanish = %q, still contains the English %q", spanish, tt.english)
			}
			if tt.keepsSystemReason && !strings.Contains(spanish, missing) {
				t.Errorf("Spanish = %q, want the system's reason naming %s", spanish, missing)
			}
		})
	}
}

func TestSpanishTemplateNotSaved(t *testing.T) {
	e := newUIEnv(t)
	err := e.svc.SaveEmailTemplate(context.Background(), e.adminSession(), mailer.KindReminder,
		mailer.Template{Subject: " ", Text: "Hello"})
	if err == nil {
		t.Fatal("error = nil")
	}
	english := plainMessage(err)
	if want := "The Payment reminder template was not saved:\nthe subject is empty"; !strings.HasPrefix(english, want) {
		t.Errorf("English = %q, want it to start with %q", english, want)
	}
	useSpanish(t)
	checkSpanish(t, "Spanish", plainMessage(err),
		"La plantilla Recordatorio de pago no se guardó:\nel asunto está vacío: escriba una línea de asunto.",
		"Payment reminder")
}

func TestSpanishBackupNotRestored(t *testing.T) {
	e := newUIEnv(t)
	_, err := e.svc.RestoreBackup(context.Background(), e.adminSession(), filepath.Join(e.svc.DataDir(), "ctvms.db"))
	if !strings.Contains(fmt.Sprint(err), "open database itself") {
		t.Fatalf("error = %v, want the open database refused", err)
	}
	useSpanish(t)
	checkSpanish(t, "Spanish", plainMessage(err), "No se restauró la copia de seguridad: ", "was not restored")
	checkSpanish(t, "Spanish", plainMessage(err), "es la misma base de datos abierta", "open database itself")
}
