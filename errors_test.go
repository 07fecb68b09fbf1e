package hfhub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var allSentinels = []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrBadRequest, ErrConflict, ErrRateLimited, ErrServer}

func TestAPIError_Sentinels(t *testing.T) {
	t.Parallel()
	type call func(ctx context.Context, c *Client) error
	getRuntime := func(ctx context.Context, c *Client) error { // a repo URL
		_, err := c.Spaces.GetRuntime(ctx, "user/space")
		return err
	}
	whoAmI := func(ctx context.Context, c *Client) error { // not a repo URL
		_, err := c.WhoAmI(ctx)
		return err
	}
	listHardware := func(ctx context.Context, c *Client) error { // under /api/spaces/, still not a repo
		_, err := c.Spaces.ListHardware(ctx)
		return err
	}
	tests := []struct {
		name     string
		call     call
		noToken  bool
		status   int
		header   http.Header
		body     string
		want     []error // errors.Is must hold for each
		wantNot  []error // and must not hold for these; the others are left open
		wantCode string
	}{
		{name: "404", call: getRuntime, status: 404, body: `{"error":"Repository not found"}`,
			want: []error{ErrNotFound}},
		{name: "RepoNotFound code", call: getRuntime, status: 404, header: http.Header{"X-Error-Code": {"RepoNotFound"}},
			want: []error{ErrNotFound}, wantCode: "RepoNotFound"},
		{name: "401 invalid credentials in header on a repo URL", call: getRuntime, status: 401,
			header: http.Header{"X-Error-Message": {"Invalid credentials in Authorization header"}},
			want:   []error{ErrUnauthorized}, wantNot: []error{ErrNotFound}},
		{name: "401 invalid credentials in body on a repo URL", call: getRuntime, status: 401,
			body: `{"error":"Invalid credentials in Authorization header"}`,
			want: []error{ErrUnauthorized}, wantNot: []error{ErrNotFound}},
		{name: "401 on a repo URL means not found or private", call: getRuntime, status: 401,
			body: `{"error":"Repository not found"}`, header: http.Header{"X-Error-Code": {"RepoNotFound"}},
			want: []error{ErrNotFound}, wantNot: []error{ErrUnauthorized}, wantCode: "RepoNotFound"},
		{name: "401 without message on a repo URL", call: getRuntime, status: 401,
			want: []error{ErrNotFound}, wantNot: []error{ErrUnauthorized}},
		{name: "401 with no token", call: getRuntime, noToken: true, status: 401,
			want: []error{ErrUnauthorized}},
		{name: "401 on whoami", call: whoAmI, status: 401, body: `{"error":"Unauthorized"}`,
			want: []error{ErrUnauthorized}, wantNot: []error{ErrNotFound}},
		{name: "401 on the hardware catalog", call: listHardware, status: 401,
			want: []error{ErrUnauthorized}, wantNot: []error{ErrNotFound}},
		{name: "403", call: getRuntime, status: 403, body: `{"error":"You don't have the rights"}`,
			want: []error{ErrForbidden}},
		{name: "400", call: getRuntime, status: 400, want: []error{ErrBadRequest}},
		{name: "409", call: getRuntime, status: 409, want: []error{ErrConflict}},
		{name: "429", call: getRuntime, status: 429, header: http.Header{"Retry-After": {"1"}},
			want: []error{ErrRateLimited}},
		{name: "500", call: getRuntime, status: 500, want: []error{ErrServer}},
		{name: "501", call: getRuntime, status: 501, want: []error{ErrServer}},
		{name: "502", call: getRuntime, status: 502, want: []error{ErrServer}},
		{name: "503", call: getRuntime, status: 503, want: []error{ErrServer}},
		{name: "504", call: getRuntime, status: 504, want: []error{ErrServer}},
		{name: "418", call: getRuntime, status: 418},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := []Option{WithRetry(noRetry)}
			if tt.noToken {
				opts = append(opts, WithNoToken())
			}
			client, mux, _ := setup(t, opts...)
			handler := func(w http.ResponseWriter, r *http.Request) {
				for k, vs := range tt.header {
					w.Header()[k] = vs
				}
				writeJSON(w, tt.status, tt.body)
			}
			mux.HandleFunc("/api/spaces/user/space/runtime", handler)
			mux.HandleFunc("/api/whoami-v2", handler)
			mux.HandleFunc("/api/spaces/hardware", handler)
			err := tt.call(t.Context(), client)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.wantCode {
				t.Errorf("StatusCode %d Code %q, want %d %q", apiErr.StatusCode, apiErr.Code, tt.status, tt.wantCode)
			}
			for _, s := range tt.want {
				if !errors.Is(err, s) {
					t.Errorf("errors.Is(%v, %v) = false, want true", err, s)
				}
			}
			for _, s := range tt.wantNot {
				if errors.Is(err, s) {
					t.Errorf("errors.Is(%v, %v) = true, want false", err, s)
				}
			}
			// Statuses with one meaning match no other sentinel.
			if len(tt.wantNot) == 0 && tt.status != 401 && tt.wantCode == "" {
				for _, s := range allSentinels {
					if errors.Is(err, s) && !errorsIsAny(s, tt.want...) {
						t.Errorf("errors.Is(%v, %v) = true, want false", err, s)
					}
				}
			}
		})
	}
}

