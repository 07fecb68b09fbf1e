package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// pipeTransport is an http.RoundTripper that serves each request with a
// handler in the same process and streams the answer through an io.Pipe:
// what the handler writes (and flushes) reaches the client as it is
// written, the handler sees the client leave (its request context is
// cancelled and its writes fail), and a handler that panics with
// http.ErrAbortHandler cuts the stream like a reset connection, as
// net/http's server does. Unlike a loopback httptest.Server, it works inside
// a testing/synctest bubble: every goroutine it starts belongs to the
// bubble, so fake time advances and the bubble checks that none is left.
type pipeTransport struct{ handler http.Handler }

var errPipeReset = errors.New("connection reset by peer (pipeTransport)")

func (pt pipeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(req.Context())
	pr, pw := io.Pipe()
	w := &pipeResponseWriter{header: make(http.Header), pw: pw, headerSent: make(chan struct{})}
	sreq := req.Clone(ctx)
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	sreq.RequestURI = req.URL.RequestURI()
	sreq.Host = req.URL.Host
	sreq.RemoteAddr = "192.0.2.1:1234"
	go func() {
		defer cancel()
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					panic(v)
				}
				w.abort()
				return
			}
			w.WriteHeader(http.StatusOK)
			pw.Close()
		}()
		pt.handler.ServeHTTP(w, sreq)
	}()
	select {
	case <-w.headerSent:
	case <-req.Context().Done():
		cancel()
		pr.CloseWithError(req.Context().Err())
		return nil, req.Context().Err()
	}
	if w.aborted {
		pr.Close()
		return nil, errPipeReset
	}
	// The client's context ends a blocked read, as a real transport's does.
	stop := context.AfterFunc(req.Context(), func() { pr.CloseWithError(req.Context().Err()) })
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          &pipeBody{pr: pr, cancel: cancel, stop: stop},
		ContentLength: -1,
		Request:       req,
	}, nil
}

type pipeResponseWriter struct {
	header     http.Header
	sent       http.Header
	status     int
	pw         *io.PipeWriter
	headerSent chan struct{}
	aborted    bool
}

func (w *pipeResponseWriter) Header() http.Header { return w.header }

func (w *pipeResponseWriter) WriteHeader(code int) {
	if w.sent != nil {
		return
	}
	w.status, w.sent = code, w.header.Clone()
	close(w.headerSent)
}

func (w *pipeResponseWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Flush is a no-op: writes to a pipe reach the reader unbuffered.
func (w *pipeResponseWriter) Flush() { w.WriteHeader(http.StatusOK) }

func (w *pipeResponseWriter) abort() {
	if w.sent == nil {
		w.aborted = true
		close(w.headerSent)
	}
	w.pw.CloseWithError(errPipeReset)
}

type pipeBody struct {
	pr     *io.PipeReader
	cancel context.CancelFunc
	stop   func() bool
}

func (b *pipeBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *pipeBody) Close() error {
	b.stop()
	b.pr.Close()
	b.cancel()
	return nil
}

const logsTestToken = "hf_LogsTestTokenNeverLogged0123456789"

// logsPipeClient is a client whose requests h answers through a
// pipeTransport: for synctest bubbles. Retries keep their default pacing,
// which fake time makes instant.
func logsPipeClient(t testing.TB, h http.Handler, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithEndpoint("https://hub.test"),
		WithToken(logsTestToken),
		WithHTTPClient(&http.Client{Transport: pipeTransport{h}}),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// logsHTTPClient starts an httptest server with h and returns a client for
// it with fast retries.
func logsHTTPClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithEndpoint(srv.URL), WithToken(logsTestToken),
		WithRetry(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxWait: 5 * time.Millisecond}))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// fastReconnect keeps reconnection tests over real time quick.
var fastReconnect = &RetryPolicy{MaxRetries: 5, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}

var logsEpoch = time.Date(2025, 3, 7, 12, 24, 19, 337_000_000, time.UTC)

// testLogLine is line i of the logs the test servers write.
func testLogLine(i int) LogLine {
	return LogLine{Text: fmt.Sprintf("line %03d: ready ✓", i), Timestamp: logsEpoch.Add(time.Duration(i) * time.Second)}
}

func testLogLines(from, to int) []LogLine {
	var lines []LogLine
	for i := from; i < to; i++ {
		lines = append(lines, testLogLine(i))
	}
	return lines
}

// sseLogEvent is the event the Hub sends for a line: its text as logged
// (with the newline) and its time.
func sseLogEvent(l LogLine) string {
	payload, err := json.Marshal(map[string]string{"data": l.Text + "\n", "timestamp": l.Timestamp.Format(time.RFC3339Nano)})
	if err != nil {
		panic(err)
	}
	return "data: " + string(payload) + "\n\n"
}

// startEventStream answers 200 with the event-stream headers, as the Hub does.
func startEventStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush()
}

// writeSSE writes chunks, flushing each; false when the client has gone.
func writeSSE(w http.ResponseWriter, chunks ...string) bool {
	for _, c := range chunks {
		if _, err := io.WriteString(w, c); err != nil {
			return false
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			return false
		}
	}
	return true
}

func writeLogLines(w http.ResponseWriter, lines []LogLine) bool {
	for _, l := range lines {
		if !writeSSE(w, sseLogEvent(l)) {
			return false
		}
	}
	return true
}

// collectLogs runs Logs to its end.
func collectLogs(ctx context.Context, c *Client, repoID string, opts *LogOptions) ([]LogLine, error) {
	var lines []LogLine
	for line, err := range c.Spaces.Logs(ctx, repoID, opts) {
		if err != nil {
			return lines, err
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// The Hub keeps a log stream open after the replay: a buffered read ends
// once the server has been silent for logHistoryQuiet after the burst.
func TestLogs_BufferedStopsAfterTheHistoryBurst(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		want := testLogLines(0, 5)
		var served atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			served.Add(1)
			startEventStream(w)
			writeLogLines(w, want)
			<-r.Context().Done() // the Hub keeps the stream open
		}))
		start := time.Now()
		got, err := collectLogs(t.Context(), c, "user/space", nil)
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		// Fake time: the read ends exactly one quiet period after the last data.
		if waited := time.Since(start); waited != logHistoryQuiet {
			t.Errorf("the buffered read took %s, want the quiet period %s", waited, logHistoryQuiet)
		}
		if n := served.Load(); n != 1 {
			t.Errorf("%d connections, want 1", n)
		}
	})
}

// A server that answers but sends nothing ends a buffered read after the
// idle timeout: there is no burst to wait the end of.
func TestLogs_BufferedSilentServerStopsAfterIdleTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			<-r.Context().Done()
		}))
		start := time.Now()
		got, err := collectLogs(t.Context(), c, "user/space", nil)
		if err != nil || len(got) != 0 {
			t.Fatalf("Logs = %v, %v; want no line and no error", got, err)
		}
		if waited := time.Since(start); waited != defaultLogIdle {
			t.Errorf("the buffered read took %s, want the idle timeout %s", waited, defaultLogIdle)
		}
	})
}

// The first event may come late (a slow server, a 500 ms first byte): the
// quiet period starts with it, not with the answer, so a late replay is
// read whole. An empty log whose server sends a keep-alive ends a quiet
// period after it.
func TestLogs_BufferedLateFirstEvent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []LogLine
	}{{"late replay", testLogLines(0, 4)}, {"empty log, keep-alive", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					startEventStream(w)
					time.Sleep(2 * time.Second)
					if len(tc.lines) == 0 {
						writeSSE(w, "data:\n\n")
					}
					writeLogLines(w, tc.lines)
					<-r.Context().Done()
				}))
				start := time.Now()
				got, err := collectLogs(t.Context(), c, "user/space", nil)
				if err != nil {
					t.Fatalf("Logs: %v", err)
				}
				if diff := cmp.Diff(tc.lines, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
				if waited, want := time.Since(start), 2*time.Second+logHistoryQuiet; waited != want {
					t.Errorf("the buffered read took %s, want %s (first event + quiet period)", waited, want)
				}
			})
		})
	}
}

