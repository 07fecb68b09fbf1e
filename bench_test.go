package hfhub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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
	defer cpuMeter(b, 0)()
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
	defer cpuMeter(b, 0)()
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

// List and AddVariable against the same bare-net/http baselines (issue 8):
//
//	go test -run '^$' -bench 'List|AddVariable' -benchmem -count 6 .
//
// A listing page holds benchSpaces Spaces in the shape the Hub answers
// List with (full=true: no runtime); the baseline decodes it with
// json.Unmarshal into a plain struct of the fields SpaceInfo models.

const benchSpaces = 1000

type plainSpace struct {
	ID           string    `json:"id"`
	Author       string    `json:"author"`
	SHA          string    `json:"sha"`
	SDK          string    `json:"sdk"`
	Private      bool      `json:"private"`
	Disabled     bool      `json:"disabled"`
	Likes        int       `json:"likes"`
	LastModified time.Time `json:"lastModified"`
	CreatedAt    time.Time `json:"createdAt"`
	Subdomain    string    `json:"subdomain"`
	Host         string    `json:"host"`
	Tags         []string  `json:"tags"`
	Runtime      *struct {
		Stage string `json:"stage"`
	} `json:"runtime"`
}

func listPageBody() []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := range benchSpaces {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"_id":"67cae56f2255614a05ef%04x","id":"user%d/space-%d","author":"user%d","sha":"5f8d2c0e6b1a9a4e3c7d2b1f0e9d8c7b6a5f4e3d",`+
			`"lastModified":"2025-03-07T12:24:19.000Z","private":false,"gated":false,"disabled":false,"host":"https://user%d-space-%d.hf.space",`+
			`"subdomain":"user%d-space-%d","likes":%d,"sdk":"gradio","tags":["gradio","region:us"],`+
			`"siblings":[{"rfilename":".gitattributes"},{"rfilename":"README.md"},{"rfilename":"app.py"}],`+
			`"createdAt":"2025-03-07T12:20:01.000Z","cardData":{"title":"Space %d","emoji":"🚀","sdk":"gradio","app_file":"app.py","pinned":false},`+
			`"models":[],"datasets":[],"usedStorage":0}`, i, i%97, i, i%97, i%97, i, i%97, i, i%13, i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

func listServer(b *testing.B) *httptest.Server {
	b.Helper()
	body := listPageBody()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkList(b *testing.B) {
	srv := listServer(b)
	client, err := NewClient(WithEndpoint(srv.URL), WithToken(testToken))
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	defer cpuMeter(b, benchSpaces)()
	for b.Loop() {
		n := 0
		for s, err := range client.Spaces.List(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			if s.ID == "" {
				b.Fatal("no id")
			}
			n++
		}
		if n != benchSpaces {
			b.Fatalf("%d spaces", n)
		}
	}
}

func BenchmarkBaselineList(b *testing.B) {
	srv := listServer(b)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	u := srv.URL + "/api/spaces?full=true"
	ctx := b.Context()
	b.ReportAllocs()
	defer cpuMeter(b, benchSpaces)()
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
		var page []plainSpace
		if err := json.Unmarshal(data, &page); err != nil {
			b.Fatal(err)
		}
		if len(page) != benchSpaces || page[0].ID == "" {
			b.Fatalf("%d spaces", len(page))
		}
	}
}

// The AddVariable answer is the Space's whole variables map after the
// change: here 10 variables.
func variablesServer(b *testing.B) *httptest.Server {
	b.Helper()
	var sb strings.Builder
	sb.WriteByte('{')
	for i := range 10 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"VAR_%d":{"value":"value number %d","description":"what variable %d is for","updatedAt":"2025-03-07T12:24:19.337Z"}`, i, i, i)
	}
	sb.WriteByte('}')
	body := []byte(sb.String())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkAddVariable(b *testing.B) {
	srv := variablesServer(b)
	client, err := NewClient(WithEndpoint(srv.URL), WithToken(testToken))
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	defer cpuMeter(b, 0)()
	for b.Loop() {
		v, err := client.Spaces.AddVariable(ctx, "user/space", "VAR_3", "value number 3", nil)
		if err != nil {
			b.Fatal(err)
		}
		if v.Value != "value number 3" {
			b.Fatalf("value %q", v.Value)
		}
	}
}

func BenchmarkBaselineAddVariable(b *testing.B) {
	srv := variablesServer(b)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	u := srv.URL + "/api/spaces/user/space/variables"
	ctx := b.Context()
	b.ReportAllocs()
	defer cpuMeter(b, 0)()
	for b.Loop() {
		body, err := json.Marshal(struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		}{"VAR_3", "value number 3"})
		if err != nil {
			b.Fatal(err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
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
		var vars map[string]struct {
			Value       string    `json:"value"`
			Description string    `json:"description"`
			UpdatedAt   time.Time `json:"updatedAt"`
		}
		if err := json.Unmarshal(data, &vars); err != nil {
			b.Fatal(err)
		}
		if vars["VAR_3"].Value != "value number 3" {
			b.Fatalf("value %q", vars["VAR_3"].Value)
		}
	}
}

// The decoding alone, without HTTP: a listing page of benchSpaces Spaces.
func BenchmarkDecodeListPage(b *testing.B) {
	page := listPageBody()
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	defer cpuMeter(b, benchSpaces)()
	for b.Loop() {
		buf := append([]byte(nil), page...) // List decodes a buffer of its own
		infos, err := decodeSpaces(buf)
		if err != nil || len(infos) != benchSpaces {
			b.Fatal(len(infos), err)
		}
	}
}

func BenchmarkBaselineDecodeListPage(b *testing.B) {
	page := listPageBody()
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	defer cpuMeter(b, benchSpaces)()
	for b.Loop() {
		buf := append([]byte(nil), page...)
		var infos []plainSpace
		if err := json.Unmarshal(buf, &infos); err != nil || len(infos) != benchSpaces {
			b.Fatal(len(infos), err)
		}
	}
}
