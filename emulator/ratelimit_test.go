package emulator

import (
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