// TestSpacesService_Unauthorized is the mission's "unauthorized" scenario:
// a token the Hub rejects is ErrUnauthorized; a 401 on a Space's URL
// without that message means the Space is missing or private (ErrNotFound).
func TestSpacesService_Unauthorized(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "Root=1-bad-token")
		w.Header().Set("X-Error-Message", "Invalid credentials in Authorization header")
		writeJSON(w, http.StatusUnauthorized, `{"error":"Invalid credentials in Authorization header"}`)
	})
	mux.HandleFunc("/api/spaces/someone/private-space/runtime", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, `{"error":"Unauthorized"}`)
	})

	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrNotFound) || !errors.As(err, &apiErr) {
		t.Fatalf("bad token: GetRuntime = %v, want ErrUnauthorized (and not ErrNotFound)", err)
	}
	if apiErr.StatusCode != 401 || apiErr.RequestID != "Root=1-bad-token" || apiErr.Message != "Invalid credentials in Authorization header" {
		t.Errorf("bad token: APIError = %+v", apiErr)
	}

	_, err = client.Spaces.GetRuntime(t.Context(), "someone/private-space")
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("private Space: GetRuntime = %v, want ErrNotFound (and not ErrUnauthorized)", err)
	}
}

func TestAPIError_Fields(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t, WithRetry(noRetry))
	mux.HandleFunc("/api/spaces/user/space/restart", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		w.Header().Set("X-Error-Message", "Repository not found")
		w.Header().Set("X-Request-Id", "Root=1-67cae56f-2255614a05efec98258484db")
		writeJSON(w, http.StatusNotFound, `{"error":"Repository Not Found for url"}`)
	})
	_, err := client.Spaces.Restart(t.Context(), "user/space", &RestartOptions{FactoryReboot: true})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Restart = %v, want an *APIError", err)
	}
	want := APIError{
		StatusCode: 404,
		Code:       "RepoNotFound",
		Message:    "Repository not found",
		RequestID:  "Root=1-67cae56f-2255614a05efec98258484db",
		Method:     "POST",
		URL:        serverURL + "/api/spaces/user/space/restart?factory=true",
	}
	got := *apiErr
	got.Op, got.RetryAfter = "", 0
	if got.StatusCode != want.StatusCode || got.Code != want.Code || got.Message != want.Message ||
		got.RequestID != want.RequestID || got.Method != want.Method || got.URL != want.URL {
		t.Errorf("APIError = %+v\nwant       %+v", got, want)
	}
	msg := err.Error()
	for _, part := range []string{"Restart", "404", "Repository not found", want.RequestID} {
		if !strings.Contains(msg, part) {
			t.Errorf("Error() = %q, want it to contain %q", msg, part)
		}
	}
}

