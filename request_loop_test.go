package hfhub

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// The repository side's requests (LFS batch, complete, verify, the commit)
// go through the same retry loop as every other call: a 2xx answer cut
// while being read is retried when the request is safe to repeat, and is an
// unknown outcome when it is not.
func TestExchangeRaw_CutAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		retry     bool
		wantCalls int64
	}{
		{"retried", true, 2},
		{"sent once", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var calls atomic.Int64
			mux.HandleFunc("/api/thing", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					cutAnswer(t, w, r, `{"objects":[{"oid":"abc"}]}`)
					return
				}
				writeJSON(w, http.StatusOK, `{"objects":[{"oid":"abc"}]}`)
			})
			var answer struct {
				Objects []struct{ OID string } `json:"objects"`
			}
			err := client.exchangeRaw(t.Context(), rawCall{op: "Thing", method: http.MethodPost, url: client.base + "/api/thing",
				retry: tc.retry, body: jsonBody(map[string]string{"a": "b"})}, &answer)
			if n := calls.Load(); n != tc.wantCalls {
				t.Errorf("server saw %d requests, want %d", n, tc.wantCalls)
			}
			switch {
			case tc.retry && (err != nil || len(answer.Objects) != 1 || answer.Objects[0].OID != "abc"):
				t.Errorf("exchangeRaw = %v, %+v; want the second answer", err, answer)
			case !tc.retry && !errors.Is(err, ErrOutcomeUnknown):
				t.Errorf("exchangeRaw = %v; want ErrOutcomeUnknown", err)
			}
		})
	}
}

// The token goes only to the endpoint's host, never with noAuth, whichever
// way a request is sent.
func TestSendRaw_TokenOnlyToTheHub(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var hubAuth, noAuth atomic.Value
	mux.HandleFunc("/api/a", func(w http.ResponseWriter, r *http.Request) {
		hubAuth.Store(r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, `{}`)
	})
	mux.HandleFunc("/api/b", func(w http.ResponseWriter, r *http.Request) {
		noAuth.Store(r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, `{}`)
	})
	var other atomic.Value
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Store(r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(elsewhere.Close)
	if err := client.exchangeRaw(t.Context(), rawCall{op: "A", method: http.MethodGet, url: client.base + "/api/a", retry: true}, nil); err != nil {
		t.Fatal(err)
	}
	if err := client.exchangeRaw(t.Context(), rawCall{op: "B", method: http.MethodGet, url: client.base + "/api/b", retry: true, noAuth: true}, nil); err != nil {
		t.Fatal(err)
	}
	if err := client.exchangeRaw(t.Context(), rawCall{op: "C", method: http.MethodGet, url: elsewhere.URL + "/x", retry: true}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := hubAuth.Load().(string); got == "" {
		t.Error("no token sent to the Hub")
	}
	if got, _ := noAuth.Load().(string); got != "" {
		t.Errorf("noAuth request carried %q", got)
	}
	if got, _ := other.Load().(string); got != "" {
		t.Errorf("another host got %q", got)
	}
}

// Client.Do reads a JSON answer inside the retry loop: a cut answer to a GET
// is retried; a cut answer to a POST (not retried) is an unknown outcome.
func TestDo_CutAnswer(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var calls atomic.Int64
			mux.HandleFunc("/api/thing", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					cutAnswer(t, w, r, `{"name":"thing"}`)
					return
				}
				writeJSON(w, http.StatusOK, `{"name":"thing"}`)
			})
			req, err := client.NewRequest(t.Context(), method, "api/thing", nil)
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ Name string }
			_, err = client.Do(req, &got)
			if method == http.MethodGet {
				if err != nil || got.Name != "thing" || calls.Load() != 2 {
					t.Errorf("Do(GET) = %v, %+v after %d requests; want the second answer", err, got, calls.Load())
				}
				return
			}
			if !errors.Is(err, ErrOutcomeUnknown) || calls.Load() != 1 {
				t.Errorf("Do(POST) = %v after %d requests; want ErrOutcomeUnknown after 1", err, calls.Load())
			}
		})
	}
}
