package emulator

import (
	"net/http"
	"os"
	"strconv"
	"testing"
)

// baselineRuntime is the runtime body the baseline server answers: the
// demo seed's demo/gradio-app, as the emulator answers it.
const baselineRuntime = `{"stage":"RUNNING","hardware":{"current":"cpu-basic","requested":"cpu-basic"},"storage":null,"gcTimeout":172800,"replicas":{"requested":1,"current":1},"devMode":false,"domains":[{"domain":"demo-gradio-app.hf.space","stage":"READY"}]}`

// TestBaselineServerProcess is not a test: it serves the minimal Go server
// that docs/PERFORMANCE.md compares the emulator's runtime reads with — a
// net/http server answering every request with the fixed runtime body —
// on HFHUB_BASELINE_ADDR, until killed:
//
//	HFHUB_BASELINE_ADDR=127.0.0.1:18081 go test -run '^TestBaselineServerProcess$' -timeout 0 ./emulator
func TestBaselineServerProcess(t *testing.T) {
	addr := os.Getenv("HFHUB_BASELINE_ADDR")
	if addr == "" {
		t.Skip("baseline server process only")
	}
	body := []byte(baselineRuntime)
	length := strconv.Itoa(len(body))
	t.Fatal(http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Length", length)
		w.Write(body)
	})))
}

// TestBaselineBodyIsTheEmulators: the baseline answers what the emulator
// answers for the same read.
func TestBaselineBodyIsTheEmulators(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	r := h.do("GET", "/api/spaces/demo/gradio-app/runtime", DemoReadToken, nil)
	if string(r.body) != baselineRuntime {
		t.Errorf("emulator's runtime:\n%s\nbaseline's:\n%s", r.body, baselineRuntime)
	}
}
