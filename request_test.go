package hfhub

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestClient_NewRequestDo(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/u/s/discussions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.Header.Get("Authorization") != "Bearer "+testToken || !strings.HasPrefix(r.Header.Get("User-Agent"), "hfhub-go/") {
			t.Errorf("headers %v", r.Header)
		}
		testJSONBody(t, r, map[string]any{"title": "hi", "pullRequest": true})
		writeJSON(w, 200, `{"num":7}`)
	})
	req, err := client.NewRequest(t.Context(), "POST", "api/spaces/u/s/discussions", map[string]any{"title": "hi", "pullRequest": true})
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Num int }
	resp, err := client.Do(req, &out)
	if err != nil || out.Num != 7 || resp.StatusCode != 200 {
		t.Errorf("Do = %v, %+v", err, out)
	}
}

func TestClient_Do_RetriesIdempotentMethodsOnly(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var gets, posts, puts atomic.Int64
	mux.HandleFunc("/api/x", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.Method {
		case "GET":
			if gets.Add(1) < 3 {
				writeJSON(w, 503, `{"error":"busy"}`)
				return
			}
		case "PUT":
			if string(body) != `{"a":1}` {
				t.Errorf("replayed body %q", body)
			}
			if puts.Add(1) < 2 {
				writeJSON(w, 502, `{}`)
				return
			}
		case "POST":
			posts.Add(1)
			writeJSON(w, 503, `{"error":"busy"}`)
			return
		}
		writeJSON(w, 200, `{"ok":true}`)
	})
	for _, m := range []string{"GET", "PUT", "POST"} {
		var body any
		if m == "PUT" {
			body = map[string]int{"a": 1}
		}
		req, _ := client.NewRequest(t.Context(), m, "/api/x", body)
		_, err := client.Do(req, nil)
		if m == "POST" {
			if !errors.Is(err, ErrServer) {
				t.Errorf("POST: %v", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	if gets.Load() != 3 || puts.Load() != 2 || posts.Load() != 1 {
		t.Errorf("GET %d, PUT %d, POST %d requests; want 3, 2, 1", gets.Load(), puts.Load(), posts.Load())
	}
}

func TestClient_Do_TypedErrorsAndWriter(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeJSON(w, 404, `{"error":"Repository not found"}`)
	})
	mux.HandleFunc("/raw", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "raw bytes") })
	req, _ := client.NewRequest(t.Context(), "GET", "api/missing", nil)
	if _, err := client.Do(req, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Do = %v, want ErrNotFound", err)
	}
	req, _ = client.NewRequest(t.Context(), "GET", "raw", nil)
	var buf bytes.Buffer
	if _, err := client.Do(req, &buf); err != nil || buf.String() != "raw bytes" {
		t.Errorf("Do(writer) = %v, %q", err, buf.String())
	}
}

// A request to another host never carries the token.
func TestClient_Do_NoTokenToAnotherHost(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get("Authorization"); h != "" {
			t.Errorf("another host got Authorization %q", h)
		}
	}))
	t.Cleanup(other.Close)
	client, _, _ := setup(t)
	req, _ := http.NewRequestWithContext(t.Context(), "GET", other.URL+"/x", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if _, err := client.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.NewRequest(t.Context(), "GET", other.URL+"/x", nil); err == nil {
		t.Errorf("NewRequest took an absolute URL")
	}
}
