package emulator

import (
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaultStatusFraction(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", Faults: []Fault{{Route: "runtime", Status: 503, Fraction: 0.5}}})
	var got []int
	for range 6 {
		got = append(got, h.do("GET", "/api/spaces/demo/gradio-app/runtime", DemoWriteToken, nil).status)
	}
	if diff := cmp.Diff([]int{200, 503, 200, 503, 200, 503}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	// Other routes are untouched.
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app", DemoWriteToken, nil), 200)
	// A faulted mutation never reaches the Space.
	if err := h.e.SetFaults([]Fault{{Route: "variables", Status: 500}}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "NEW", "value": "1"}), 500)
	if err := h.e.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	vars := h.do("GET", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, nil).json(t)
	if field(vars, "NEW") != nil {
		t.Error("a faulted write was applied")
	}
	// An injected 429 says the quota is spent, in both headers a client may
	// read, and asks for a short wait: not the rest of the real window.
	if err := h.e.SetFaults([]Fault{{Route: "*", Status: 429}}); err != nil {
		t.Fatal(err)
	}
	r := h.do("GET", "/api/whoami-v2", DemoWriteToken, nil)
	got429 := []string{strconv.Itoa(r.status), r.header.Get("RateLimit"), r.header.Get("Retry-After")}
	if diff := cmp.Diff([]string{"429", `"api";r=0;t=1`, "1"}, got429); diff != "" {
		t.Errorf("429 fault: status, RateLimit, Retry-After (-want +got):\n%s", diff)
	}
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	srv := NewTestServer(t, Config{Seed: "demo", Faults: []Fault{{Route: "runtime", Reset: true}}})
	resp, err := srv.Client().Get(srv.URL + "/api/spaces/demo/gradio-app/runtime")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("a reset answer was read whole")
	}
	// In memory too.
	h := newHub(t, Config{Seed: "demo", Faults: []Fault{{Route: "runtime", Reset: true}}})
	resp, err = h.client.Get(h.base + "/api/spaces/demo/gradio-app/runtime")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("a reset answer was read whole in memory")
	}
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo", Faults: []Fault{{Route: "runtime", Latency: 2 * time.Second}}})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		h := &hub{t: t, e: e, client: &http.Client{Transport: e.Transport()}, base: "http://hub.test"}
		start := time.Now()
		mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app/runtime", "", nil), 200)
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("latency %v, want 2s", d)
		}
	})
}

func TestFaultCutStream(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo", Faults: []Fault{{Route: "logs", CutAfterEvents: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		client := &http.Client{Transport: e.Transport()}
		ch := openLog(t, client, "http://hub.test/api/spaces/demo/gradio-app/logs/run", "")
		synctest.Wait()
		got := datas(collect(ch))
		if len(got) != 3 || got[2] != "<error>" {
			t.Errorf("cut stream: %q", got)
		}
	})
}

func TestParseFaults(t *testing.T) {
	t.Parallel()
	got, err := ParseFaults("runtime:status=503,fraction=0.5; logs:cut=3;*:latency=0.2,reset=true")
	if err != nil {
		t.Fatal(err)
	}
	want := []Fault{
		{Route: "runtime", Status: 503, Fraction: 0.5},
		{Route: "logs", CutAfterEvents: 3},
		{Route: "*", Latency: 200 * time.Millisecond, Reset: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"runtime", "runtime:status", "runtime:status=200", "runtime:fraction=2", "runtime:color=red"} {
		if _, err := ParseFaults(bad); err == nil || !strings.Contains(err.Error(), "fault") {
			t.Errorf("ParseFaults(%q) = %v", bad, err)
		}
	}
}

// TestFaultRoutes: a fault names a route that exists (a typo is an error,
// not a fault that silently never fires), and every route can be named.
func TestFaultRoutes(t *testing.T) {
	t.Parallel()
	if _, err := ParseFaults("runtme:status=503"); err == nil || !strings.Contains(err.Error(), "runtme") {
		t.Errorf("ParseFaults with an unknown route: %v", err)
	}
	if _, err := New(Config{Faults: []Fault{{Route: "runtme", Status: 503}}}); err == nil {
		t.Error("New with a fault on an unknown route succeeded")
	}
	if _, err := New(Config{Faults: []Fault{{Route: "runtime", Status: 200}}}); err == nil {
		t.Error("New with a fault whose status is not an error succeeded")
	}
	h := newHub(t, Config{})
	if err := h.e.SetFaults([]Fault{{Route: "pauze", Status: 500}}); err == nil {
		t.Error("SetFaults with an unknown route succeeded")
	}
	var ops []string
	for op := range h.e.ops {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	if diff := cmp.Diff(faultRoutes, ops); diff != "" {
		t.Errorf("routes a fault can name (-documented +served):\n%s", diff)
	}
	for _, op := range append(ops, "*", "") {
		if _, err := New(Config{Faults: []Fault{{Route: op, Status: 503}}}); err != nil {
			t.Errorf("fault on %q: %v", op, err)
		}
	}
}

// TestFaultCutStreamOverTheWire: over a real connection the events before
// the cut reach the client (a net/http server drops what it has not flushed
// when a handler aborts), then the connection breaks mid-stream.
func TestFaultCutStreamOverTheWire(t *testing.T) {
	t.Parallel()
	srv := NewTestServer(t, Config{Seed: "demo", Faults: []Fault{{Route: "logs", CutAfterEvents: 2}}})
	req, err := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/api/spaces/demo/gradio-app/logs/run", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Errorf("the cut stream ended cleanly, want a broken connection")
	}
	if n := strings.Count(string(body), "data: {"); n != 2 {
		t.Errorf("got %d events before the cut, want 2:\n%s", n, body)
	}
}
