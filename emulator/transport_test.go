package emulator

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestTransportWaitUnderSynctest is how a client's wait loop is tested:
// the emulator on the real clock, inside a bubble, reached in memory.
func TestTransportWaitUnderSynctest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo", BuildDuration: 5 * time.Second, StartDuration: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		h := &hub{t: t, e: e, client: &http.Client{Transport: e.Transport()}, base: "http://hub.test"}
		start := time.Now()
		mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/restart", DemoWriteToken, nil), 200)
		var stages []string
		for range 20 {
			s := h.stage("demo/gradio-app")
			if len(stages) == 0 || stages[len(stages)-1] != s {
				stages = append(stages, s)
			}
			if s == StageRunning {
				break
			}
			time.Sleep(time.Second)
		}
		if diff := cmp.Diff([]string{StageBuilding, StageAppStarting, StageRunning}, stages); diff != "" {
			t.Errorf("stages (-want +got):\n%s", diff)
		}
		if d := time.Since(start); d != 8*time.Second {
			t.Errorf("RUNNING after %v, want 8s", d)
		}
	})
}

// TestTransportHangUp: closing a stream's body or cancelling its request
// ends the handler (synctest.Test fails if a goroutine is left blocked).
func TestTransportHangUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		client := &http.Client{Transport: e.Transport()}
		resp, err := client.Get("http://hub.test/api/spaces/demo/gradio-app/logs/run")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()

		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://hub.test/api/spaces/demo/gradio-app/logs/run", nil)
		resp, err = client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		synctest.Wait()
		if _, err := resp.Body.Read(make([]byte, 1<<16)); err == nil {
			// The replay may still be buffered; the next read must fail.
			for err == nil {
				_, err = resp.Body.Read(make([]byte, 1<<16))
			}
		}
		resp.Body.Close()
	})
}

func TestTransportAnswer(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	resp, err := h.client.Head(h.base + "/api/spaces/demo/gradio-app/runtime")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength <= 0 || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("HEAD: %d, length %d, headers %v", resp.StatusCode, resp.ContentLength, resp.Header)
	}
}

func BenchmarkRuntimeRead(b *testing.B) {
	e, err := New(Config{Seed: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	req, _ := http.NewRequest("GET", "http://hub.test/api/spaces/demo/gradio-app/runtime", nil)
	req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.header)
		w.status = 0
		e.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

func BenchmarkRuntimeReadParallel(b *testing.B) {
	e, err := New(Config{Seed: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", "http://hub.test/api/spaces/demo/gradio-app/runtime", nil)
		req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
		w := &discardWriter{header: http.Header{}}
		for pb.Next() {
			clear(w.header)
			e.ServeHTTP(w, req)
		}
	})
}

type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
}
func (w *discardWriter) Write(p []byte) (int, error) { w.WriteHeader(200); return len(p), nil }

// closeRecorder is a request body that records being closed.
type closeRecorder struct {
	*strings.Reader
	closed chan struct{}
}

func (b *closeRecorder) Close() error { close(b.closed); return nil }

// TestTransportClosesRequestBody: as http.RoundTripper requires, the
// request body is closed, after a served request and after one whose
// context was already done.
func TestTransportClosesRequestBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		done, cancel := context.WithCancel(t.Context())
		cancel()
		for _, ctx := range []context.Context{t.Context(), done} {
			body := &closeRecorder{strings.NewReader(`{"key":"A","value":"1"}`), make(chan struct{})}
			req, _ := http.NewRequestWithContext(ctx, "POST", "http://hub.test/api/spaces/demo/gradio-app/variables", body)
			req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
			if resp, err := e.Transport().RoundTrip(req); err == nil {
				io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			synctest.Wait()
			select {
			case <-body.closed:
			default:
				t.Errorf("request body not closed (context err %v)", ctx.Err())
			}
		}
	})
}

// TestRuntimeFastPath: the runtime route served without the mux answers
// what the mux would, for paths it takes and paths it leaves to the mux,
// faults included; and its cached body follows every change.
func TestRuntimeFastPath(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/spaces/demo/gradio-app/runtime", 200},
		{"/api/spaces/demo/gradio-app/runtime/", 404},
		{"/api/spaces/demo/gradio-app/x/runtime", 404},
		{"/api/spaces/demo/runtime", 404},
		{"/api/spaces//gradio-app/runtime", 404},
		{"/api/spaces/demo%2Fgradio-app/x/runtime", 404},
		{"/api/spaces/demo/nope/runtime", 404},
	} {
		if r := h.do("GET", tc.path, DemoReadToken, nil); r.status != tc.status {
			t.Errorf("GET %s: %d, want %d: %s", tc.path, r.status, tc.status, r.body)
		}
	}
	if err := h.e.SetFaults([]Fault{{Route: "runtime", Status: 503}}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app/runtime", DemoReadToken, nil), 503)
	h.e.SetFaults(nil)
	// The cache follows writes and transitions due on the clock.
	const rt = "/api/spaces/demo/gpu-app/runtime"
	mustStatus(t, h.do("POST", "/api/spaces/demo/gpu-app/sleeptime", DemoWriteToken, map[string]int{"seconds": 60}), 200)
	if got := field(h.do("GET", rt, DemoReadToken, nil).json(t), "gcTimeout"); got != 60.0 {
		t.Errorf("gcTimeout after the write: %v", got)
	}
	h.clock.Advance(61 * time.Second)
	if got := field(h.do("GET", rt, DemoReadToken, nil).json(t), "stage"); got != StageSleeping {
		t.Errorf("stage once the sleep time passed: %v", got)
	}
}