// TestAPIError_MessageFromBody: without X-Error-Message, the message is the
// JSON body's "error".
func TestAPIError_MessageFromBody(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(noRetry))
	mux.HandleFunc("/api/spaces/user/space/pause", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"Cannot pause a static Space"}`)
	})
	_, err := client.Spaces.Pause(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "Cannot pause a static Space" {
		t.Fatalf("Pause = %#v, want Message from the JSON body", err)
	}
	if !strings.Contains(err.Error(), "Cannot pause a static Space") || !strings.Contains(err.Error(), "400") {
		t.Errorf("Error() = %q, want the status and the message", err.Error())
	}
}

func TestAPIError_RetryAfter(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"Retry-After seconds", http.Header{"Retry-After": {"42"}}, 42 * time.Second},
		{"RateLimit reset", http.Header{"Ratelimit": {`"api";r=0;t=17`}}, 17 * time.Second},
		// A 429 is the Hub saying the quota is spent, whatever r says.
		{"RateLimit reset on a 429 with r above 0", http.Header{"Ratelimit": {`"api";r=3;t=17`}}, 17 * time.Second},
		{"RateLimit before Retry-After", http.Header{"Ratelimit": {`"api";r=0;t=17`}, "Retry-After": {"5"}}, 17 * time.Second},
		{"Retry-After when RateLimit has no reset", http.Header{"Ratelimit": {`"api";r=0;t=0`}, "Retry-After": {"5"}}, 5 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t, WithRetry(noRetry))
			mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
				for k, vs := range tt.header {
					w.Header()[k] = vs
				}
				writeJSON(w, http.StatusTooManyRequests, `{"error":"rate limited"}`)
			})
			_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
			var apiErr *APIError
			if !errors.Is(err, ErrRateLimited) || !errors.As(err, &apiErr) {
				t.Fatalf("GetRuntime = %v, want ErrRateLimited", err)
			}
			if apiErr.RetryAfter != tt.want {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, tt.want)
			}
		})
	}
}

// TestAPIError_NeverHoldsToken: the token must not show in an error even
// when the server (or a proxy) echoes it, or when a URL carries it.
func TestAPIError_NeverHoldsToken(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t, WithRetry(noRetry))
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("X-Error-Code", "BadToken")
		w.Header().Set("X-Request-Id", "req-1")
		writeJSON(w, http.StatusUnauthorized, fmt.Sprintf(`{"error":"Invalid credentials in Authorization header: %s"}`, auth))
	})
	mux.HandleFunc("/api/spaces/user/other/runtime", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Error-Message", "token "+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+" is not allowed here")
		writeJSON(w, http.StatusForbidden, `{}`)
	})
	// A next-page link carrying the token in its query.
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?cursor=2&access_token=%s>; rel="next"`, serverURL, testToken))
			writeJSON(w, http.StatusOK, `[{"id":"user/a"}]`)
			return
		}
		writeJSON(w, http.StatusInternalServerError, `{"error":"boom"}`)
	})

	var errs []error
	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	errs = append(errs, err)
	_, err = client.Spaces.GetRuntime(t.Context(), "user/other")
	errs = append(errs, err)
	for _, err := range client.Spaces.List(t.Context(), nil) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 3 {
		t.Fatalf("got %d errors, want 3: %v", len(errs), errs)
	}
	for _, err := range errs {
		if err == nil {
			t.Errorf("a failing call returned no error")
			continue
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Errorf("%v is not an *APIError", err)
			continue
		}
		for what, s := range map[string]string{"Error()": err.Error(), "Message": apiErr.Message, "URL": apiErr.URL,
			"%+v": fmt.Sprintf("%+v", apiErr)} {
			if strings.Contains(s, testToken) {
				t.Errorf("%s holds the token: %s", what, s)
			}
		}
	}
}