// liveLogHandler serves a log the way the Hub does for a Space that logs
// continuously: a Date header (the server's clock, whole seconds), the
// history in one burst, then a new line every 100 ms, stamped when it is
// logged, for as long as the client stays. Every connection replays the
// history and the live lines logged so far.
type liveLogHandler struct {
	history []LogLine
	date    bool
	mu      sync.Mutex
	conns   int
	live    []LogLine
	started bool
}

// logged is the log now: the history, then a line every 100 ms since the
// first connection.
func (h *liveLogHandler) logged() []LogLine {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append(h.history[:len(h.history):len(h.history)], h.live...)
}

func (h *liveLogHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.conns++
	if !h.started {
		h.started = true
		go h.logEvery100ms(r.Context())
	}
	h.mu.Unlock()
	if h.date {
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	startEventStream(w)
	sent := 0
	for {
		lines := h.logged()
		if !writeLogLines(w, lines[sent:]) {
			return
		}
		sent = len(lines)
		select {
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// logEvery100ms logs until the test ends (the bubble's last connection
// closes with it): its context is the first request's, so it stops with
// that connection, as far as the tests need.
func (h *liveLogHandler) logEvery100ms(ctx context.Context) {
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
		h.mu.Lock()
		h.live = append(h.live, LogLine{Text: fmt.Sprintf("live %d", i), Timestamp: time.Now()})
		h.mu.Unlock()
	}
}

// pastLogLines are n lines logged a minute ago and after, in a bubble's time.
func pastLogLines(n int) []LogLine {
	var lines []LogLine
	for i := range n {
		lines = append(lines, LogLine{Text: fmt.Sprintf("earlier %d", i), Timestamp: time.Now().Add(time.Duration(i-60) * time.Second)})
	}
	return lines
}

// A buffered read of a Space that logs more often than the quiet period
// still ends: at the first line stamped a second after the server's Date.
// The lines of that second are history too (Date has whole seconds); the
// local clock plays no part.
func TestLogs_BufferedEndsOnAContinuouslyLoggingSpace(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The bubble's clock starts on a whole second; the request comes
		// 350 ms into it, so Date is 350 ms behind the answer.
		time.Sleep(350 * time.Millisecond)
		answered := time.Now()
		date := answered.Truncate(time.Second)
		history := pastLogLines(3)
		h := &liveLogHandler{history: history, date: true}
		c := logsPipeClient(t, h)
		got, err := collectLogs(t.Context(), c, "user/space", nil)
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		want := history
		var after time.Time // the first live line stamped a second after Date
		for i := 0; ; i++ {
			ts := answered.Add(time.Duration(i+1) * 100 * time.Millisecond)
			if !ts.Before(date.Add(time.Second)) {
				after = ts
				break
			}
			want = append(want, LogLine{Text: fmt.Sprintf("live %d", i), Timestamp: ts})
		}
		if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		// The handler sends new lines within 10 ms.
		if now := time.Now(); now.Before(after) || now.After(after.Add(10*time.Millisecond)) {
			t.Errorf("the read ended at %s, want when the line stamped %s came", now, after)
		}
	})
}

// With Follow, keep-alives show the connection alive: it is reopened only
// once nothing at all, not even a keep-alive, has come for IdleTimeout.
func TestLogs_FollowKeepAlivesKeepTheConnection(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var conns int
		var droppedAt time.Time
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			conns++
			n := conns
			mu.Unlock()
			startEventStream(w)
			if n > 1 {
				writeLogLines(w, testLogLines(0, 2)) // and the server ends the stream
				return
			}
			writeLogLines(w, testLogLines(0, 1))
			for range 3 {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
				writeSSE(w, "data:\n\n")
			}
			<-r.Context().Done()
			mu.Lock()
			droppedAt = time.Now()
			mu.Unlock()
		}))
		start := time.Now()
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true, IdleTimeout: 1500 * time.Millisecond})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		if conns != 2 {
			t.Errorf("%d connections, want 2", conns)
		}
		if d, want := droppedAt.Sub(start), 3*time.Second+1500*time.Millisecond; d != want {
			t.Errorf("the first connection was dropped after %s, want %s (last keep-alive + idle timeout)", d, want)
		}
	})
}

// Without Follow, keep-alives do not keep a buffered read going: a server
// that sends them more often than the quiet period would otherwise hold it
// for ever. The read ends one quiet period after the last log line.
func TestLogs_BufferedIgnoresKeepAlivesForIdleness(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			writeLogLines(w, testLogLines(0, 2))
			for i := range 200 { // then stop, so that the test ends even when this fails
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
				keepAlive := "data:\n\n"
				if i%2 == 1 {
					keepAlive = ": ping\n\n"
				}
				if !writeSSE(w, keepAlive) {
					return
				}
			}
			<-r.Context().Done()
		}))
		start := time.Now()
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{IdleTimeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if waited := time.Since(start); waited != logHistoryQuiet {
			t.Errorf("the buffered read took %s, want the quiet period after the last line (%s)", waited, logHistoryQuiet)
		}
	})
}

// The idle timeout measures the server's silence, not the caller's: time
// spent in the loop body (a slow terminal, a pager the user does not
// scroll) must not end a buffered read early or drop a followed stream.
func TestLogs_SlowCallerIsNotIdle(t *testing.T) {
	t.Parallel()
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprintf("follow=%t", follow), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				want := testLogLines(0, 4)
				var conns atomic.Int64
				c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					conns.Add(1)
					startEventStream(w)
					writeLogLines(w, want)
					if !follow {
						<-r.Context().Done() // the Hub keeps the stream open
					}
				}))
				var got []LogLine
				for line, err := range c.Spaces.Logs(t.Context(), "user/space", &LogOptions{Follow: follow, IdleTimeout: time.Second}) {
					if err != nil {
						t.Fatalf("Logs: %v", err)
					}
					got = append(got, line)
					time.Sleep(3 * time.Second) // the caller is busy
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
				if n := conns.Load(); n != 1 {
					t.Errorf("%d connections, want 1", n)
				}
			})
		})
	}
}

func TestLogs_BufferedOverHTTP(t *testing.T) {
	t.Parallel()
	want := testLogLines(0, 50)
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		writeLogLines(w, want) // then the handler returns: the server ends the stream
	}))
	got, err := collectLogs(t.Context(), c, "user/space", nil)
	if err != nil {
		t.Fatalf("Logs: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestLogs_BuildAndRunPaths(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	for _, kind := range []string{"build", "run"} {
		mux.HandleFunc("GET /api/spaces/user/space/logs/"+kind, func(w http.ResponseWriter, r *http.Request) {
			if got := r.Header.Get("Accept"); got != "text/event-stream" {
				t.Errorf("Accept: %q, want text/event-stream", got)
			}
			if got, want := r.Header.Get("Authorization"), "Bearer "+logsTestToken; got != want {
				t.Errorf("Authorization: %q, want %q", got, want)
			}
			startEventStream(w)
			writeLogLines(w, []LogLine{{Text: kind + " log", Timestamp: logsEpoch}})
		})
	}
	c := logsHTTPClient(t, mux)
	for _, tt := range []struct {
		opts *LogOptions
		want string
	}{
		{nil, "run log"},
		{&LogOptions{}, "run log"},
		{&LogOptions{Build: true}, "build log"},
		{&LogOptions{Build: true, Follow: true}, "build log"},
		{&LogOptions{Follow: true}, "run log"},
	} {
		got, err := collectLogs(t.Context(), c, "user/space", tt.opts)
		if err != nil {
			t.Fatalf("Logs(%+v): %v", tt.opts, err)
		}
		if diff := cmp.Diff([]LogLine{{Text: tt.want, Timestamp: logsEpoch}}, got); diff != "" {
			t.Errorf("Logs(%+v) (-want +got):\n%s", tt.opts, diff)
		}
	}
}

