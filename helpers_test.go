package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hfhub-go/hfhub/internal/cassette"
)

// testToken is the token every test client sends. It is long and unusual so
// that finding it in an error message or a log line cannot be a coincidence.
const testToken = "hf_TestTokenThatMustNeverLeak0123456789"

// fastRetry keeps retry tests quick: the backoff durations must be non-zero,
// since a zero duration means "use the default".
var fastRetry = RetryPolicy{
	MaxRetries: 3,
	MinBackoff: time.Millisecond,
	MaxBackoff: 2 * time.Millisecond,
	MaxWait:    5 * time.Millisecond,
}

// noRetry turns retries off.
var noRetry = RetryPolicy{
	MaxRetries: 0,
	MinBackoff: time.Millisecond,
	MaxBackoff: time.Millisecond,
	MaxWait:    time.Millisecond,
}

// setup starts an httptest server whose requests go to the returned mux and
// a client aimed at it, authenticated with testToken and with fast retries.
// Options given here are applied after those defaults. Any request that no
// pattern of the mux claims fails the test, and so does any request whose
// path is not clean (a doubled slash, a dot segment): the mux would
// otherwise redirect those to the clean path and hide the mistake.
func setup(t *testing.T, opts ...Option) (client *Client, mux *http.ServeMux, serverURL string) {
	t.Helper()
	mux = http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.Error(w, `{"error":"unexpected request in test"}`, http.StatusTeapot)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.EscapedPath(); p != path.Clean(p) {
			t.Errorf("request path %q is not clean", p)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := []Option{WithEndpoint(srv.URL), WithToken(testToken), WithRetry(fastRetry)}
	client, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return client, mux, srv.URL
}

// noRequests sets up a client whose server fails the test on any request:
// for checks that must be made before anything is sent.
func noRequests(t *testing.T) (client *Client, requests *atomic.Int64) {
	t.Helper()
	requests = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		t.Errorf("request sent although it should have been refused: %s %s", r.Method, r.URL)
		http.Error(w, `{"error":"should not be here"}`, http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	client, err := NewClient(WithEndpoint(srv.URL), WithToken(testToken), WithRetry(noRetry))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return client, requests
}

// handlerTransport answers requests by calling a handler in memory. Unlike a
// loopback httptest.Server it opens no socket and starts no goroutine, so it
// works inside a testing/synctest bubble, where a blocked network read would
// keep fake time from advancing.
type handlerTransport struct{ handler http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	sr := r.Clone(ctx)
	sr.Body = io.NopCloser(bytes.NewReader(body))
	sr.ContentLength = int64(len(body))
	sr.RequestURI = r.URL.RequestURI()
	sr.Host = r.URL.Host
	rec := httptest.NewRecorder()
	ht.handler.ServeHTTP(rec, sr)
	if err := ctx.Err(); err != nil {
		// A real transport reports the cancellation, not what the
		// server may have begun to answer.
		return nil, err
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// memClient returns a client whose requests are answered in memory by h, with
// the endpoint https://hub.test. Use it inside synctest bubbles.
func memClient(t testing.TB, h http.Handler, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithEndpoint("https://hub.test"),
		WithToken(testToken),
		WithHTTPClient(&http.Client{Transport: handlerTransport{h}}),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.Method; got != want {
		t.Errorf("request method = %q, want %q", got, want)
	}
}

// testQuery checks the whole query string, so extra parameters fail too.
func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	got := r.URL.Query()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s\nraw query %q", diff, r.URL.RawQuery)
	}
}

// testJSONBody decodes the request body as a JSON object and compares it
// with want, so key names, value types and omitted optional keys all count.
// JSON numbers decode as float64.
func testJSONBody(t *testing.T, r *http.Request, want map[string]any) {
	t.Helper()
	data, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("reading request body: %v", err)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Errorf("request body %q is not a JSON object: %v", data, err)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request body mismatch (-want +got):\n%s", diff)
	}
}

// testNoBody checks that the request carries no body at all.
func testNoBody(t *testing.T, r *http.Request) {
	t.Helper()
	data, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("reading request body: %v", err)
	}
	if len(data) != 0 || r.ContentLength > 0 {
		t.Errorf("request body = %q (Content-Length %d), want none", data, r.ContentLength)
	}
}

// testPath checks the escaped path as sent on the wire.
func testPath(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.URL.EscapedPath(); got != want {
		t.Errorf("escaped path = %q, want %q", got, want)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// loadCassettes reads the recorded production traffic once per test binary.
var loadCassettes = sync.OnceValues(cassette.LoadAll)

// recordedAnswer returns the body the Hub answered to the nth (from 0)
// request with this method and path in the named cassette ("test_space_runtime").
func recordedAnswer(t testing.TB, name, method, urlPath string, nth int) string {
	t.Helper()
	cs, err := loadCassettes()
	if err != nil {
		t.Fatalf("loading cassettes: %v", err)
	}
	for _, c := range cs {
		if c.Name != "TestSpaceAPIProduction."+name {
			continue
		}
		for _, it := range c.Interactions {
			u, err := url.Parse(it.Request.URI)
			if err != nil {
				t.Fatalf("cassette %s: %v", name, err)
			}
			if it.Request.Method == method && u.Path == urlPath {
				if nth == 0 {
					return it.Response.Body
				}
				nth--
			}
		}
		t.Fatalf("cassette %s has no such %s %s", name, method, urlPath)
	}
	t.Fatalf("no cassette %s", name)
	return ""
}

// Recorded answers used by many tests.
func recordedBuildingRuntime(t testing.TB) string {
	return recordedAnswer(t, "test_space_runtime", "GET", "/api/spaces/user/tmp_test_space/runtime", 0)
}

func recordedPausedRuntime(t testing.TB) string {
	return recordedAnswer(t, "test_pause_and_restart_space", "POST", "/api/spaces/user/tmp_test_space/pause", 0)
}

func recordedStaticRuntime(t testing.TB) string {
	return recordedAnswer(t, "test_static_space_runtime", "GET", "/api/spaces/victor/static-space/runtime", 0)
}

// logRecorder is a slog.Handler that keeps every record, rendered as one line
// of "message key=value ...", for tests of what the client logs.
type logRecorder struct {
	mu    *sync.Mutex
	lines *[]string
	attrs []slog.Attr
}

func newLogRecorder() *logRecorder {
	return &logRecorder{mu: new(sync.Mutex), lines: new([]string)}
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
	for _, a := range h.attrs {
		fmt.Fprintf(&b, " %s", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s", a)
		return true
	})
	h.mu.Lock()
	*h.lines = append(*h.lines, b.String())
	h.mu.Unlock()
	return nil
}

func (h *logRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &h2
}

func (h *logRecorder) WithGroup(string) slog.Handler { return h }

func (h *logRecorder) Lines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), *h.lines...)
}

func ptr[T any](v T) *T { return &v }

// mustTime parses an RFC 3339 time or fails the test.
func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// jsonEqual reports whether got and want hold the same JSON value.
func jsonEqual(t testing.TB, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("not JSON: %s: %v", got, err)
		return false
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad JSON in test: %v", err)
	}
	return cmp.Equal(g, w)
}

func slogLogger(h slog.Handler) *slog.Logger { return slog.New(h) }
