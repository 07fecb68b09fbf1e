package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// t0 is the fake clocks' starting time.
var t0 = time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC)

// hub is an emulator under test with a client that reaches it in memory.
type hub struct {
	t      testing.TB
	e      *Emulator
	clock  *FakeClock
	client *http.Client
	base   string
}

// newHub starts an emulator with the demo seed on a fake clock, unless cfg
// says otherwise.
func newHub(t testing.TB, cfg Config) *hub {
	t.Helper()
	fc, _ := cfg.Clock.(*FakeClock)
	if cfg.Clock == nil {
		fc = NewFakeClock(t0)
		cfg.Clock = fc
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &hub{t: t, e: e, clock: fc, client: &http.Client{Transport: e.Transport()}, base: "http://hub.test"}
}

type result struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the answer's body into a generic value.
func (r result) json(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, r.body)
	}
	return v
}

// field digs a value out of a decoded JSON object: field(v, "hardware", "current").
func field(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// do sends a request. body is nil (none), a string (sent as is) or a value
// sent as JSON.
func (h *hub) do(method, path, token string, body any) result {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequestWithContext(h.t.Context(), method, h.base+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: data}
}

// stage reads a Space's stage through the API.
func (h *hub) stage(id string) string {
	h.t.Helper()
	r := h.do("GET", "/api/spaces/"+id+"/runtime", DemoWriteToken, nil)
	if r.status != http.StatusOK {
		h.t.Fatalf("runtime of %s: %d %s", id, r.status, r.body)
	}
	s, _ := field(r.json(h.t), "stage").(string)
	return s
}

// mustStatus fails the test unless the answer has the wanted status.
func mustStatus(t testing.TB, r result, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
}