func TestLogs_ErrorOnConnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		status       int
		header       map[string]string
		want         error
		wantRequests int64
	}{
		{"not found", http.StatusNotFound, map[string]string{"X-Error-Code": "RepoNotFound"}, ErrNotFound, 1},
		{"private or missing", http.StatusUnauthorized, nil, ErrNotFound, 1},
		{"forbidden", http.StatusForbidden, nil, ErrForbidden, 1},
		{"bad request", http.StatusBadRequest, nil, ErrBadRequest, 1},
		{"server error is retried", http.StatusServiceUnavailable, nil, ErrServer, 4},
		{"rate limit is retried", http.StatusTooManyRequests, map[string]string{"Retry-After": "0"}, ErrRateLimited, 4},
	}
	for _, tt := range tests {
		for _, follow := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/follow=%t", tt.name, follow), func(t *testing.T) {
				t.Parallel()
				var requests atomic.Int64
				c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					requests.Add(1)
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tt.status)
					io.WriteString(w, `{"error":"nope"}`)
				}))
				got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: follow, reconnect: fastReconnect})
				if len(got) != 0 {
					t.Errorf("got lines %v, want none", got)
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("error %v, want %v", err, tt.want)
				}
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Message != "nope" {
					t.Errorf("error %#v, want an *APIError with status %d and the server's message", err, tt.status)
				}
				if n := requests.Load(); n != tt.wantRequests {
					t.Errorf("%d requests, want %d", n, tt.wantRequests)
				}
			})
		}
	}
}

func TestLogs_RefusedBeforeSending(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	for _, tt := range []struct {
		repoID string
		opts   *LogOptions
		want   error
	}{
		{"", nil, ErrInvalidRepoID},
		{"user/../x", nil, ErrInvalidRepoID},
		{"user/space", &LogOptions{IdleTimeout: -time.Second}, ErrInvalidOption},
	} {
		if _, err := collectLogs(t.Context(), c, tt.repoID, tt.opts); !errors.Is(err, tt.want) {
			t.Errorf("Logs(%q, %+v): error %v, want %v", tt.repoID, tt.opts, err, tt.want)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestLogs_NotAnEventStream(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		contentType, body string
	}{
		{"text/html; charset=utf-8", "<html><body>Sign in to the proxy</body></html>"},
		{"application/json", `{"stage":"RUNNING"}`},
	} {
		c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tt.contentType)
			io.WriteString(w, tt.body)
		}))
		got, err := collectLogs(t.Context(), c, "user/space", nil)
		mt, _, _ := strings.Cut(tt.contentType, ";")
		if len(got) != 0 || err == nil || !strings.Contains(err.Error(), mt) {
			t.Errorf("%s: lines %v, error %v; want none and an error naming %s", tt.contentType, got, err, mt)
		}
	}
}

// The format is forgiving: an answer with no type, or a plain-text one,
// is read as an event stream.
func TestLogs_EventStreamWithOtherContentTypes(t *testing.T) {
	t.Parallel()
	for _, contentType := range []string{"", "text/plain; charset=utf-8", "text/event-stream; charset=utf-8"} {
		c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{contentType}
			writeLogLines(w, testLogLines(0, 2))
		}))
		got, err := collectLogs(t.Context(), c, "user/space", nil)
		if err != nil {
			t.Errorf("Content-Type %q: %v", contentType, err)
		}
		if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
			t.Errorf("Content-Type %q: lines (-want +got):\n%s", contentType, diff)
		}
	}
}

// TestLogs_FollowAcrossDisconnects drops the connection three times, in
// the three ways a stream is lost (cut inside an event, reset between
// events, silence), while the log grows; the server replays it from the
// start each time. Every line must arrive once, in order.
func TestLogs_FollowAcrossDisconnects(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		all := testLogLines(0, 40)
		var conns atomic.Int64
		var connectedAt []time.Time
		var mu sync.Mutex
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := conns.Add(1)
			mu.Lock()
			connectedAt = append(connectedAt, time.Now())
			mu.Unlock()
			startEventStream(w)
			switch n {
			case 1: // cut inside an event
				writeLogLines(w, all[:10])
				writeSSE(w, sseLogEvent(all[10])[:25])
				panic(http.ErrAbortHandler)
			case 2: // reset between events, keep-alives in the replay
				writeSSE(w, "data:\n\n", ": ping\n\n")
				writeLogLines(w, all[:20])
				panic(http.ErrAbortHandler)
			case 3: // silence
				writeLogLines(w, all[:30])
				<-r.Context().Done()
			default: // the whole log, then the server ends the stream
				writeLogLines(w, all)
			}
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(all, got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		// Every connection delivered a new line, so each failure is the
		// first in a row and the backoff stays at its start (1 s, jittered
		// down to no less than half); the silent one counts the 2 min idle
		// timeout first.
		mu.Lock()
		defer mu.Unlock()
		if len(connectedAt) != 4 {
			t.Fatalf("%d connections, want 4", len(connectedAt))
		}
		for i, minGap := range []time.Duration{500 * time.Millisecond, 500 * time.Millisecond, defaultLogFollowIdle + 500*time.Millisecond} {
			if gap := connectedAt[i+1].Sub(connectedAt[i]); gap < minGap || gap > minGap+time.Second {
				t.Errorf("reconnection %d after %s, want between %s and %s", i+1, gap, minGap, minGap+time.Second)
			}
		}
	})
}

func TestLogs_FollowAcrossDisconnectsOverHTTP(t *testing.T) {
	t.Parallel()
	all := testLogLines(0, 300)
	var conns atomic.Int64
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := conns.Add(1)
		startEventStream(w)
		switch n {
		case 1:
			writeLogLines(w, all[:100])
			writeSSE(w, sseLogEvent(all[100])[:30])
			panic(http.ErrAbortHandler)
		case 2:
			writeLogLines(w, all[:150])
			panic(http.ErrAbortHandler)
		case 3:
			writeLogLines(w, all[:200])
			<-r.Context().Done()
		default:
			writeLogLines(w, all)
		}
	}))
	// A short idle timeout ends the silent connection. Should the machine
	// stall long enough for it to cut another one, that is one more
	// reconnection, which the test tolerates: what must hold is the
	// sequence of lines.
	got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true, IdleTimeout: 200 * time.Millisecond, reconnect: fastReconnect})
	if err != nil {
		t.Fatalf("Logs: %v", err)
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if n := conns.Load(); n < 4 {
		t.Errorf("%d connections, want at least 4", n)
	}
}

func TestLogs_FollowGivesUpAfterFiveFailuresInARow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var conns atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			if conns.Add(1) == 1 {
				writeLogLines(w, testLogLines(0, 3))
			}
			panic(http.ErrAbortHandler) // later connections deliver nothing
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if diff := cmp.Diff(testLogLines(0, 3), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if err == nil || !strings.Contains(err.Error(), "5 reconnections in a row brought no new line") {
			t.Errorf("error %v, want the stream to be given up after 5 failed reconnections", err)
		}
		if n := conns.Load(); n != 6 {
			t.Errorf("%d connections, want 6 (the first and 5 reconnections)", n)
		}
	})
}

func TestLogs_FollowReconnectsAfterServerErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var requests atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch n := requests.Add(1); {
			case n == 1:
				startEventStream(w)
				writeLogLines(w, testLogLines(0, 2))
				panic(http.ErrAbortHandler)
			case n < 10: // the client's retries, then a failed reconnection, twice over
				w.WriteHeader(http.StatusBadGateway)
			default:
				startEventStream(w)
				writeLogLines(w, testLogLines(0, 4))
			}
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(testLogLines(0, 4), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
}

