package emulator

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// threadCPU, set on Linux (lockhold_linux_test.go), reads the CPU time of
// the calling thread.
var threadCPU func() time.Duration

// BenchmarkLockHold10000Spaces measures, for each kind of request, the
// longest time one request holds the state lock with 10,000 Spaces (half
// of them private): the max-lock-µs metric (docs/PERFORMANCE.md). Requests
// of a kind are sent one after another, so that the figure is the
// request's own hold, not time spent waiting for a CPU that other busy
// goroutines took (with more runnable goroutines than cores, any holder
// can be descheduled for a whole time slice). max-lock-cpu-µs is the most
// CPU time one hold used (the holder pinned to its thread meanwhile): on a
// machine loaded by other work, the wall-clock hold also counts the time
// the operating system ran other processes. HFHUB_LOCKHOLD_WALL_ONLY=1
// measures the wall-clock hold without the pinning.
func BenchmarkLockHold10000Spaces(b *testing.B) {
	e, err := New(Config{Seed: DemoSeed})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	if os.Getenv("HFHUB_LOCKHOLD_WALL_ONLY") == "" {
		e.mu.threadCPU = threadCPU // nil where the platform has no thread clock
	}
	for i := range 10_000 {
		ns := "demo"
		if i%3 == 1 {
			ns = "other"
		}
		if err := e.AddSpace(SpaceSpec{ID: fmt.Sprintf("%s/space-%05d", ns, i), Private: i%2 == 0, Likes: i % 97,
			Variables: map[string]string{"A": "1", "B": "2"}}); err != nil {
			b.Fatal(err)
		}
	}
	client := &http.Client{Transport: e.Transport()}
	send := func(method, path, body string) {
		var rd *strings.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		var req *http.Request
		if rd != nil {
			req, _ = http.NewRequest(method, "http://hub.test"+path, rd)
		} else {
			req, _ = http.NewRequest(method, "http://hub.test"+path, nil)
		}
		req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
		resp, err := client.Do(req)
		if err != nil {
			b.Error(err)
			return
		}
		buf := make([]byte, 32<<10)
		for {
			if _, err := resp.Body.Read(buf); err != nil {
				break
			}
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			b.Errorf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	var seq sync.Mutex
	n := 0
	next := func() int {
		seq.Lock()
		defer seq.Unlock()
		n++
		return n
	}
	kinds := []struct {
		name string
		do   func()
	}{
		{"runtime", func() { send("GET", "/api/spaces/demo/space-00003/runtime", "") }},
		{"info", func() { send("GET", "/api/spaces/demo/space-00003", "") }},
		{"list", func() { send("GET", "/api/spaces", "") }},
		{"list-full", func() { send("GET", "/api/spaces?full=true", "") }},
		{"list-sorted-expand", func() {
			send("GET", "/api/spaces?sort=likes&expand=runtime&expand=cardData&expand=siblings", "")
		}},
		{"list-search", func() { send("GET", "/api/spaces?search=space-0&author=demo&limit=10", "") }},
		{"variable-write", func() {
			send("POST", "/api/spaces/demo/space-00003/variables", fmt.Sprintf(`{"key":"K%d","value":"v"}`, next()%50))
		}},
		{"hardware", func() { send("POST", "/api/spaces/demo/space-00003/hardware", `{"flavor":"t4-small"}`) }},
		{"create-delete", func() {
			name := fmt.Sprintf("new-%d", next())
			send("POST", "/api/repos/create", `{"name":"`+name+`","type":"space","sdk":"gradio"}`)
			send("DELETE", "/api/repos/delete", `{"name":"`+name+`","type":"space"}`)
		}},
		{"duplicate", func() {
			send("POST", "/api/spaces/demo/space-00003/duplicate", fmt.Sprintf(`{"repository":"demo/dup-%d"}`, next()))
		}},
		{"whoami", func() { send("GET", "/api/whoami-v2", "") }},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			e.mu.trackHolds()
			for b.Loop() {
				k.do()
			}
			b.ReportMetric(float64(e.mu.longestHold().Microseconds()), "max-lock-µs")
			if e.mu.threadCPU != nil {
				b.ReportMetric(float64(e.mu.longestCPUHold().Microseconds()), "max-lock-cpu-µs")
			}
		})
	}
}
