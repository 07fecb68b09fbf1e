package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", RateLimit: RateLimit{Requests: 3, Window: time.Minute}})
	h.clock.Advance(20 * time.Second) // 40 s left in the first window
	type answer struct {
		Status     int
		RateLimit  string
		Policy     string
		RetryAfter string
	}
	get := func(token string) answer {
		r := h.do("GET", "/api/spaces/demo/gradio-app/runtime", token, nil)
		return answer{r.status, r.header.Get("RateLimit"), r.header.Get("RateLimit-Policy"), r.header.Get("Retry-After")}
	}
	const policy = `"fixed window";"api";q=3;w=60`
	var got []answer
	for range 4 {
		got = append(got, get(DemoWriteToken))
	}
	got = append(got, get(OtherWriteToken)) // another bucket
	got = append(got, get(""))              // anonymous: by address
	want := []answer{
		{200, `"api";r=2;t=40`, policy, ""},
		{200, `"api";r=1;t=40`, policy, ""},
		{200, `"api";r=0;t=40`, policy, ""},
		{429, `"api";r=0;t=40`, policy, "40"},
		{200, `"api";r=2;t=40`, policy, ""},
		{200, `"api";r=2;t=40`, policy, ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("first window (-want +got):\n%s", diff)
	}
	h.clock.Advance(40 * time.Second)
	if diff := cmp.Diff(answer{200, `"api";r=2;t=60`, policy, ""}, get(DemoWriteToken)); diff != "" {
		t.Errorf("next window (-want +got):\n%s", diff)
	}
	// Every answer carries the headers, errors too.
	r := h.do("GET", "/api/spaces/demo/nope/runtime", DemoWriteToken, nil)
	if r.status != http.StatusNotFound || r.header.Get("RateLimit") == "" {
		t.Errorf("404 answer: %d, RateLimit %q", r.status, r.header.Get("RateLimit"))
	}
}

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]RateLimit{
		"":         {},
		"1000/300": {1000, 300 * time.Second},
		"5/0.5":    {5, 500 * time.Millisecond},
		"10/1m":    {10, time.Minute},
	} {
		got, err := ParseRateLimit(spec)
		if err != nil || got != want {
			t.Errorf("ParseRateLimit(%q) = %v, %v; want %v", spec, got, err, want)
		}
	}
	for _, bad := range []string{"10", "x/10", "0/10", "10/0", "10/-1", "10/x"} {
		if _, err := ParseRateLimit(bad); err == nil {
			t.Errorf("ParseRateLimit(%q) succeeded", bad)
		}
	}
}

// TestRateLimitHeadersByDefault: like the Hub's, every answer carries
// RateLimit and RateLimit-Policy, with no quota configured too (a default
// one too large to reach): successes, errors, an invalid token, an injected
// fault and a log stream.
func TestRateLimitHeadersByDefault(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", Faults: []Fault{{Route: "catalog", Status: 503}}})
	const policy = `"fixed window";"api";q=1000000000;w=300`
	type answer struct {
		Status    int
		RateLimit string
		Policy    string
	}
	var got []answer
	for _, req := range []struct{ path, token string }{
		{"/api/spaces/demo/gradio-app/runtime", DemoWriteToken},
		{"/api/spaces/demo/gradio-app/runtime", DemoWriteToken},
		{"/api/spaces/demo/nope/runtime", DemoWriteToken},
		{"/api/spaces/demo/gradio-app/runtime", "hf_not_a_token"}, // counted against the address
		{"/api/spaces/demo/gradio-app/runtime", ""},
		{"/api/spaces/hardware", OtherWriteToken},
		{"/api/spaces/demo/broken-build/logs/build", OtherWriteToken},
	} {
		r := h.do("GET", req.path, req.token, nil)
		got = append(got, answer{r.status, r.header.Get("RateLimit"), r.header.Get("RateLimit-Policy")})
	}
	want := []answer{
		{200, `"api";r=999999999;t=300`, policy},
		{200, `"api";r=999999998;t=300`, policy},
		{404, `"api";r=999999997;t=300`, policy},
		{401, `"api";r=999999999;t=300`, policy},
		{200, `"api";r=999999998;t=300`, policy},
		{503, `"api";r=999999999;t=300`, policy},
		{200, `"api";r=999999998;t=300`, policy},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRateLimitInvalidToken: a request with a token that is not valid is
// counted against its address, and past the quota is refused with 429.
func TestRateLimitInvalidToken(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", RateLimit: RateLimit{Requests: 1, Window: time.Minute}})
	var got []int
	for range 2 {
		r := h.do("GET", "/api/spaces/demo/gradio-app/runtime", "hf_not_a_token", nil)
		got = append(got, r.status)
		if r.header.Get("RateLimit") == "" {
			t.Errorf("%d answer without RateLimit", r.status)
		}
	}
	got = append(got, h.do("GET", "/api/spaces/demo/gradio-app/runtime", "", nil).status)
	if diff := cmp.Diff([]int{401, 429, 429}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

// TestRateLimitForgetsPastWindows: the counters of a window that is over
// are dropped, so many distinct tokens or addresses do not grow memory
// without bound.
func TestRateLimitForgetsPastWindows(t *testing.T) {
	t.Parallel()
	rl := newRateLimiter(RateLimit{Requests: 10, Window: time.Minute})
	w := &discardWriter{header: http.Header{}}
	for i := range 1000 {
		rl.allow(w, fmt.Sprintf("addr:10.0.%d.%d", i/256, i%256), t0)
	}
	rl.allow(w, "token:x", t0.Add(time.Minute))
	rl.mu.Lock()
	n := len(rl.windows)
	rl.mu.Unlock()
	if n != 1 {
		t.Errorf("%d counters kept after the window ended, want 1", n)
	}
}