// A reconnection refused with 429 waits what the Hub asks before the next
// try, not just the reconnection backoff.
func TestLogs_FollowReconnectRateLimited(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Time
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			times = append(times, time.Now())
			n := len(times)
			mu.Unlock()
			switch n {
			case 1:
				startEventStream(w)
				writeLogLines(w, testLogLines(0, 2))
				panic(http.ErrAbortHandler)
			case 2:
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(http.StatusTooManyRequests)
			default:
				startEventStream(w)
				writeLogLines(w, testLogLines(0, 3))
			}
		}), WithRetry(RetryPolicy{MaxRetries: 0}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(testLogLines(0, 3), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(times) != 3 {
			t.Fatalf("%d requests, want 3", len(times))
		}
		if gap := times[2].Sub(times[1]); gap < 30*time.Second {
			t.Errorf("reconnected %s after a 429 that asked for 30s", gap)
		}
	})
}

func TestLogs_FollowStopsOnNotFoundWhenReconnecting(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var requests atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if requests.Add(1) == 1 {
				startEventStream(w)
				writeLogLines(w, testLogLines(0, 2))
				panic(http.ErrAbortHandler)
			}
			w.Header().Set("X-Error-Code", "RepoNotFound")
			w.WriteHeader(http.StatusNotFound) // the Space was deleted meanwhile
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("error %v, want ErrNotFound", err)
		}
		if n := requests.Load(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
}

// A connection that delivers a new line resets the failure count: a
// stream that drops after every new line is followed to its end.
func TestLogs_FollowSuccessfulReadResetsFailures(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const total = 12 // over twice the failures tolerated in a row
		var conns atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := int(conns.Add(1))
			startEventStream(w)
			if n%2 == 0 {
				panic(http.ErrAbortHandler) // a failure: nothing delivered
			}
			upTo := min(n/2+1, total)
			writeLogLines(w, testLogLines(0, upTo))
			if upTo == total {
				return
			}
			panic(http.ErrAbortHandler)
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(testLogLines(0, total), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
}

// After a rebuild the server replays a new log: it is delivered from its
// start (its lines are newer than the last delivered one) instead of
// losing as many lines as were delivered of the old one, and the caller
// is told that lines may be missing there.
func TestLogs_FollowReplacedLog(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		oldLog := testLogLines(0, 5)
		newLog := []LogLine{
			{Text: "===== Build Queued at 2025-03-07 13:00:00 / Commit SHA: 1234567 =====", Timestamp: logsEpoch.Add(time.Hour)},
			{Text: "", Timestamp: logsEpoch.Add(time.Hour)},
			{Text: "--> FROM python:3.10", Timestamp: logsEpoch.Add(time.Hour + time.Second)},
		}
		var conns atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			if conns.Add(1) == 1 {
				writeLogLines(w, oldLog)
				panic(http.ErrAbortHandler)
			}
			writeLogLines(w, newLog)
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true, Build: true})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		want := append(oldLog, newLog...)
		want[len(oldLog)].Gap = true // the old log's last line is gone
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
}

func TestLogs_CancelMidStreamReturnsPromptly(t *testing.T) {
	t.Parallel()
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprintf("follow=%t", follow), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				serverSawClose := make(chan struct{})
				c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					startEventStream(w)
					writeLogLines(w, testLogLines(0, 3))
					<-r.Context().Done()
					close(serverSawClose)
				}))
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				start := time.Now()
				var got []LogLine
				var errs []error
				for line, err := range c.Spaces.Logs(ctx, "user/space", &LogOptions{Follow: follow}) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					got = append(got, line)
					if len(got) == 3 {
						cancel() // the stream is open and silent now
					}
				}
				if diff := cmp.Diff(testLogLines(0, 3), got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
				if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
					t.Errorf("errors %v, want one context.Canceled", errs)
				}
				// Fake time has not moved: no timer (idle timeout, backoff)
				// was waited for.
				if waited := time.Since(start); waited != 0 {
					t.Errorf("Logs returned %s after the cancellation, want at once", waited)
				}
				synctest.Wait()
				select {
				case <-serverSawClose:
				default:
					t.Error("the server did not see the connection close")
				}
			})
		})
	}
}

// A context cancelled while Logs waits to reconnect ends the wait at once.
func TestLogs_CancelDuringReconnectBackoff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var conns atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conns.Add(1)
			startEventStream(w)
			writeLogLines(w, testLogLines(0, 2))
			panic(http.ErrAbortHandler)
		}))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var got []LogLine
		var errs []error
		start := time.Now()
		for line, err := range c.Spaces.Logs(ctx, "user/space", &LogOptions{Follow: true}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if got = append(got, line); len(got) == 2 {
				// The connection drops next; the first backoff is at
				// least 500 ms.
				time.AfterFunc(100*time.Millisecond, cancel)
			}
		}
		if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Errorf("errors %v, want one context.Canceled", errs)
		}
		if waited := time.Since(start); waited != 100*time.Millisecond {
			t.Errorf("Logs returned %s after it started, want at the cancellation (100ms)", waited)
		}
		if n := conns.Load(); n != 1 {
			t.Errorf("%d connections, want 1", n)
		}
	})
}

// Each range over the sequence Logs returns reads the log anew.
func TestLogs_RangeTwice(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(conns.Add(1))
		startEventStream(w)
		writeLogLines(w, testLogLines(0, 2+n))
	}))
	seq := c.Spaces.Logs(t.Context(), "user/space", nil)
	for i := range 2 {
		var got []LogLine
		for line, err := range seq {
			if err != nil {
				t.Fatalf("range %d: %v", i+1, err)
			}
			got = append(got, line)
		}
		if diff := cmp.Diff(testLogLines(0, 3+i), got); diff != "" {
			t.Errorf("range %d: lines (-want +got):\n%s", i+1, diff)
		}
	}
}

// A loop body that panics leaves no connection open and no goroutine
// behind (synctest.Test fails on a goroutine left blocked in the bubble).
func TestLogs_PanicInLoopBodyClosesTheConnection(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var serverSawClose atomic.Bool
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			writeLogLines(w, testLogLines(0, 3))
			<-r.Context().Done()
			serverSawClose.Store(true)
		}))
		func() {
			defer func() {
				if v := recover(); v != "caller's bug" {
					t.Errorf("recovered %v, want the loop body's panic", v)
				}
			}()
			for range c.Spaces.Logs(t.Context(), "user/space", &LogOptions{Follow: true}) {
				panic("caller's bug")
			}
		}()
		synctest.Wait()
		if !serverSawClose.Load() {
			t.Error("after the panic, the server still has the connection open")
		}
	})
}

func TestLogs_CancelMidStreamOverHTTP(t *testing.T) {
	t.Parallel()
	serverSawClose := make(chan struct{})
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		writeLogLines(w, testLogLines(0, 3))
		<-r.Context().Done()
		close(serverSawClose)
	}))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n := 0
	var lastErr error
	for _, err := range c.Spaces.Logs(ctx, "user/space", &LogOptions{Follow: true}) {
		if err != nil {
			lastErr = err
			continue
		}
		if n++; n == 3 {
			cancel()
		}
	}
	if !errors.Is(lastErr, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", lastErr)
	}
	select {
	case <-serverSawClose:
	case <-t.Context().Done():
	}
}

// Breaking out of the loop closes the connection before the loop
// statement completes, and leaves no goroutine behind: synctest.Test fails
// when a goroutine of the bubble is still blocked at its end.
func TestLogs_BreakClosesTheConnection(t *testing.T) {
	t.Parallel()
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprintf("follow=%t", follow), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var serverSawClose atomic.Bool
				c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					startEventStream(w)
					for i := 0; ; i++ {
						if !writeLogLines(w, testLogLines(i, i+1)) {
							break
						}
					}
					<-r.Context().Done()
					serverSawClose.Store(true)
				}))
				start := time.Now()
				for line, err := range c.Spaces.Logs(t.Context(), "user/space", &LogOptions{Follow: follow}) {
					if err != nil {
						t.Fatalf("Logs: %v", err)
					}
					if line.Text == testLogLine(2).Text {
						break
					}
				}
				synctest.Wait() // the handler has run to its end, if it can
				if !serverSawClose.Load() {
					t.Error("after break, the server still has the connection open")
				}
				if waited := time.Since(start); waited != 0 {
					t.Errorf("the loop ended %s after break, want at once", waited)
				}
			})
		})
	}
}

