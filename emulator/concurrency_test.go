package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
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
