package ui

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/mailer/smtptest"
	"github.com/ctvms/ctvms/store/service"
)

// smtpScript sets the replies of a scripted SMTP server: the extensions
// listed after EHLO, and replies by command verb in place of "250 OK". The
// verb "." is the end of the message after DATA. A silent server never
// greets.
type smtpScript struct {
	extensions []string
	replies    map[string]string
	silent     bool
}

// startScriptedSMTP starts an SMTP server on 127.0.0.1 that follows
// script and returns its port. It stops when the test ends.
func startScriptedSMTP(t *testing.T, script smtpScript) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		listener.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				serveScript(conn, script)
			}()
		}
	}()
	return listener.Addr().(*net.TCPAddr).Port
}

// serveScript runs one SMTP session by script. Every session ends within
// five seconds, so a client that stops talking cannot hold the test.
func serveScript(conn net.Conn, script smtpScript) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	reader := bufio.NewReader(conn)
	if script.silent {
		_, _ = reader.ReadString(0)
		return
	}
	reply := func(lines ...string) {
		_, _ = fmt.Fprint(conn, strings.Join(lines, "\r\n")+"\r\n")
	}
	answer := func(verb, fallback string) string {
		if r, ok := script.replies[verb]; ok {
			return r
		}
		return fallback
	}

	reply("220 localhost ESMTP")
	for {
		line, err := reader.ReadString('\n')
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch verb = strings.ToUpper(verb); verb {
		case "EHLO":
			lines := []string{"250-localhost"}
			for _, ext := range script.extensions {
				lines = append(lines, "250-"+ext)
			}
			lines[len(lines)-1] = strings.Replace(lines[len(lines)-1], "250-", "250 ", 1)
			reply(lines...)
		case "DATA":
			if r, ok := script.replies["DATA"]; ok {
				reply(r)
				continue
			}
			reply("354 End data with <CR><LF>.<CR><LF>")
			for line != ".\r\n" {
				if line, err = reader.ReadString('\n'); err != nil {
					return
				}
			}
			reply(answer(".", "250 OK"))
		case "QUIT":
			reply("221 Bye")
			return
		default:
			reply(answer(verb, "250 OK"))
		}
	}
}

// scriptedSettings returns settings for a scripted server on port.
func scriptedSettings(port int, security mailer.Security) mailer.Settings {
	return mailer.Settings{Host: "127.0.0.1", Port: port, Security: security, From: "billing@example.com",
		FromName: "Sunrise Cable", Timeout: 5 * time.Second}
}

// testMessage is a short message to a made-up customer.
func testMessage() mailer.Message {
	return mailer.Message{To: "anitha@example.net", Subject: "Test", Text: "Hello"}
}

// sendCase is one failed send, its English and Spanish sentences, and
// whether the outbox should stop retrying it.
type sendCase struct {
	name      string
	send      func(t *testing.T) (mailer.Settings, error)
	english   string
	spanish   []string
	permanent bool
	// check tests the error chain that callers rely on.
	check func(t *testing.T, err error)
}

// sendWith returns a sendCase send function that sends m with settings
// from configure.
func sendWith(configure func(t *testing.T) mailer.Settings, m mailer.Message) func(*testing.T) (mailer.Settings, error) {
	return func(t *testing.T) (mailer.Settings, error) {
		s := configure(t)
		return s, mailer.Send(context.Background(), s, m)
	}
}

// scripted returns a configure function for a scripted server.
func scripted(script smtpScript, security mailer.Security, change func(*mailer.Settings)) func(*testing.T) mailer.Settings {
	return func(t *testing.T) mailer.Settings {
		s := scriptedSettings(startScriptedSMTP(t, script), security)
		if change != nil {
			change(&s)
		}
		return s
	}
}

func withLogin(s *mailer.Settings) {
	s.Username = "billing"
	s.Password = "Wr0ng-Battery-Staple"
}

func runSendCases(t *testing.T, tests []sendCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			settings, err := tt.send(t)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if got := mailer.Permanent(err); got != tt.permanent {
				t.Errorf("Permanent(%q) = %v, want %v", err, got, tt.permanent)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
			english := plainMessage(err)
			if !strings.Contains(english, tt.english) {
				t.Errorf("English = %q, want it to contain %q", english, tt.english)
			}

			useSpanish(t)
			spanish := plainMessage(err)
			for _, want := range tt.spanish {
				checkSpanish(t, "Spanish", spanish, want, tt.english)
			}
			if settings.Password != "" && strings.Contains(spanish, settings.Password) {
				t.Errorf("Spanish = %q contains the password", spanish)
			}
		})
	}
}