func TestLogs_BreakOverHTTPClosesTheConnection(t *testing.T) {
	t.Parallel()
	serverSawClose := make(chan struct{})
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		for i := 0; writeLogLines(w, testLogLines(i, i+1)); i++ {
		}
		<-r.Context().Done()
		close(serverSawClose)
	}))
	for line, err := range c.Spaces.Logs(t.Context(), "user/space", &LogOptions{Follow: true}) {
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if line.Text == testLogLine(5).Text {
			break
		}
	}
	// The server notices the closed connection (bounded by the test's
	// deadline; TestLogs_BreakClosesTheConnection checks it happens at once).
	select {
	case <-serverSawClose:
	case <-t.Context().Done():
		t.Fatal("the server never saw the connection close")
	}
}

func TestLogs_KeepAlivesAndOtherEventsSkipped(t *testing.T) {
	t.Parallel()
	lines := testLogLines(0, 3)
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		writeSSE(w,
			"data:\n\n", // keep-alive
			sseLogEvent(lines[0]),
			": comment\n\n",
			"data: \n\n", // keep-alive with the space
			sseLogEvent(lines[1]),
			"event: status\ndata: {\"stage\":\"RUNNING\"}\n\n", // not a log line
			"data:\r\n\r\n",
			sseLogEvent(lines[2]),
			"data:\n\n",
		)
	}))
	got, err := collectLogs(t.Context(), c, "user/space", nil)
	if err != nil {
		t.Fatalf("Logs: %v", err)
	}
	if diff := cmp.Diff(lines, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestLogs_MalformedEvent(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"data: not json\n\n",
		"data: {\"data\":\"cut\n\n",
		"data: {\"timestamp\":\"2025-03-07T12:24:19Z\"}\n\n", // no text
		"data: {\"data\":42}\n\n",
		"data: {\"data\":null}\n\n",
		"data: [\"data\"]\n\n",
		"data: \"just a string\"\n\n",
		"data: {\"data\":\"x\"} trailing\n\n",
		"data: {\"data\":\"x\",\"timestamp\":1741350259}\n\n",
	} {
		for _, follow := range []bool{false, true} {
			c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				startEventStream(w)
				writeLogLines(w, testLogLines(0, 2))
				writeSSE(w, bad)
				writeLogLines(w, testLogLines(2, 3))
			}))
			got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: follow, reconnect: fastReconnect})
			if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
				t.Errorf("%q: lines (-want +got):\n%s", bad, diff)
			}
			if err == nil || !strings.Contains(err.Error(), "malformed log event 3") {
				t.Errorf("%q, follow=%t: error %v, want a malformed event error", bad, follow, err)
			}
		}
	}
}

func TestLogs_OversizedEvent(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("A", maxEventSize)
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		writeLogLines(w, testLogLines(0, 1))
		writeSSE(w, `data: {"data":"`+huge+`"}`+"\n\n") // 1 MiB of text, and the JSON around it
		writeLogLines(w, testLogLines(1, 2))
	}))
	for _, follow := range []bool{false, true} {
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: follow, reconnect: fastReconnect})
		if diff := cmp.Diff(testLogLines(0, 1), got); diff != "" {
			t.Errorf("follow=%t: lines (-want +got):\n%s", follow, diff)
		}
		if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
			t.Errorf("follow=%t: error %v, want the event refused for its size", follow, err)
		}
	}
}

// An event just under the limit is a line like any other.
func TestLogs_LargeEventUnderTheLimit(t *testing.T) {
	t.Parallel()
	big := LogLine{Text: strings.Repeat("B", maxEventSize-100), Timestamp: logsEpoch}
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		writeLogLines(w, []LogLine{big, testLogLine(1)})
	}))
	got, err := collectLogs(t.Context(), c, "user/space", nil)
	if err != nil {
		t.Fatalf("Logs: %v", err)
	}
	if diff := cmp.Diff([]LogLine{big, testLogLine(1)}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestLogs_CutStreamWithoutFollowIsAnError(t *testing.T) {
	t.Parallel()
	c := logsHTTPClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startEventStream(w)
		writeLogLines(w, testLogLines(0, 2))
		writeSSE(w, "data: {\"da")
		panic(http.ErrAbortHandler)
	}))
	got, err := collectLogs(t.Context(), c, "user/space", nil)
	if diff := cmp.Diff(testLogLines(0, 2), got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if err == nil || !strings.Contains(err.Error(), "reading the log stream") {
		t.Errorf("error %v, want the cut stream reported", err)
	}
}

func TestDecodeLogLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		want    LogLine
		wantErr bool
	}{
		{name: "the Hub's shape", payload: `{"data":"Running on local URL:  http://0.0.0.0:7860\n","timestamp":"2025-03-07T12:24:19.337Z"}`,
			want: LogLine{Text: "Running on local URL:  http://0.0.0.0:7860", Timestamp: logsEpoch}},
		{name: "only one newline is stripped", payload: `{"data":"a\n\n","timestamp":"2025-03-07T12:24:19.337Z"}`,
			want: LogLine{Text: "a\n", Timestamp: logsEpoch}},
		{name: "an empty line", payload: `{"data":"\n","timestamp":"2025-03-07T12:24:19.337Z"}`,
			want: LogLine{Text: "", Timestamp: logsEpoch}},
		{name: "no trailing newline", payload: `{"data":"Downloading  45%\r","timestamp":"2025-03-07T12:24:19.337Z"}`,
			want: LogLine{Text: "Downloading  45%\r", Timestamp: logsEpoch}},
		{name: "escapes", payload: `{"data":"tab\there \"quoted\" back\\slash \/ \u001b[32mgreen\u001b[0m é \u00e9 \ud83d\ude00\n","timestamp":"2025-03-07T12:24:19.337Z"}`,
			want: LogLine{Text: "tab\there \"quoted\" back\\slash / \x1b[32mgreen\x1b[0m é é 😀", Timestamp: logsEpoch}},
		{name: "keys in the other order, white space", payload: " { \"timestamp\" : \"2025-03-07T12:24:19.337Z\" ,\n \"data\" : \"x\" } ",
			want: LogLine{Text: "x", Timestamp: logsEpoch}},
		{name: "unknown keys are ignored", payload: `{"data":"x","timestamp":"2025-03-07T12:24:19.337Z","level":"info","n":1}`,
			want: LogLine{Text: "x", Timestamp: logsEpoch}},
		{name: "no timestamp", payload: `{"data":"x"}`, want: LogLine{Text: "x"}},
		{name: "null timestamp", payload: `{"data":"x","timestamp":null}`, want: LogLine{Text: "x"}},
		{name: "unparseable timestamp", payload: `{"data":"x","timestamp":"yesterday"}`, want: LogLine{Text: "x"}},
		{name: "timestamp with an offset", payload: `{"data":"x","timestamp":"2025-03-07T13:24:19.337+01:00"}`,
			want: LogLine{Text: "x", Timestamp: logsEpoch}},
		{name: "timestamp without fraction", payload: `{"data":"x","timestamp":"2025-03-07T12:24:19Z"}`,
			want: LogLine{Text: "x", Timestamp: logsEpoch.Truncate(time.Second)}},
		{name: "nanoseconds", payload: `{"data":"x","timestamp":"2025-03-07T12:24:19.123456789Z"}`,
			want: LogLine{Text: "x", Timestamp: time.Date(2025, 3, 7, 12, 24, 19, 123456789, time.UTC)}},
		{name: "invalid UTF-8 becomes U+FFFD", payload: "{\"data\":\"a\xffb\"}", want: LogLine{Text: "a\uFFFDb"}},
		{name: "last of repeated keys", payload: `{"data":"first","data":"second"}`, want: LogLine{Text: "second"}},
		{name: "not JSON", payload: `hello`, wantErr: true},
		{name: "no data", payload: `{"timestamp":"2025-03-07T12:24:19.337Z"}`, wantErr: true},
		{name: "data is a number", payload: `{"data":1}`, wantErr: true},
		{name: "data is null", payload: `{"data":null}`, wantErr: true},
		{name: "control character", payload: "{\"data\":\"a\x01b\"}", wantErr: true},
		{name: "bad escape", payload: `{"data":"\x41"}`, wantErr: true},
		{name: "trailing garbage", payload: `{"data":"x"}x`, wantErr: true},
		{name: "cut", payload: `{"data":"x`, wantErr: true},
	}
	for _, tt := range tests {
		got, err := new(logDecoder).decode([]byte(tt.payload))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: error %v, want error: %t", tt.name, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// FuzzDecodeLogLine checks the hand-written fast path against
// encoding/json: whenever the fast path answers, its answer must be the
// reference decoder's.
func FuzzDecodeLogLine(f *testing.F) {
	for _, s := range []string{
		`{"data":"Running on local URL:  http://0.0.0.0:7860\n","timestamp":"2025-03-07T12:24:19.337Z"}`,
		`{"data":"\u001b[32mok\u001b[0m é\n","timestamp":"2025-03-07T12:24:19Z"}`,
		`{"timestamp":"2025-03-07T13:24:19.337+01:00","data":"x"}`,
		`{"data":"\ud83d\ude00","timestamp":null}`,
		`{"data":"a","data":"b"}`,
		`{"DATA":"x"}`,
		"{\"data\":\"\xff\"}",
		` {"data" : "\"\\\/\b\f\n\r\t" } `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		slow, slowErr := slowLogLine(payload)
		var d logDecoder
		fast, ok := d.fast(payload)
		if ok {
			if slowErr != nil {
				t.Fatalf("fast path accepted %q, encoding/json refuses it: %v", payload, slowErr)
			}
			if diff := cmp.Diff(slow, fast); diff != "" {
				t.Fatalf("fast path differs from encoding/json on %q (-json +fast):\n%s", payload, diff)
			}
		}
		got, err := d.decode(payload) // reused: its buffers are dirty
		if (err != nil) != (slowErr != nil) || !cmp.Equal(slow, got) {
			t.Fatalf("decode(%q) = %+v, %v; encoding/json: %+v, %v", payload, got, err, slow, slowErr)
		}
	})
}

