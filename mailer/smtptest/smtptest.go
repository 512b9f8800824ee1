// Package smtptest provides servers on 127.0.0.1 for tests of email
// delivery failures: a port on which nothing listens, and a server that
// accepts connections and never answers.
package smtptest

import (
	"net"
	"sync"
	"testing"
)

// ClosedPort returns a port on 127.0.0.1 on which nothing listens.
func ClosedPort(t testing.TB) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	listener.Close()
	return port
}

// HungServer accepts connections on 127.0.0.1 and never writes to them,
// and returns its port. The connections stay open until the test ends.
func HungServer(t testing.TB) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}

	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := listener.Accept()
			if err != nil {
				return // the listener was closed at cleanup
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		listener.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, conn := range conns {
			conn.Close()
		}
	})
	return listener.Addr().(*net.TCPAddr).Port
}