func TestSpanishTestEmailConnectionRefused(t *testing.T) {
	e := newUIEnv(t)
	admin := e.adminSession()
	port := smtptest.ClosedPort(t)
	err := e.svc.SaveSMTPSettings(context.Background(), admin, service.SMTPInput{Host: "127.0.0.1",
		Port: fmt.Sprint(port), Security: mailer.SecurityNone, From: "office@example.com", TimeoutSeconds: "5"})
	if err != nil {
		t.Fatal(err)
	}

	err = e.svc.SendTestEmail(context.Background(), admin, "owner@example.com")
	if err == nil {
		t.Fatal("test email to a closed port succeeded")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v does not wrap ECONNREFUSED", err)
	}
	address := fmt.Sprintf("127.0.0.1:%d", port)
	english := plainMessage(err)
	if want := "Connecting to " + address + " failed: "; !strings.HasPrefix(english, want) {
		t.Errorf("English = %q, want it to start with %q", english, want)
	}

	useSpanish(t)
	spanish := plainMessage(err)
	checkSpanish(t, "Spanish", spanish, "Falló la conexión con "+address+": ", "Connecting to")
	checkSpanish(t, "Spanish", spanish, "Revise el servidor y el puerto", "Check the host and port")
	if !strings.Contains(spanish, "connection refused") {
		t.Errorf("Spanish = %q, want the system's reason in its own words", spanish)
	}
}

func TestSpanishSMTPServerFailures(t *testing.T) {
	extensions := []string{"8BITMIME", "AUTH PLAIN"}
	runSendCases(t, []sendCase{
		{name: "timeout", send: sendWith(scripted(smtpScript{silent: true}, mailer.SecurityNone,
			func(s *mailer.Settings) { s.Timeout = 300 * time.Millisecond }), testMessage()),
			english: "did not respond within 300ms during the greeting and EHLO",
			spanish: []string{"no respondió en 300ms durante el saludo y EHLO",
				"Revise el servidor y el puerto, y verifique que la opción de seguridad corresponda al puerto"},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, os.ErrDeadlineExceeded) {
					t.Errorf("error %v does not wrap os.ErrDeadlineExceeded", err)
				}
			}},
		{name: "TLS handshake", send: sendWith(scripted(smtpScript{}, mailer.SecurityTLS, nil), testMessage()),
			english: "TLS handshake with 127.0.0.1:",
			spanish: []string{"Falló la negociación TLS con 127.0.0.1:",
				"el certificado del servidor sea válido para 127.0.0.1"},
			check: func(t *testing.T, err error) {
				var record tls.RecordHeaderError
				if !errors.As(err, &record) {
					t.Errorf("error %v does not wrap a tls.RecordHeaderError", err)
				}
			}},
		{name: "STARTTLS not offered", send: sendWith(scripted(smtpScript{}, mailer.SecuritySTARTTLS, nil),
			testMessage()),
			english: "does not offer STARTTLS",
			spanish: []string{"no ofrece STARTTLS", "Elija TLS si el puerto es 465, o Ninguna"}},
		{name: "authentication failed", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{"AUTH": "535 5.7.8 Password Wr0ng-Battery-Staple is wrong"}},
			mailer.SecurityNone, withLogin), testMessage()),
			english: `Authentication failed for user "billing"`,
			spanish: []string{`Falló la autenticación del usuario "billing" en 127.0.0.1:`,
				"Revise el usuario y la contraseña", "535"}},
		{name: "authentication not offered", send: sendWith(scripted(smtpScript{extensions: []string{"8BITMIME"}},
			mailer.SecurityNone, withLogin), testMessage()),
			english: "the server does not offer authentication",
			spanish: []string{"el servidor no ofrece autenticación", "Revise la opción de seguridad"}},
		{name: "sender needs login", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{"MAIL": "530 5.7.0 Authentication required"}}, mailer.SecurityNone, nil),
			testMessage()),
			english: "rejected the sender billing@example.com",
			spanish: []string{"rechazó al remitente billing@example.com",
				"El servidor requiere autenticación, así que escriba un usuario y una contraseña"}},
		{name: "sender refused", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{"MAIL": "550 5.7.1 Sender not allowed"}}, mailer.SecurityNone, nil),
			testMessage()),
			english: "Check that the account may send from this address",
			spanish: []string{"rechazó al remitente", "Verifique que la cuenta tenga permiso para enviar"}},
		{name: "recipient unknown", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{"RCPT": "550 5.1.1 No such user"}}, mailer.SecurityNone, nil), testMessage()),
			english:   "rejected the recipient anitha@example.net",
			spanish:   []string{"rechazó al destinatario anitha@example.net", "Revise la dirección de correo del destinatario"},
			permanent: true},
		{name: "recipient later", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{"RCPT": "451 4.3.0 Try again later"}}, mailer.SecurityNone, nil), testMessage()),
			english: "The server asked to try again later",
			spanish: []string{"rechazó al destinatario", "El servidor pidió volver a intentarlo más tarde"}},
		{name: "DATA refused", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{"DATA": "554 5.3.4 Too many messages"}}, mailer.SecurityNone, nil), testMessage()),
			english:   "did not accept the message to anitha@example.net during DATA",
			spanish:   []string{"no aceptó el mensaje para anitha@example.net durante DATA"},
			permanent: true},
		{name: "message refused", send: sendWith(scripted(smtpScript{extensions: extensions,
			replies: map[string]string{".": "554 5.6.0 Message rejected as spam"}}, mailer.SecurityNone, nil),
			testMessage()),
			english:   "during the end of the message",
			spanish:   []string{"no aceptó el mensaje para anitha@example.net durante el cierre del mensaje"},
			permanent: true},
	})
}

