package emulator

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentVariables has many clients add and delete variables of one
// Space at once, over a real loopback server: the final map is exactly the
// acknowledged adds less the acknowledged deletes.
func TestConcurrentVariables(t *testing.T) {
	t.Parallel()
	srv := NewTestServer(t, Config{Seed: "demo"})
	client := srv.Client()
	send := func(method, key string) int {
		body := fmt.Sprintf(`{"key":%q,"value":"v-%s"}`, key, key)
		req, _ := http.NewRequestWithContext(t.Context(), method, srv.URL+"/api/spaces/demo/gradio-app/variables", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var mu sync.Mutex
	want := map[string]bool{"MODEL_ID": true, "GREETING": true}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				key := fmt.Sprintf("G%d_%d", g, i)
				if send("POST", key) == 200 {
					mu.Lock()
					want[key] = true
					mu.Unlock()
				}
				// Every fourth one is deleted again, readers interleave.
				if i%4 == 3 && send("DELETE", key) == 200 {
					mu.Lock()
					delete(want, key)
					mu.Unlock()
				}
				srv.Emulator.Stage("demo/gradio-app")
			}
		})
	}
	wg.Wait()
	h := &hub{t: t, e: srv.Emulator, client: client, base: srv.URL}
	got := h.do("GET", "/api/spaces/demo/gradio-app/variables", DemoReadToken, nil).json(t).(map[string]any)
	var gotKeys, wantKeys []string
	for k, v := range got {
		gotKeys = append(gotKeys, k)
		if k != "MODEL_ID" && k != "GREETING" && field(v, "value") != "v-"+k {
			t.Errorf("%s = %v", k, v)
		}
	}
	for k := range want {
		wantKeys = append(wantKeys, k)
	}
	sort.Strings(gotKeys)
	sort.Strings(wantKeys)
	if len(wantKeys) != 2+16*15 || strings.Join(gotKeys, ",") != strings.Join(wantKeys, ",") {
		t.Errorf("final keys: got %d, want %d (acknowledged)", len(gotKeys), len(wantKeys))
	}
}

// TestEnvSizeLimits: a value over 64 KiB, or variables and secrets over
// 256 KiB together, are refused, so that no token holder can make the
// record every write saves large enough to stall the emulator.
func TestEnvSizeLimits(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	const sp = "/api/spaces/demo/gpu-app"
	big := strings.Repeat("x", maxEnvValue+1)
	for _, path := range []string{sp + "/variables", sp + "/secrets"} {
		r := h.do("POST", path, DemoWriteToken, map[string]string{"key": "BIG", "value": big})
		if r.status != 400 || !strings.Contains(string(r.body), "at most 65536") {
			t.Errorf("%s with a value of 64 KiB + 1: %d %s", path, r.status, r.body)
		}
	}
	r := h.do("POST", sp+"/variables", DemoWriteToken, map[string]string{"key": "D", "value": "", "description": big})
	mustStatus(t, r, 400)
	value := strings.Repeat("x", maxEnvValue)
	accepted := 0
	for i := range 10 {
		r := h.do("POST", sp+"/variables", DemoWriteToken, map[string]string{"key": fmt.Sprintf("V%d", i), "value": value})
		if r.status != 200 {
			if !strings.Contains(string(r.body), "at most 262144 bytes together") {
				t.Errorf("refusal: %s", r.body)
			}
			break
		}
		accepted++
	}
	if accepted != 3 {
		t.Errorf("%d values of 64 KiB accepted, want 3 (256 KiB with the entries' overhead)", accepted)
	}
	// The refused write changed nothing; replacing a value within the
	// total is fine.
	if field(h.do("GET", sp+"/variables", DemoWriteToken, nil).json(t), "V3") != nil {
		t.Error("a refused variable is there")
	}
	mustStatus(t, h.do("POST", sp+"/variables", DemoWriteToken, map[string]string{"key": "V0", "value": "small"}), 200)
	// At create and duplicate too.
	vars := []map[string]string{}
	for i := range 5 {
		vars = append(vars, map[string]string{"key": fmt.Sprintf("W%d", i), "value": value})
	}
	mustStatus(t, h.do("POST", "/api/repos/create", DemoWriteToken, map[string]any{"name": "big", "type": "space", "sdk": "gradio", "variables": vars}), 400)
	mustStatus(t, h.do("POST", "/api/spaces/demo/gpu-app/duplicate", DemoWriteToken, map[string]any{"repository": "demo/big", "variables": vars[:2]}), 400)
}

// TestSlowBodyTimesOut: a client that stops sending its body in the middle
// gets a 408 and its connection closed once the body timeout passes; it
// holds nothing meanwhile (other requests are served).
func TestSlowBodyTimesOut(t *testing.T) {
	t.Parallel()
	srv := NewTestServer(t, Config{Seed: "demo", BodyTimeout: 200 * time.Millisecond})
	conn, err := net.Dial("tcp", srv.Server.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/spaces/demo/gradio-app/variables HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer %s\r\nContent-Length: 100\r\n\r\n{\"key\":", DemoWriteToken)
	resp, err := http.Get(srv.URL + "/api/spaces/demo/gradio-app/runtime")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a read while a body is slow: %d", resp.StatusCode)
	}
	conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // a bound, not an expectation
	slow, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(slow.Body)
	if slow.StatusCode != http.StatusRequestTimeout || !slow.Close {
		t.Errorf("slow body: %d (close %v) %s, want 408 and the connection closed", slow.StatusCode, slow.Close, body)
	}
}

// TestVolumeLimits: volumes, kept in the record every write saves, are
// bounded too.
func TestVolumeLimits(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	vol := func(source string) map[string]any {
		return map[string]any{"type": "dataset", "source": source, "mountPath": "/d"}
	}
	many := []map[string]any{}
	for range maxVolumes + 1 {
		many = append(many, vol("a/b"))
	}
	r := h.do("PUT", "/api/spaces/demo/gradio-app/volumes", DemoWriteToken, map[string]any{"volumes": many})
	if r.status != 400 || !strings.Contains(string(r.body), "At most 20 volumes") {
		t.Errorf("21 volumes: %d %s", r.status, r.body)
	}
	r = h.do("PUT", "/api/spaces/demo/gradio-app/volumes", DemoWriteToken, map[string]any{"volumes": []map[string]any{vol(strings.Repeat("a", maxVolumeField+1))}})
	mustStatus(t, r, 400)
	mustStatus(t, h.do("PUT", "/api/spaces/demo/gradio-app/volumes", DemoWriteToken, map[string]any{"volumes": many[:maxVolumes]}), 200)
}