// countingBody is an error body of a given size that counts what is read.
type countingBody struct {
	remaining int64
	read      *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.remaining <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > b.remaining {
		n = b.remaining
	}
	for i := range p[:n] {
		p[i] = 'x'
	}
	b.remaining -= n
	b.read.Add(n)
	return int(n), nil
}

func (b *countingBody) Close() error { return nil }

type hugeErrorTransport struct {
	size int64
	read *atomic.Int64
}

func (tr hugeErrorTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusBadGateway,
		Header:     http.Header{"Content-Type": {"text/plain"}},
		Body:       &countingBody{remaining: tr.size, read: tr.read},
		Request:    r,
	}, nil
}

// TestAPIError_BodyReadThroughLimit serves a 64 MiB error body: the client
// must read at most about 1 MiB of it.
func TestAPIError_BodyReadThroughLimit(t *testing.T) {
	t.Parallel()
	var read atomic.Int64
	client, err := NewClient(WithEndpoint("https://hub.test"), WithToken(testToken), WithRetry(noRetry),
		WithHTTPClient(&http.Client{Transport: hugeErrorTransport{size: 64 << 20, read: &read}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Spaces.GetRuntime(t.Context(), "user/space")
	if !errors.Is(err, ErrServer) {
		t.Fatalf("GetRuntime = %v, want ErrServer", err)
	}
	// 1 MiB, and some slack for a buffered read past the limit.
	if n := read.Load(); n > 1<<20+64<<10 {
		t.Errorf("read %d bytes of the error body, want at most 1 MiB", n)
	}
	if n := len(err.Error()); n > 1<<20 {
		t.Errorf("error message is %d bytes long", n)
	}
}

// TestAPIError_HugeBodyOverNetwork does the same over a real connection.
func TestAPIError_HugeBodyOverNetwork(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(noRetry))
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"`)
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for range 8 << 20 / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading and hung up
			}
		}
		io.WriteString(w, `"}`)
	})
	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.Is(err, ErrBadRequest) || !errors.As(err, &apiErr) {
		t.Fatalf("GetRuntime = %v, want ErrBadRequest", err)
	}
	if len(apiErr.Message) > 1<<20 {
		t.Errorf("Message is %d bytes long, more than the 1 MiB read limit", len(apiErr.Message))
	}
}

// TestClient_WarningLoggedOncePerTopic: X-HF-Warning topics are logged once
// per client, however many answers repeat them.
func TestClient_WarningLoggedOncePerTopic(t *testing.T) {
	t.Parallel()
	logs := newLogRecorder()
	client, mux, _ := setup(t, WithLogger(slogLogger(logs)))
	var n atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		w.Header().Add("X-HF-Warning", "storage-deprecated; persistent storage is deprecated, use volumes")
		w.Header().Add("X-HF-Warning", fmt.Sprintf("quota; you have used %d0%% of your quota", i))
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	for range 3 {
		if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
			t.Fatalf("GetRuntime: %v", err)
		}
	}
	count := func(s string) int {
		c := 0
		for _, l := range logs.Lines() {
			if strings.Contains(l, s) {
				c++
			}
		}
		return c
	}
	if got := count("persistent storage is deprecated, use volumes"); got != 1 {
		t.Errorf("storage-deprecated warning logged %d times, want once\n%s", got, strings.Join(logs.Lines(), "\n"))
	}
	if got := count("of your quota"); got != 1 {
		t.Errorf("quota warning logged %d times, want once (one topic)\n%s", got, strings.Join(logs.Lines(), "\n"))
	}
	if got := count("you have used 10% of your quota"); got != 1 {
		t.Errorf("the first quota warning was not the one logged\n%s", strings.Join(logs.Lines(), "\n"))
	}
	for _, l := range logs.Lines() {
		if strings.Contains(l, testToken) {
			t.Errorf("log line holds the token: %s", l)
		}
	}
}