// FuzzParseLogTime checks the allocation-free time parser against
// time.Parse, on two times in a row so that the second may come from the
// decoder's cache of the last minute.
func FuzzParseLogTime(f *testing.F) {
	for _, s := range []string{
		"2025-03-07T12:24:19.337Z", "2025-03-07T12:24:19Z", "2024-02-29T23:59:59.999999999Z",
		"2025-02-29T00:00:00Z", "2025-03-07T24:00:00Z", "2025-03-07T12:24:60Z", "2025-03-07T12:24:19.Z",
		"2025-03-07T12:24:19.1234567891Z", "0000-01-01T00:00:00Z", "2025-03-07t12:24:19z", "2025-03-07T12:24:19+01:00",
	} {
		f.Add(s, "2025-03-07T12:24:59.5Z")
	}
	f.Add("2025-03-07T12:24:19.337Z", "2025-03-07T12:24:19.337+01:00")
	f.Fuzz(func(t *testing.T, s1, s2 string) {
		var d logDecoder
		for _, s := range []string{s1, s2} {
			want, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				want = time.Time{}
			}
			got := d.parseTime([]byte(s))
			if !got.Equal(want) || got.Format(time.RFC3339Nano) != want.Format(time.RFC3339Nano) {
				t.Fatalf("parseTime(%q) = %v, time.Parse gives %v (error %v)", s, got, want, err)
			}
		}
	})
}

// benchLogBlock is 1000 log events such as Spaces write: pip and Docker
// build steps, server access logs with ANSI colours, progress bars with
// carriage returns, non-ASCII text, and keep-alives. JSON as the Hub writes
// it: UTF-8 as is, no HTML escaping.
var benchLogBlock = sync.OnceValue(func() []byte {
	texts := []string{
		"Collecting torch==2.5.1 (from -r requirements.txt (line 3))\n",
		"  Downloading torch-2.5.1-cp310-cp310-manylinux1_x86_64.whl.metadata (28 kB)\n",
		"\x1b[32mINFO\x1b[0m:     10.16.4.122:43210 - \"GET /gradio_api/queue/data?session_hash=k2l4x HTTP/1.1\" 200 OK\n",
		"Running on local URL:  http://0.0.0.0:7860\n",
		"Loading checkpoint shards:  67%|██████▋   | 2/3 [00:04<00:02,  2.10s/it]\r",
		"模型加载完成 ✓ — model ready in 12.3s\n",
		"\n",
		"--> RUN pip install --no-cache-dir -r requirements.txt\n",
		"Traceback (most recent call last):\n  File \"/home/user/app/app.py\", line 7, in <module>\n",
		"[2025-03-07 12:24:19,337] WARNING <tab>\tgenerate: max_new_tokens=512 > limit, clamped\n",
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range 1000 {
		if i%100 == 99 {
			buf.WriteString("data:\n\n") // keep-alive
		}
		buf.WriteString("data: ")
		ts := logsEpoch.Add(time.Duration(i) * 37 * time.Millisecond)
		if err := enc.Encode(map[string]string{"data": texts[i%len(texts)], "timestamp": ts.Format("2006-01-02T15:04:05.000Z07:00")}); err != nil {
			panic(err)
		}
		buf.Truncate(buf.Len() - 1) // the encoder's newline
		buf.WriteString("\n\n")
	}
	return buf.Bytes()
})

const benchBlockLines = 1000

// cyclicReader repeats a block for ever.
type cyclicReader struct {
	block []byte
	off   int
}

func (r *cyclicReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.block[r.off:])
		n += c
		r.off = (r.off + c) % len(r.block)
	}
	return n, nil
}

