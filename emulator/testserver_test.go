package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestServer is an emulator serving on a loopback address for a test.
type TestServer struct {
	// URL is the server's base URL: use it as HF_ENDPOINT.
	URL string
	// Emulator is the emulator behind the server, for its controls.
	Emulator *Emulator
	// Clock is the emulator's clock: the Config's, or the real clock.
	Clock Clock
	// Server is the underlying httptest server.
	Server *httptest.Server
}

// NewTestServer (tests of this package only; users have emulatortest.NewServer) starts an emulator configured by cfg on a loopback address.
// The test fails at once if it cannot start; t.Cleanup ends its streams and
// closes it.
func NewTestServer(t testing.TB, cfg Config) *TestServer {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		e.Close()
		srv.Close()
	})
	return &TestServer{URL: srv.URL, Emulator: e, Clock: e.clock, Server: srv}
}

// Client returns an HTTP client for the server.
func (s *TestServer) Client() *http.Client { return s.Server.Client() }

// FakeClock returns the server's clock if it is a FakeClock, else nil.
func (s *TestServer) FakeClock() *FakeClock {
	fc, _ := s.Clock.(*FakeClock)
	return fc
}