// fuzzTransport answers every request with one fixed response.
type fuzzTransport struct {
	status int
	header http.Header
	body   []byte
}

func (ft fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: ft.status,
		Header:     ft.header.Clone(),
		Body:       io.NopCloser(bytes.NewReader(ft.body)),
		Request:    r,
	}, nil
}

// FuzzAPIError drives the path from an answer to an error with arbitrary
// status, headers and body: it must never panic, a non-2xx answer must be an
// *APIError with its status, and nothing may hold the token.
func FuzzAPIError(f *testing.F) {
	f.Add(404, "RepoNotFound", "Repository not found", "Root=1-abc", `"api";r=0;t=10`, "5", "topic; message", []byte(`{"error":"Repository not found"}`))
	f.Add(401, "", "Invalid credentials in Authorization header", "", "", "", "", []byte(`{"error":"Invalid credentials in Authorization header"}`))
	f.Add(429, "", "", "", `"api";r=0;t=99999999999999999999`, "Wed, 21 Oct 2015 07:28:00 GMT", "", []byte(`{"error":["a","b"]}`))
	f.Add(500, "", "", "", "", "-1", "", []byte("<html>oops</html>"))
	f.Add(401, "", "bad token "+testToken, "", "", "", "auth; "+testToken, []byte(`{"error":"echo `+testToken+`"}`))
	f.Add(403, testToken, testToken, testToken, "", "", "", []byte(testToken))
	f.Add(200, "", "", "", "", "", "", []byte(`{"stage":"RUNNING"}`))
	f.Add(204, "", "", "", "", "", "", []byte(``))
	f.Add(302, "", "", "", "", "", "", []byte(`not json`))
	f.Add(599, "\x00\xff", "line1\r\nline2", "\n", ";;;=", "  ", ";", []byte{0xff, 0xfe, '{'})
	f.Fuzz(func(t *testing.T, status int, code, message, requestID, rateLimit, retryAfter, warning string, body []byte) {
		if status < 100 || status > 599 {
			status = 100 + int(uint(status)%500)
		}
		if status == http.StatusSwitchingProtocols {
			status = 418
		}
		h := http.Header{}
		for k, v := range map[string]string{"X-Error-Code": code, "X-Error-Message": message, "X-Request-Id": requestID,
			"Ratelimit": rateLimit, "Retry-After": retryAfter, "X-Hf-Warning": warning} {
			if v != "" {
				h[k] = []string{v}
			}
		}
		logs := newLogRecorder()
		client, err := NewClient(WithEndpoint("https://hub.test"), WithToken(testToken), WithRetry(noRetry),
			WithLogger(slogLogger(logs)),
			WithHTTPClient(&http.Client{Transport: fuzzTransport{status: status, header: h, body: body}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.Spaces.GetRuntime(t.Context(), "user/space")
		var apiErr *APIError
		isAPIErr := errors.As(err, &apiErr)
		switch {
		case status >= 200 && status < 300:
			if isAPIErr {
				t.Fatalf("status %d gave an *APIError: %v", status, err)
			}
		case status >= 300 && status < 400:
			// Depending on the status, net/http may have tried to follow it.
		default:
			if !isAPIErr {
				t.Fatalf("status %d gave %v (%T), want an *APIError", status, err, err)
			}
		}
		if isAPIErr {
			if apiErr.StatusCode != status {
				t.Errorf("StatusCode = %d, want %d", apiErr.StatusCode, status)
			}
			if apiErr.RetryAfter < 0 {
				t.Errorf("RetryAfter = %v, negative", apiErr.RetryAfter)
			}
			if status >= 500 && !errors.Is(err, ErrServer) {
				t.Errorf("status %d is not ErrServer", status)
			}
			for what, s := range map[string]string{"Error()": err.Error(), "Message": apiErr.Message, "Code": apiErr.Code,
				"RequestID": apiErr.RequestID, "URL": apiErr.URL} {
				if strings.Contains(s, testToken) {
					t.Errorf("%s holds the token: %q", what, s)
				}
			}
		}
		if err != nil && strings.Contains(err.Error(), testToken) {
			t.Errorf("error holds the token: %q", err.Error())
		}
		for _, l := range logs.Lines() {
			if strings.Contains(l, "Bearer "+testToken) {
				t.Errorf("log holds the Authorization header: %q", l)
			}
		}
	})
}

// bareTransport answers like a minimal RoundTripper written by a user: the
// response does not point back at its request.
type bareTransport struct {
	status int
	body   string
}

func (bt bareTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{StatusCode: bt.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(bt.body))}, nil
}

// TestAPIError_ResponseWithoutRequest: when the transport leaves
// Response.Request unset, the error still names the URL that was asked,
// and a 401 on a Space's URL still means not found or private.
func TestAPIError_ResponseWithoutRequest(t *testing.T) {
	t.Parallel()
	client, err := NewClient(WithEndpoint("https://hub.test"), WithToken(testToken), WithRetry(noRetry),
		WithHTTPClient(&http.Client{Transport: bareTransport{status: 401, body: `{"error":"Repository not found"}`}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Spaces.GetRuntime(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("GetRuntime = %v, want an *APIError", err)
	}
	if want := "https://hub.test/api/spaces/user/space/runtime"; apiErr.URL != want {
		t.Errorf("URL = %q, want %q", apiErr.URL, want)
	}
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("GetRuntime = %v, want ErrNotFound and not ErrUnauthorized", err)
	}
}

// TestAPIError_RetryAfterNotRateLimited: on an answer that is no 429, the
// RateLimit header with quota left is no request to wait.
func TestAPIError_RetryAfterNotRateLimited(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(noRetry))
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Ratelimit", `"api";r=499;t=300`)
		writeJSON(w, http.StatusNotFound, `{"error":"Repository not found"}`)
	})
	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetRuntime = %v, want ErrNotFound", err)
	}
	if apiErr.RetryAfter != 0 {
		t.Errorf("RetryAfter = %v on a 404 with quota left, want 0", apiErr.RetryAfter)
	}
}