// BenchmarkDecodeLogLines measures the SSE decoder and the building of a
// LogLine, one log line per operation: ns/op is ns per line, allocs/op
// allocations per line.
func BenchmarkDecodeLogLines(b *testing.B) {
	dec := newSSEDecoder(&cyclicReader{block: benchLogBlock()}, maxEventSize)
	var lines logDecoder
	var bytesRead int64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	for b.Loop() {
		for {
			ev, err := dec.Next()
			if err != nil {
				b.Fatal(err)
			}
			if len(ev.Data) == 0 {
				continue
			}
			var line LogLine
			line, err = lines.decode(ev.Data)
			if err != nil {
				b.Fatal(err)
			}
			bytesRead += int64(len(ev.Data)) + 8
			if len(line.Text) == 0 && line.Timestamp.IsZero() {
				b.Fatal("empty line")
			}
			break
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	// allocs/op rounds down; this keeps the fraction.
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "allocs/line")
	b.SetBytes(bytesRead / int64(b.N))
}

// BenchmarkDecodeLogLinesJSON is the same with encoding/json for every
// payload: what the hand-written fast path saves.
func BenchmarkDecodeLogLinesJSON(b *testing.B) {
	dec := newSSEDecoder(&cyclicReader{block: benchLogBlock()}, maxEventSize)
	b.ReportAllocs()
	for b.Loop() {
		for {
			ev, err := dec.Next()
			if err != nil {
				b.Fatal(err)
			}
			if len(ev.Data) == 0 {
				continue
			}
			if _, err := slowLogLine(ev.Data); err != nil {
				b.Fatal(err)
			}
			break
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// generatedLogTransport answers every request with an event stream of
// lines log lines (benchLogBlock over and over), generated as it is read,
// then ends the stream.
type generatedLogTransport struct{ lines int }

func (gt generatedLogTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	block := benchLogBlock()
	size := int64(len(block)) * int64(gt.lines/benchBlockLines)
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/event-stream"}},
		Body:          io.NopCloser(io.LimitReader(&cyclicReader{block: block}, size)),
		ContentLength: -1,
		Request:       req,
	}, nil
}

// heapAfterGC is the live heap, in bytes.
func heapAfterGC() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// followGenerated follows a generated stream of n lines through Logs and
// reports the live heap after the first line and after the last, both
// taken while the stream is open.
func followGenerated(tb testing.TB, n int) (heapFirst, heapLast uint64) {
	c, err := NewClient(WithEndpoint("https://hub.test"), WithNoToken(),
		WithHTTPClient(&http.Client{Transport: generatedLogTransport{lines: n}}))
	if err != nil {
		tb.Fatal(err)
	}
	count := 0
	for line, err := range c.Spaces.Logs(context.Background(), "user/space", &LogOptions{Follow: true}) {
		if err != nil {
			tb.Fatal(err)
		}
		count++
		switch count {
		case 1:
			heapFirst = heapAfterGC()
		case n:
			heapLast = heapAfterGC()
		}
		_ = line
	}
	if count != n {
		tb.Fatalf("followed %d lines, want %d", count, n)
	}
	return heapFirst, heapLast
}

// TestLogsFollowMemoryFlat follows 300,000 lines and checks that the live
// heap does not grow with them: nothing is kept per line (a single byte
// per line would show). BenchmarkLogsFollow1M reports the same for a
// million lines. It is not parallel because it measures the process's
// heap; sequential tests run alone.
func TestLogsFollowMemoryFlat(t *testing.T) {
	n := 300_000
	if testing.Short() {
		n = 50_000
	}
	first, last := followGenerated(t, n)
	t.Logf("live heap after line 1: %d KiB; after line %d: %d KiB", first>>10, n, last>>10)
	if last > first+1<<20 {
		t.Errorf("the live heap grew by %d KiB over %d lines, want it flat", (last-first)>>10, n)
	}
}

// BenchmarkLogsFollow1M follows a stream of a million lines through the
// whole client (in-memory transport): one operation is the million lines.
// It reports the live heap after the first and the last line.
func BenchmarkLogsFollow1M(b *testing.B) {
	const n = 1_000_000
	var first, last uint64
	b.ReportAllocs()
	for b.Loop() {
		first, last = followGenerated(b, n)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(first)/(1<<20), "heap-first-MiB")
	b.ReportMetric(float64(last)/(1<<20), "heap-last-MiB")
}

// scriptedLog serves, on connection n (from 1), the replay conns[n-1] (the
// last one repeats) and then cuts the connection, except on the last
// connection of the script, which the server ends cleanly.
type scriptedLog struct {
	mu    sync.Mutex
	n     int
	conns [][]LogLine
}

func (s *scriptedLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	startEventStream(w)
	writeLogLines(w, s.conns[min(n, len(s.conns))-1])
	if n < len(s.conns) {
		panic(http.ErrAbortHandler)
	}
}

func (s *scriptedLog) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// sleepCtx sleeps d, or less if ctx ends first; it reports whether it slept d.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// sameSecond are lines all stamped the same, some of them alike: only
// their rank among the lines of that time tells them apart.
func sameSecond(texts ...string) []LogLine {
	var lines []LogLine
	for _, text := range texts {
		lines = append(lines, LogLine{Text: text, Timestamp: logsEpoch})
	}
	return lines
}

// TestLogs_FollowResumesByPosition: reconnections resume after the last
// delivered line, found by timestamp, text and rank, whatever the server
// dropped or added: every line once, and Gap where lines may be missing.
func TestLogs_FollowResumesByPosition(t *testing.T) {
	t.Parallel()
	l := testLogLines(0, 20)
	gap := func(line LogLine) LogLine { line.Gap = true; return line }
	cat := func(parts ...[]LogLine) []LogLine {
		var all []LogLine
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	for _, tc := range []struct {
		name  string
		conns [][]LogLine
		want  []LogLine
	}{
		{"growing log", [][]LogLine{l[:5], l[:12], l[:20]}, l},
		{"trimmed, the last line delivered kept", [][]LogLine{l[:5], l[3:12], l[10:20]}, l},
		{"trimmed past the last line delivered", [][]LogLine{l[:5], l[8:12], l[8:20]},
			cat(l[:5], []LogLine{gap(l[8])}, l[9:20])},
		{"trimmed to nothing new, then new lines", [][]LogLine{l[:5], l[2:4], l[2:4], l[6:9]},
			cat(l[:5], []LogLine{gap(l[6])}, l[7:9])},
		{"replaced by a newer log", [][]LogLine{l[:5], l[10:15]}, cat(l[:5], []LogLine{gap(l[10])}, l[11:15])},
		{"lines without a time are placed with the line before",
			[][]LogLine{{l[0], {Text: "no time"}}, {l[0], {Text: "no time"}, l[1], {Text: "no time"}}, {l[0], {Text: "no time"}, l[1], {Text: "no time"}, {Text: "no time"}}},
			[]LogLine{l[0], {Text: "no time"}, l[1], {Text: "no time"}, {Text: "no time"}}},
		{"a line without a time trimmed away",
			[][]LogLine{{l[0], {Text: "no time"}}, {l[1], l[2]}},
			[]LogLine{l[0], {Text: "no time"}, gap(l[1]), l[2]}},
		{"identical lines of the same second",
			[][]LogLine{sameSecond("a", "b", "b", "b"), sameSecond("a", "b", "b", "b", "b", "c"), sameSecond("a", "b", "b", "b", "b", "c", "b")},
			sameSecond("a", "b", "b", "b", "b", "c", "b")},
		{"same second, trimmed within it",
			// "b" was rank 3 and is gone: rank 4 onwards is new, rank 3
			// ("c" now) cannot be told from a line delivered before.
			[][]LogLine{sameSecond("a", "b", "b", "b"), sameSecond("b", "b", "b", "c", "d", "e")},
			cat(sameSecond("a", "b", "b", "b"), []LogLine{gap(sameSecond("d")[0])}, sameSecond("e"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c := logsPipeClient(t, &scriptedLog{conns: tc.conns})
				got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
				if err != nil {
					t.Fatalf("Logs: %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// A server that cuts every connection right after the replay brings no
// new line: the reconnections are failures, and after 5 in a row the
// last error is yielded, instead of reconnecting in silence for ever.
func TestLogs_FollowGivesUpWhenReconnectionsBringNothingNew(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scriptedLog{conns: [][]LogLine{testLogLines(0, 4), testLogLines(0, 4), nil}}
		s.conns = s.conns[:2] // the second repeats: a replay, then a cut, for ever
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.ServeHTTP(w, r)
			panic(http.ErrAbortHandler) // the last one is cut too
		})
		c := logsPipeClient(t, h)
		start := time.Now()
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true})
		if diff := cmp.Diff(testLogLines(0, 4), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if err == nil || !strings.Contains(err.Error(), "5 reconnections in a row brought no new line") {
			t.Errorf("error %v, want the stream given up after 5 reconnections with nothing new", err)
		}
		if n := s.connections(); n != 6 {
			t.Errorf("%d connections, want 6 (the first and 5 reconnections)", n)
		}
		// 1 s doubling to 10 s, jittered down to no less than half.
		if waited := time.Since(start); waited > 1*time.Second+2*time.Second+4*time.Second+8*time.Second+10*time.Second {
			t.Errorf("gave up after %s, want within the 5 backoffs", waited)
		}
	})
}

// Tail keeps the last lines of the history, for a buffered read and for a
// followed one, whose new lines all follow.
func TestLogs_Tail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		tail   int
		follow bool
		want   []LogLine
	}{
		{"buffered, last 2", 2, false, testLogLines(8, 10)},
		{"buffered, 1", 1, false, testLogLines(9, 10)},
		{"buffered, tail longer than the log", 50, false, testLogLines(0, 10)},
		{"followed, last 3 then every new line", 3, true, append(testLogLines(7, 10), testLogLines(10, 13)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var conns atomic.Int64
				c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					conns.Add(1)
					startEventStream(w)
					writeLogLines(w, testLogLines(0, 10))
					if !sleepCtx(r.Context(), 3*time.Second) { // the Space is quiet, then logs
						return
					}
					writeLogLines(w, testLogLines(10, 13))
					if !tc.follow {
						<-r.Context().Done()
					}
				}))
				got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: tc.follow, Tail: tc.tail})
				if err != nil {
					t.Fatalf("Logs: %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
				// Followed, the history ends in silence: the first
				// connection is closed to deliver the tail, and the
				// second resumes after it.
				if wantConns := map[bool]int64{false: 1, true: 2}[tc.follow]; conns.Load() != wantConns {
					t.Errorf("%d connections, want %d", conns.Load(), wantConns)
				}
			})
		})
	}
}

