package mailer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// receivedMessage is a message accepted by the test server.
type receivedMessage struct {
	from string
	to   []string
	data []byte
	// overTLS reports whether the connection was encrypted when DATA ended.
	overTLS bool
	// username is the authenticated user, or empty.
	username string
}

// testBackend is a go-smtp backend that stores every accepted message.
type testBackend struct {
	// username and password, when set, are required before MAIL FROM.
	username string
	password string
	// rcptReply, when set, is the reply to every RCPT TO.
	rcptReply *smtp.SMTPError

	mu       sync.Mutex
	messages []receivedMessage
}

func (b *testBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &testSession{backend: b, conn: c}, nil
}

func (b *testBackend) received() []receivedMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]receivedMessage(nil), b.messages...)
}

type testSession struct {
	backend  *testBackend
	conn     *smtp.Conn
	username string
	current  receivedMessage
}

func (s *testSession) AuthMechanisms() []string {
	return []string{sasl.Plain}
}

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.backend.username || password != s.backend.password {
			return smtp.ErrAuthFailed
		}
		s.username = username
		return nil
	}), nil
}

func (s *testSession) Mail(from string, opts *smtp.MailOptions) error {
	if s.backend.username != "" && s.username == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.current = receivedMessage{from: from, username: s.username}
	return nil
}

func (s *testSession) Rcpt(to string, opts *smtp.RcptOptions) error {
	if s.backend.rcptReply != nil {
		return s.backend.rcptReply
	}
	s.current.to = append(s.current.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.current.data = data
	_, s.current.overTLS = s.conn.TLSConnectionState()

	s.backend.mu.Lock()
	defer s.backend.mu.Unlock()
	s.backend.messages = append(s.backend.messages, s.current)
	return nil
}

func (s *testSession) Reset()        { s.current = receivedMessage{} }
func (s *testSession) Logout() error { return nil }

// startServer starts a go-smtp server on 127.0.0.1 with the given security
// and returns its port. STARTTLS is offered only in SecuritySTARTTLS mode.
// Each configure function may change the server before it starts.
func startServer(t *testing.T, security Security, backend *testBackend, configure ...func(*smtp.Server)) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}

	server := smtp.NewServer(backend)
	server.Domain = "localhost"
	server.AllowInsecureAuth = true
	server.ReadTimeout = 10 * time.Second
	server.WriteTimeout = 10 * time.Second
	server.ErrorLog = log.New(io.Discard, "", 0)
	switch security {
	case SecuritySTARTTLS:
		server.TLSConfig = serverTLSConfig(t)
	case SecurityTLS:
		listener = tls.NewListener(listener, serverTLSConfig(t))
	}
	for _, f := range configure {
		f(server)
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := server.Serve(listener); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("SMTP server stopped: %v", err)
		}
	}()
	t.Cleanup(func() {
		server.Close()
		<-done
	})
	return listener.Addr().(*net.TCPAddr).Port
}

// testCertificate is a self-signed ECDSA certificate for 127.0.0.1, made
// once per test run.
var testCertificate = sync.OnceValues(func() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailer test server"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
})

func serverTLSConfig(t *testing.T) *tls.Config {
	t.Helper()
	cert, err := testCertificate()
	if err != nil {
		t.Fatalf("generate certificate: %v", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// trustedRoots returns a pool that trusts the test certificate.
func trustedRoots(t *testing.T) *x509.CertPool {
	t.Helper()
	cert, err := testCertificate()
	if err != nil {
		t.Fatalf("generate certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return pool
}

// testSettings returns settings for a test server on 127.0.0.1.
func testSettings(t *testing.T, security Security, port int) Settings {
	return Settings{
		Host:     "127.0.0.1",
		Port:     port,
		Security: security,
		From:     "billing@sunrisecable.example",
		FromName: "Sunrise Cable Network",
		Timeout:  5 * time.Second,
		RootCAs:  trustedRoots(t),
	}
}
