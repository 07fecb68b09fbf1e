package hfhub

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The GetRuntime benchmark and its baseline ask the same in-process server
// for the same recorded runtime object; the baseline does it with bare
// net/http and json.Unmarshal into a map. The client must stay within
// 1.15× the baseline's time per call (docs/PERFORMANCE.md):
//
//	go test -run '^$' -bench 'GetRuntime' -benchmem -count 6 .

func runtimeServer(b *testing.B) *httptest.Server {
	b.Helper()
	body := []byte(recordedBuildingRuntime(b))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/spaces/user/tmp_test_space/runtime" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkGetRuntime(b *testing.B) {
	srv := runtimeServer(b)
	client, err := NewClient(WithEndpoint(srv.URL), WithToken(testToken))
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		rt, err := client.Spaces.GetRuntime(ctx, "user/tmp_test_space")
		if err != nil {
			b.Fatal(err)
		}
		if rt.Stage != StageBuilding {
			b.Fatalf("stage %q", rt.Stage)
		}
	}
}

func BenchmarkBaselineGetRuntime(b *testing.B) {
	srv := runtimeServer(b)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	u := srv.URL + "/api/spaces/user/tmp_test_space/runtime"
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d, %v", resp.StatusCode, err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
		if m["stage"] != "BUILDING" {
			b.Fatalf("stage %v", m["stage"])
		}
	}
}