// With Follow and Tail, the tail is delivered as soon as the history is
// read, whatever the server's latency: a first byte 600 ms after the
// answer still gives exactly the last line (it once gave the whole log),
// delivered a quiet period after the replay, before the Space logs again.
func TestLogs_FollowTailAfterASlowFirstByte(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			sleepCtx(r.Context(), 600*time.Millisecond)
			writeLogLines(w, testLogLines(0, 10))
			if !sleepCtx(r.Context(), time.Minute) {
				return
			}
			writeLogLines(w, testLogLines(10, 11))
		}))
		start := time.Now()
		var got []LogLine
		var at []time.Duration
		for line, err := range c.Spaces.Logs(t.Context(), "user/space", &LogOptions{Follow: true, Tail: 1}) {
			if err != nil {
				t.Fatalf("Logs: %v", err)
			}
			got = append(got, line)
			at = append(at, time.Since(start))
		}
		if diff := cmp.Diff(testLogLines(9, 11), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if len(at) > 0 && at[0] != 600*time.Millisecond+logHistoryQuiet {
			t.Errorf("the tail came after %s, want %s", at[0], 600*time.Millisecond+logHistoryQuiet)
		}
	})
}

// On a Space that logs continuously, Follow with Tail ends the history at
// the first line stamped after the server's Date and goes on on the same
// connection: the tail, then every line, none twice.
func TestLogs_FollowTailOnAContinuouslyLoggingSpace(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		history := pastLogLines(5)
		h := &liveLogHandler{history: history, date: true}
		c := logsPipeClient(t, h)
		var got []LogLine
		for line, err := range c.Spaces.Logs(t.Context(), "user/space", &LogOptions{Follow: true, Tail: 2}) {
			if err != nil {
				t.Fatalf("Logs: %v", err)
			}
			if got = append(got, line); len(got) == 20 {
				break
			}
		}
		// Within Date's second, the live lines are history too: the tail
		// is made of them.
		if got[0].Text != "live 7" || got[1].Text != "live 8" {
			t.Errorf("tail %v, want the last two lines logged within Date's second", got[:2])
		}
		for i := 1; i < len(got); i++ {
			if !got[i].Timestamp.After(got[i-1].Timestamp) {
				t.Errorf("line %d (%v) is not after line %d (%v)", i, got[i], i-1, got[i-1])
			}
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.conns != 1 {
			t.Errorf("%d connections, want 1", h.conns)
		}
	})
}

// Ctrl-C while the history of a tail is read: the lines kept so far come
// first, then the context's error.
func TestLogs_TailCancelledYieldsWhatItHad(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			for i := 0; ; i++ { // a slow replay: no quiet period passes
				if !writeLogLines(w, testLogLines(i, i+1)) {
					return
				}
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(1050*time.Millisecond, cancel)
		var got []LogLine
		var errs []error
		for line, err := range c.Spaces.Logs(ctx, "user/space", &LogOptions{Tail: 3}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, line)
		}
		if diff := cmp.Diff(testLogLines(8, 11), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Errorf("errors %v, want one context.Canceled after the lines", errs)
		}
	})
}

func TestLogs_NegativeTailRefused(t *testing.T) {
	t.Parallel()
	c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request was sent")
	}))
	_, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Tail: -1})
	if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), "tail") {
		t.Errorf("error %v, want ErrInvalidOption naming the tail", err)
	}
}

// The history is over when the server is silent, not when a line takes
// long to arrive: an event written in pieces 200 ms apart (a large line
// on a slow link) is waited for, while keep-alives do not count.
func TestLogs_BufferedWaitsForALineInPieces(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		big := LogLine{Text: strings.Repeat("x", 10_000), Timestamp: logsEpoch.Add(time.Second)}
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			writeLogLines(w, testLogLines(0, 1))
			ev := sseLogEvent(big)
			for i := 0; i < len(ev); i += len(ev) / 10 {
				sleepCtx(r.Context(), 200*time.Millisecond)
				writeSSE(w, ev[i:min(i+len(ev)/10, len(ev))])
			}
			writeLogLines(w, testLogLines(2, 3))
			for range 20 { // keep-alives of both kinds, which do not hold the read
				if !sleepCtx(r.Context(), 100*time.Millisecond) || !writeSSE(w, "data:\n\n", ": ping\n\n") {
					return
				}
			}
			<-r.Context().Done()
		}))
		start := time.Now()
		got, err := collectLogs(t.Context(), c, "user/space", nil)
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		want := []LogLine{testLogLine(0), big, testLogLine(2)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if waited, want := time.Since(start), 11*200*time.Millisecond+logHistoryQuiet; waited > want {
			t.Errorf("the read took %s, want at most %s (the last piece, then the quiet period)", waited, want)
		}
	})
}

func TestKeepAliveOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		chunk       string
		atLineStart bool
		want        bool
	}{
		{"data:\n\n", true, true},
		{"data: \r\n\r\n", true, true},
		{": ping\n\n", true, true},
		{"\n", true, true},
		{"data:\n\n", false, false}, // the end of a longer line
		{"data: {\"data\":\"x\"}\n\n", true, false},
		{": ping", true, false}, // cut short
		{"event: message\n\n", true, false},
		{strings.Repeat("\n", 300), true, false},
	} {
		if got := keepAliveOnly([]byte(tc.chunk), tc.atLineStart); got != tc.want {
			t.Errorf("keepAliveOnly(%q, %t) = %t, want %t", tc.chunk, tc.atLineStart, got, tc.want)
		}
	}
}

// A connection lost while the history of a tail is read: the reconnection
// resumes after the last line kept, and the tail is the history's last
// lines, each once.
func TestLogs_FollowTailAcrossADisconnectInTheHistory(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var conns atomic.Int64
		c := logsPipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			startEventStream(w)
			switch conns.Add(1) {
			case 1:
				writeLogLines(w, testLogLines(0, 6))
				panic(http.ErrAbortHandler)
			case 2:
				writeLogLines(w, testLogLines(0, 10))
				<-r.Context().Done() // the history ends in silence: Logs closes it
			default:
				writeLogLines(w, testLogLines(0, 10))
				if sleepCtx(r.Context(), time.Minute) {
					writeLogLines(w, testLogLines(10, 12))
				}
			}
		}))
		got, err := collectLogs(t.Context(), c, "user/space", &LogOptions{Follow: true, Tail: 3})
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if diff := cmp.Diff(testLogLines(7, 12), got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if n := conns.Load(); n != 3 {
			t.Errorf("%d connections, want 3", n)
		}
	})
}