// TestClient_WarningEmptyMessage: an empty warning is not shown and does
// not use up its topic: the topic's first real message is still shown.
func TestClient_WarningEmptyMessage(t *testing.T) {
	t.Parallel()
	logs := newLogRecorder()
	client, mux, _ := setup(t, WithLogger(slogLogger(logs)))
	var n atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Add("X-HF-Warning", "quota;  ")
		} else {
			w.Header().Add("X-HF-Warning", "quota; you have used 90% of your quota")
		}
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING"}`)
	})
	for range 2 {
		if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
			t.Fatalf("GetRuntime: %v", err)
		}
	}
	var warnings []string
	for _, l := range logs.Lines() {
		if strings.HasPrefix(l, "WARN") {
			warnings = append(warnings, l)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "you have used 90% of your quota") {
		t.Errorf("warnings logged: %q, want only the quota message", warnings)
	}
}

// TestClient_WarningNeverLogsToken: a warning that echoes the token (a
// proxy, a misbehaving server) is logged without it.
func TestClient_WarningNeverLogsToken(t *testing.T) {
	t.Parallel()
	logs := newLogRecorder()
	client, mux, _ := setup(t, WithLogger(slogLogger(logs)))
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Add("X-HF-Warning", "token-"+tok+"; the token "+tok+" expires tomorrow")
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING"}`)
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	lines := logs.Lines()
	if len(lines) == 0 {
		t.Fatal("the warning was not logged")
	}
	for _, l := range lines {
		if strings.Contains(l, testToken) {
			t.Errorf("log line holds the token: %s", l)
		}
	}
}

