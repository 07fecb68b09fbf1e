// Package emulatortest starts the Hub emulator on a loopback address for a
// test. It lives apart from package emulator so that programs embedding the
// emulator (hfspaces) do not link the testing and httptest packages.
package emulatortest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hfhub-go/hfhub/emulator"
)

// Server is an emulator serving on a loopback address for a test.
type Server struct {
	// URL is the server's base URL: use it as HF_ENDPOINT.
	URL string
	// Emulator is the emulator behind the server, for its controls.
	Emulator *emulator.Emulator
	// Clock is the emulator's clock: the Config's, or the real clock.
	Clock emulator.Clock
	// Server is the underlying httptest server.
	Server *httptest.Server
}

// NewServer starts an emulator configured by cfg on a loopback address.
// The test fails at once if it cannot start; t.Cleanup ends its streams and
// closes it.
func NewServer(t testing.TB, cfg emulator.Config) *Server {
	t.Helper()
	e, err := emulator.New(cfg)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		e.Close()
		srv.Close()
	})
	return &Server{URL: srv.URL, Emulator: e, Clock: e.Clock(), Server: srv}
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.Server.Client() }

// FakeClock returns the server's clock if it is a FakeClock, else nil.
func (s *Server) FakeClock() *emulator.FakeClock {
	fc, _ := s.Clock.(*emulator.FakeClock)
	return fc
}