func TestSpanishSendStopped(t *testing.T) {
	port := startScriptedSMTP(t, smtpScript{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	err := mailer.Send(ctx, scriptedSettings(port, mailer.SecurityNone), testMessage())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	english := plainMessage(err)
	if want := "was stopped during connecting"; !strings.Contains(english, want) {
		t.Errorf("English = %q, want it to contain %q", english, want)
	}
	useSpanish(t)
	checkSpanish(t, "Spanish", plainMessage(err), "se detuvo durante la conexión", "was stopped")
}

func TestSpanishInvalidMessageAndSettings(t *testing.T) {
	closed := func(t *testing.T) mailer.Settings {
		return scriptedSettings(smtptest.ClosedPort(t), mailer.SecurityNone)
	}
	invalidSettings := func(*testing.T) mailer.Settings {
		return mailer.Settings{Host: "smtp.example.com", Security: "ssl", From: "billing@example.com"}
	}
	attachment := func(a mailer.Attachment) mailer.Message {
		m := testMessage()
		m.Attachments = []mailer.Attachment{a}
		return m
	}
	runSendCases(t, []sendCase{
		{name: "invalid settings", send: sendWith(invalidSettings, testMessage()),
			english: "SMTP settings are invalid:\nSMTP port 0 is invalid",
			spanish: []string{"La configuración SMTP no es válida:\nEl puerto SMTP 0 no es válido",
				"\nLa seguridad SMTP \"ssl\" no es válida"}},
		{name: "missing recipient", send: sendWith(closed, mailer.Message{Subject: "Test", Text: "Hello"}),
			english:   "Recipient address is missing",
			spanish:   []string{"Falta la dirección del destinatario: agregue una dirección de correo al cliente."},
			permanent: true},
		{name: "invalid recipient", send: sendWith(closed, mailer.Message{To: "anitha at example", Text: "Hello"}),
			english:   `Recipient address "anitha at example" is invalid`,
			spanish:   []string{`La dirección del destinatario "anitha at example" no es válida: `},
			permanent: true},
		{name: "unnamed attachment", send: sendWith(closed, attachment(mailer.Attachment{Data: []byte("abc")})),
			english:   "Attachment of 3 bytes has no file name",
			spanish:   []string{"El archivo adjunto de 3 bytes no tiene nombre."},
			permanent: true},
		{name: "invalid content type", send: sendWith(closed, attachment(mailer.Attachment{Name: "plan.txt",
			ContentType: "text/", Data: []byte("abc")})),
			english:   `has an invalid content type "text/"`,
			spanish:   []string{`El tipo de contenido "text/" del archivo adjunto "plan.txt" no es válido: `},
			permanent: true},
	})
}

func TestSpanishTemplateSyntaxErrors(t *testing.T) {
	e := newUIEnv(t)
	broken := mailer.Template{Subject: "Welcome {{.CustomerName", Text: "Dear {{.CustomerName}},\n\n{{.Nope}}",
		HTML: `<a href="{{.Username}}`}
	_, err := e.svc.PreviewEmailTemplate(mailer.KindWelcome, broken)
	if err == nil {
		t.Fatal("preview of a broken template succeeded")
	}
	english := plainMessage(err)
	for _, want := range []string{"Subject, line 1: unclosed action", "\nText body, line 3: <.Nope>: ",
		"\nHTML body: the template ends inside an unclosed tag"} {
		if !strings.Contains(english, want) {
			t.Errorf("English = %q, want it to contain %q", english, want)
		}
	}

	useSpanish(t)
	spanish := plainMessage(err)
	checkSpanish(t, "Spanish", spanish, "Asunto, línea 1: unclosed action", "Subject")
	checkSpanish(t, "Spanish", spanish, "\nTexto, línea 3: <.Nope>: can't evaluate field Nope", "Text body")
	checkSpanish(t, "Spanish", spanish,
		"\nCuerpo HTML: la plantilla termina dentro de una etiqueta, un atributo, un comentario o un script sin cerrar",
		"HTML body")
	if strings.Contains(spanish, "line ") {
		t.Errorf("Spanish = %q, still contains the English word line", spanish)
	}
}

func TestSpanishTemplateErrorNotSaved(t *testing.T) {
	e := newUIEnv(t)
	err := e.svc.SaveEmailTemplate(context.Background(), e.adminSession(), mailer.KindWelcome,
		mailer.Template{Subject: "Welcome", HTML: "<p>\nHello\n</p>\n{{foo .CustomerName}}"})
	if err == nil {
		t.Fatal("a template with an undefined function was saved")
	}
	useSpanish(t)
	checkSpanish(t, "Spanish", plainMessage(err),
		"La plantilla Bienvenida no se guardó:\nCuerpo HTML, línea 4: function \"foo\" not defined", "HTML body")
}