// TestAPIError_ClassificationFromExportedFields: an APIError built by hand
// (a user's fake) matches the sentinels as the one the client built from the
// same answer.
func TestAPIError_ClassificationFromExportedFields(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrBadRequest, ErrConflict, ErrRateLimited, ErrServer, ErrOutcomeUnknown}
	repo := "https://huggingface.co/api/spaces/user/space/runtime"
	other := "https://huggingface.co/api/whoami-v2"
	for _, tt := range []struct {
		name string
		err  APIError
		want []error
	}{
		{"404", APIError{StatusCode: 404}, []error{ErrNotFound}},
		{"RepoNotFound code", APIError{StatusCode: 401, Code: "RepoNotFound", URL: repo, TokenSent: true}, []error{ErrNotFound}},
		{"401 repo with token", APIError{StatusCode: 401, URL: repo, TokenSent: true}, []error{ErrNotFound}},
		{"401 repo without token", APIError{StatusCode: 401, URL: repo}, []error{ErrNotFound, ErrUnauthorized}},
		{"401 bad token on repo", APIError{StatusCode: 401, URL: repo, TokenSent: true, Message: invalidCredentials}, []error{ErrUnauthorized}},
		{"401 elsewhere", APIError{StatusCode: 401, URL: other, TokenSent: true}, []error{ErrUnauthorized}},
		{"401 no URL", APIError{StatusCode: 401}, []error{ErrUnauthorized}},
		{"403", APIError{StatusCode: 403}, []error{ErrForbidden}},
		{"400", APIError{StatusCode: 400}, []error{ErrBadRequest}},
		{"409", APIError{StatusCode: 409}, []error{ErrConflict}},
		{"429", APIError{StatusCode: 429}, []error{ErrRateLimited}},
		{"503", APIError{StatusCode: 503}, []error{ErrServer}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, s := range sentinels {
				want := false
				for _, w := range tt.want {
					want = want || w == s
				}
				if got := errors.Is(&tt.err, s); got != want {
					t.Errorf("errors.Is(%+v, %v) = %v, want %v", tt.err, s, got, want)
				}
			}
		})
	}

	// The same answer from a server: the client's error and a copy of its
	// exported fields classify alike.
	for _, withToken := range []bool{true, false} {
		opts := []Option{WithRetry(noRetry)}
		if !withToken {
			opts = append(opts, WithNoToken())
		}
		client, mux, _ := setup(t, opts...)
		mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusUnauthorized, `{"error":"Repository not found"}`)
		})
		_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
		var real *APIError
		if !errors.As(err, &real) {
			t.Fatalf("GetRuntime = %v, want an *APIError", err)
		}
		if real.TokenSent != withToken {
			t.Errorf("TokenSent = %v, want %v", real.TokenSent, withToken)
		}
		fake := &APIError{Op: real.Op, StatusCode: real.StatusCode, Code: real.Code, Message: real.Message, RequestID: real.RequestID,
			Method: real.Method, URL: real.URL, RetryAfter: real.RetryAfter, TokenSent: real.TokenSent}
		for _, s := range sentinels {
			if errors.Is(real, s) != errors.Is(fake, s) {
				t.Errorf("token %v: the client's error and its copy disagree on %v", withToken, s)
			}
		}
	}
}

// A presigned storage URL's signature never shows in an error or a log.
func TestRedactURL_PresignedSignatures(t *testing.T) {
	for _, u := range []string{
		"https://bucket.s3.amazonaws.com/obj?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F1&X-Amz-Security-Token=tok&X-Amz-Signature=deadbeefsig",
		"https://cdn.example/obj?Expires=1&Signature=deadbeefsig&Policy=cG9saWN5&Key-Pair-Id=K2ID",
	} {
		got := redactURLString(u)
		for _, secret := range []string{"deadbeefsig", "AKIA", "tok&", "cG9saWN5", "K2ID"} {
			if strings.Contains(got, secret) {
				t.Errorf("redactURLString(%q) = %q: shows %q", u, got, secret)
			}
		}
	}
}
