package hfhub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// spaceOp is one Spaces operation on "user/space", for tables over all of them.
type spaceOp struct {
	name   string
	method string
	path   string // below /api/spaces/user/space, or from the root when it starts with "/api/"
	answer string // a successful answer body
	call   func(ctx context.Context, c *Client) error
}

// urlPath is the path the operation's request goes to.
func (op spaceOp) urlPath() string {
	if strings.HasPrefix(op.path, "/api/") {
		return op.path
	}
	return "/api/spaces/user/space" + op.path
}

func retriedOps() []spaceOp {
	runtime := `{"stage":"RUNNING"}`
	return []spaceOp{
		{"GetRuntime", "GET", "/runtime", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.GetRuntime(ctx, "user/space")
			return err
		}},
		{"GetInfo", "GET", "", `{"id":"user/space"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.GetInfo(ctx, "user/space")
			return err
		}},
		{"GetVariables", "GET", "/variables", `{}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.GetVariables(ctx, "user/space")
			return err
		}},
		{"AddVariable", "POST", "/variables", `{"K":{"value":"v"}}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.AddVariable(ctx, "user/space", "K", "v", &VariableOptions{Description: "d"})
			return err
		}},
		{"DeleteVariable", "DELETE", "/variables", `{}`, func(ctx context.Context, c *Client) error {
			return c.Spaces.DeleteVariable(ctx, "user/space", "K")
		}},
		{"GetSecrets", "GET", "/secrets", `{}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.GetSecrets(ctx, "user/space")
			return err
		}},
		{"AddSecret", "POST", "/secrets", `{}`, func(ctx context.Context, c *Client) error {
			return c.Spaces.AddSecret(ctx, "user/space", "K", "v", nil)
		}},
		{"DeleteSecret", "DELETE", "/secrets", `{}`, func(ctx context.Context, c *Client) error {
			return c.Spaces.DeleteSecret(ctx, "user/space", "K")
		}},
		{"RequestHardware", "POST", "/hardware", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.RequestHardware(ctx, "user/space", HardwareT4Small, &HardwareOptions{SleepTime: ptr(600)})
			return err
		}},
		{"SetSleepTime", "POST", "/sleeptime", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.SetSleepTime(ctx, "user/space", 600)
			return err
		}},
		{"RequestStorage", "POST", "/storage", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.RequestStorage(ctx, "user/space", StorageSmall)
			return err
		}},
		{"DeleteStorage", "DELETE", "/storage", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.DeleteStorage(ctx, "user/space")
			return err
		}},
		{"SetVolumes", "PUT", "/volumes", ``, func(ctx context.Context, c *Client) error {
			return c.Spaces.SetVolumes(ctx, "user/space", []Volume{{Type: "dataset", Source: "u/d", MountPath: "/d"}})
		}},
		{"DeleteVolumes", "DELETE", "/volumes", ``, func(ctx context.Context, c *Client) error {
			return c.Spaces.DeleteVolumes(ctx, "user/space")
		}},
		{"EnableDevMode", "POST", "/dev-mode", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.EnableDevMode(ctx, "user/space")
			return err
		}},
		{"DisableDevMode", "POST", "/dev-mode", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.DisableDevMode(ctx, "user/space")
			return err
		}},
		{"Pause", "POST", "/pause", runtime, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.Pause(ctx, "user/space")
			return err
		}},
		{"List", "GET", "/api/spaces", `[{"id":"user/space"}]`, func(ctx context.Context, c *Client) error {
			for _, err := range c.Spaces.List(ctx, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"ListHardware", "GET", "/api/spaces/hardware", `[{"name":"cpu-basic"}]`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.ListHardware(ctx)
			return err
		}},
		{"WhoAmI", "GET", "/api/whoami-v2", `{"type":"user","name":"user"}`, func(ctx context.Context, c *Client) error {
			_, err := c.WhoAmI(ctx)
			return err
		}},
		{"UpdateSettings", "PUT", "/settings", `{}`, func(ctx context.Context, c *Client) error {
			return c.Spaces.UpdateSettings(ctx, "user/space", &SettingsOptions{Visibility: VisibilityPrivate})
		}},
		{"Delete", "DELETE", "/api/repos/delete", `{}`, func(ctx context.Context, c *Client) error {
			return c.Spaces.Delete(ctx, "user/space", nil)
		}},
	}
}

func neverRetriedOps() []spaceOp {
	return []spaceOp{
		{"Restart", "POST", "/restart", `{"stage":"BUILDING"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.Restart(ctx, "user/space", nil)
			return err
		}},
		{"Restart factory", "POST", "/restart", `{"stage":"BUILDING"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.Restart(ctx, "user/space", &RestartOptions{FactoryReboot: true})
			return err
		}},
		{"Duplicate", "POST", "/duplicate", `{"url":"https://huggingface.co/spaces/user/copy"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.Duplicate(ctx, "user/space", &DuplicateOptions{ToID: "user/copy"})
			return err
		}},
		{"Create", "POST", "/api/repos/create", `{"url":"https://huggingface.co/spaces/user/space"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Spaces.Create(ctx, "user/space", &CreateOptions{SDK: SDKGradio})
			return err
		}},
		{"Move", "POST", "/api/repos/move", `{}`, func(ctx context.Context, c *Client) error {
			return c.Spaces.Move(ctx, "user/space", "user/space2")
		}},
	}
}

// recordedRequest is what a test server saw of one request.
type recordedRequest struct {
	method, uri, body string
}

// TestRetry_IdempotentOperations: every retried operation gets a 503 first,
// then succeeds; the second attempt must be the same request, body included.
func TestRetry_IdempotentOperations(t *testing.T) {
	t.Parallel()
	for _, op := range retriedOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var mu sync.Mutex
			var seen []recordedRequest
			mux.HandleFunc(op.urlPath(), func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				seen = append(seen, recordedRequest{r.Method, r.URL.RequestURI(), string(body)})
				n := len(seen)
				mu.Unlock()
				if n == 1 {
					writeJSON(w, http.StatusServiceUnavailable, `{"error":"try again"}`)
					return
				}
				writeJSON(w, http.StatusOK, op.answer)
			})
			if err := op.call(t.Context(), client); err != nil {
				t.Fatalf("%s: %v", op.name, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != 2 {
				t.Fatalf("server saw %d requests, want 2 (one retry)", len(seen))
			}
			if seen[0].method != op.method {
				t.Errorf("method = %s, want %s", seen[0].method, op.method)
			}
			if diff := cmp.Diff(seen[0], seen[1], cmp.AllowUnexported(recordedRequest{})); diff != "" {
				t.Errorf("the retry differs from the first attempt (-first +retry):\n%s", diff)
			}
		})
	}
}

func TestRetry_NeverRetriedOperations(t *testing.T) {
	t.Parallel()
	for _, op := range neverRetriedOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var calls atomic.Int64
			mux.HandleFunc(op.urlPath(), func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				writeJSON(w, http.StatusServiceUnavailable, `{"error":"try again"}`)
			})
			err := op.call(t.Context(), client)
			if !errors.Is(err, ErrServer) {
				t.Errorf("%s = %v, want ErrServer", op.name, err)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("server saw %d requests, want 1: %s must never be retried", n, op.name)
			}
		})
	}
}

func TestRetry_TransientStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{408, 429, 500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var calls atomic.Int64
			mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					if status == 429 {
						w.Header().Set("Retry-After", "0")
					}
					writeJSON(w, status, `{"error":"transient"}`)
					return
				}
				writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
			})
			rt, err := client.Spaces.GetRuntime(t.Context(), "user/space")
			if err != nil {
				t.Fatalf("GetRuntime after a %d: %v", status, err)
			}
			if rt.Stage != StageBuilding {
				t.Errorf("stage = %q, want BUILDING", rt.Stage)
			}
			if n := calls.Load(); n != 2 {
				t.Errorf("server saw %d requests, want 2", n)
			}
		})
	}
}

func TestRetry_PermanentStatusesNotRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 409, 422, 501} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var calls atomic.Int64
			mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				writeJSON(w, status, `{"error":"no"}`)
			})
			if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err == nil {
				t.Fatalf("GetRuntime succeeded on a %d", status)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("server saw %d requests for a %d, want 1", n, status)
			}
		})
	}
}

func TestRetry_Disabled(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(RetryPolicy{MaxRetries: 0}))
	var calls atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, http.StatusServiceUnavailable, `{"error":"down"}`)
	})
	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	if !errors.Is(err, ErrServer) {
		t.Errorf("GetRuntime = %v, want ErrServer", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("server saw %d requests with retries off, want 1", n)
	}
}

// TestRetry_GivesUp: after MaxRetries retries the last answer's error is
// returned.
func TestRetry_GivesUp(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	var calls atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		w.Header().Set("X-Request-Id", fmt.Sprintf("attempt-%d", n))
		writeJSON(w, http.StatusBadGateway, `{"error":"bad gateway"}`)
	})
	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.Is(err, ErrServer) || !errors.As(err, &apiErr) {
		t.Fatalf("GetRuntime = %v, want ErrServer", err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3 (1 + 2 retries)", n)
	}
	if apiErr.RequestID != "attempt-3" || apiErr.StatusCode != 502 {
		t.Errorf("error describes %q status %d, want the last attempt's (attempt-3, 502)", apiErr.RequestID, apiErr.StatusCode)
	}
}

// hijackOnce returns a handler that drops the connection without an answer
// on the first `drops` requests and calls next afterwards.
func hijackOnce(t *testing.T, drops int64, calls *atomic.Int64, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= drops {
			io.Copy(io.Discard, r.Body)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close()
			return
		}
		next(w, r)
	}
}

func TestRetry_ConnectionError(t *testing.T) {
	t.Parallel()
	t.Run("GET retried", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		var calls atomic.Int64
		mux.HandleFunc("/api/spaces/user/space/runtime", hijackOnce(t, 2, &calls, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
		}))
		if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
			t.Fatalf("GetRuntime after dropped connections: %v", err)
		}
		if n := calls.Load(); n != 3 {
			t.Errorf("server saw %d requests, want 3", n)
		}
	})
	t.Run("idempotent POST retried with its body", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		var calls atomic.Int64
		mux.HandleFunc("/api/spaces/user/space/variables", hijackOnce(t, 1, &calls, func(w http.ResponseWriter, r *http.Request) {
			testJSONBody(t, r, map[string]any{"key": "K", "value": "v"})
			writeJSON(w, http.StatusOK, `{"K":{"value":"v","updatedAt":"2025-03-07T12:24:18.657Z"}}`)
		}))
		v, err := client.Spaces.AddVariable(t.Context(), "user/space", "K", "v", nil)
		if err != nil {
			t.Fatalf("AddVariable after a dropped connection: %v", err)
		}
		if v.Value != "v" {
			t.Errorf("AddVariable = %+v", v)
		}
		if n := calls.Load(); n != 2 {
			t.Errorf("server saw %d requests, want 2", n)
		}
	})
	t.Run("retries off", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t, WithRetry(noRetry))
		var calls atomic.Int64
		mux.HandleFunc("/api/spaces/user/space/runtime", hijackOnce(t, 1, &calls, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
		}))
		_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
		var apiErr *APIError
		if err == nil || errors.As(err, &apiErr) {
			t.Errorf("GetRuntime = %v, want a connection error", err)
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("server saw %d requests, want 1", n)
		}
	})
	t.Run("Restart not retried", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		var calls atomic.Int64
		mux.HandleFunc("/api/spaces/user/space/restart", hijackOnce(t, 1, &calls, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
		}))
		if _, err := client.Spaces.Restart(t.Context(), "user/space", nil); err == nil {
			t.Error("Restart succeeded although its only attempt lost the connection")
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("server saw %d requests, want 1", n)
		}
	})
}

// The tests below use testing/synctest: time is fake, so waits of seconds
// take no real time and their length can be checked exactly. Requests are
// answered in memory (memClient): a loopback server would stall fake time.

// requestTimes returns a handler that records when each request arrives and
// answers it with answer(n) for the nth request (from 1).
func requestTimes(mu *sync.Mutex, times *[]time.Time, answer func(n int, w http.ResponseWriter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*times = append(*times, time.Now())
		n := len(*times)
		mu.Unlock()
		answer(n, w)
	}
}

func gaps(times []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(times); i++ {
		out = append(out, times[i].Sub(times[i-1]))
	}
	return out
}

func TestRetry_RateLimitWait(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		header  func() http.Header
		policy  RetryPolicy
		wantMin time.Duration
		wantMax time.Duration
	}{
		{
			name:    "RateLimit t=",
			header:  func() http.Header { return http.Header{"Ratelimit": {`"api";r=0;t=7`}} },
			policy:  RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
			wantMin: 7 * time.Second, wantMax: 8 * time.Second,
		},
		{
			name:    "RateLimit t= on a 429 whatever r says",
			header:  func() http.Header { return http.Header{"Ratelimit": {`"api";r=3;t=7`}} },
			policy:  RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
			wantMin: 7 * time.Second, wantMax: 8 * time.Second,
		},
		{
			name:    "Retry-After seconds",
			header:  func() http.Header { return http.Header{"Retry-After": {"5"}} },
			policy:  RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
			wantMin: 5 * time.Second, wantMax: 6 * time.Second,
		},
		{
			name: "Retry-After HTTP date",
			header: func() http.Header {
				return http.Header{"Retry-After": {time.Now().Add(4 * time.Second).UTC().Format(http.TimeFormat)}}
			},
			policy:  RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
			wantMin: 4 * time.Second, wantMax: 5 * time.Second,
		},
		{
			name:    "capped by MaxWait",
			header:  func() http.Header { return http.Header{"Ratelimit": {`"api";r=0;t=3600`}, "Retry-After": {"3600"}} },
			policy:  RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxWait: 2 * time.Second},
			wantMin: 0, wantMax: 2*time.Second + time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				var times []time.Time
				h := requestTimes(&mu, &times, func(n int, w http.ResponseWriter) {
					if n == 1 {
						for k, vs := range tt.header() {
							w.Header()[k] = vs
						}
						writeJSON(w, http.StatusTooManyRequests, `{"error":"rate limited"}`)
						return
					}
					writeJSON(w, http.StatusOK, `{"stage":"RUNNING"}`)
				})
				client := memClient(t, h, WithRetry(tt.policy))
				rt, err := client.Spaces.GetRuntime(t.Context(), "user/space")
				if err != nil {
					// Only the MaxWait case may give up instead of waiting.
					if tt.wantMin > 0 || !errors.Is(err, ErrRateLimited) {
						t.Fatalf("GetRuntime: %v", err)
					}
					return
				}
				if rt.Stage != StageRunning {
					t.Errorf("stage %q", rt.Stage)
				}
				if len(times) != 2 {
					t.Fatalf("server saw %d requests, want 2", len(times))
				}
				if g := times[1].Sub(times[0]); g < tt.wantMin || g > tt.wantMax {
					t.Errorf("waited %v before retrying, want between %v and %v", g, tt.wantMin, tt.wantMax)
				}
			})
		})
	}
}

func TestRetry_RateLimitedGivesUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Time
		h := requestTimes(&mu, &times, func(n int, w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3")
			writeJSON(w, http.StatusTooManyRequests, `{"error":"You have been rate-limited"}`)
		})
		client := memClient(t, h, WithRetry(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		start := time.Now()
		_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
		if !errors.Is(err, ErrRateLimited) {
			t.Fatalf("GetRuntime = %v, want ErrRateLimited", err)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.RetryAfter != 3*time.Second || apiErr.Message != "You have been rate-limited" {
			t.Errorf("error = %#v, want an *APIError with RetryAfter 3s and the Hub's message", err)
		}
		if len(times) != 3 {
			t.Errorf("server saw %d requests, want 3", len(times))
		}
		if elapsed := time.Since(start); elapsed != 6*time.Second {
			t.Errorf("gave up after %v, want 6s (two waits of 3s)", elapsed)
		}
	})
}

// TestRetry_RateLimitWaitBoundedByContext: a wait the context's deadline
// cannot afford ends the call by that deadline at the latest.
func TestRetry_RateLimitWaitBoundedByContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Ratelimit", `"api";r=0;t=3600`)
			writeJSON(w, http.StatusTooManyRequests, `{"error":"rate limited"}`)
		})
		client := memClient(t, h, WithRetry(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxWait: 2 * time.Hour}))
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err := client.Spaces.GetRuntime(ctx, "user/space")
		if err == nil {
			t.Fatal("GetRuntime succeeded")
		}
		if !errors.Is(err, ErrRateLimited) && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("GetRuntime = %v, want ErrRateLimited or the deadline", err)
		}
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("returned after %v, past the context's 10s deadline", elapsed)
		}
	})
}

func TestRetry_Backoff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Time
		h := requestTimes(&mu, &times, func(n int, w http.ResponseWriter) {
			writeJSON(w, http.StatusServiceUnavailable, `{"error":"down"}`)
		})
		policy := RetryPolicy{MaxRetries: 5, MinBackoff: 100 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}
		client := memClient(t, h, WithRetry(policy))
		if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); !errors.Is(err, ErrServer) {
			t.Fatalf("GetRuntime = %v, want ErrServer", err)
		}
		if len(times) != 6 {
			t.Fatalf("server saw %d requests, want 6", len(times))
		}
		for i, g := range gaps(times) {
			if g <= 0 || g > policy.MaxBackoff {
				t.Errorf("wait %d was %v, want more than 0 and at most MaxBackoff %v", i+1, g, policy.MaxBackoff)
			}
		}
	})
}

// TestRetry_DefaultPolicy: without WithRetry a client retries 3 times, with
// waits of the default 500 ms doubling up to 10 s.
func TestRetry_DefaultPolicy(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Time
		h := requestTimes(&mu, &times, func(n int, w http.ResponseWriter) {
			writeJSON(w, http.StatusInternalServerError, `{"error":"boom"}`)
		})
		client, err := NewClient(WithEndpoint("https://hub.test"), WithToken(testToken),
			WithHTTPClient(&http.Client{Transport: handlerTransport{h}}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); !errors.Is(err, ErrServer) {
			t.Fatalf("GetRuntime = %v, want ErrServer", err)
		}
		if len(times) != 4 {
			t.Fatalf("server saw %d requests, want 4 (3 default retries)", len(times))
		}
		var total time.Duration
		for i, g := range gaps(times) {
			if g <= 0 || g > 10*time.Second {
				t.Errorf("wait %d was %v, want more than 0 and at most 10s", i+1, g)
			}
			total += g
		}
		// 500 ms, 1 s, 2 s with jitter: never more than 3.5 s in all.
		if total > 3500*time.Millisecond {
			t.Errorf("waited %v in all, want at most 3.5s", total)
		}
	})
}

// TestRetry_ZeroDurationsTakeDefaults: WithRetry with only MaxRetries set
// still waits (the default backoff), it does not hammer the server.
func TestRetry_ZeroDurationsTakeDefaults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Time
		h := requestTimes(&mu, &times, func(n int, w http.ResponseWriter) {
			writeJSON(w, http.StatusServiceUnavailable, `{"error":"down"}`)
		})
		client := memClient(t, h, WithRetry(RetryPolicy{MaxRetries: 1}))
		client.Spaces.GetRuntime(t.Context(), "user/space")
		if len(times) != 2 {
			t.Fatalf("server saw %d requests, want 2", len(times))
		}
		if g := times[1].Sub(times[0]); g < 100*time.Millisecond || g > 10*time.Second {
			t.Errorf("waited %v, want the default backoff (about 500 ms)", g)
		}
	})
}

// TestCancel_DuringBackoff: cancelling while the client waits to retry
// returns the context's error at once, with no further request.
func TestCancel_DuringBackoff(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		status int
		header http.Header
	}{
		{"backoff", http.StatusServiceUnavailable, nil},
		{"rate limit wait", http.StatusTooManyRequests, http.Header{"Retry-After": {"1800"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var calls atomic.Int64
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					calls.Add(1)
					for k, vs := range tt.header {
						w.Header()[k] = vs
					}
					writeJSON(w, tt.status, `{"error":"wait"}`)
				})
				client := memClient(t, h, WithRetry(RetryPolicy{MaxRetries: 5, MinBackoff: time.Hour, MaxBackoff: time.Hour, MaxWait: time.Hour}))
				ctx, cancel := context.WithCancel(t.Context())
				start := time.Now()
				var err error
				done := make(chan struct{})
				go func() {
					defer close(done)
					_, err = client.Spaces.GetRuntime(ctx, "user/space")
				}()
				synctest.Wait() // the call is now waiting to retry
				if calls.Load() != 1 {
					t.Fatalf("server saw %d requests before the wait, want 1", calls.Load())
				}
				cancel()
				synctest.Wait()
				select {
				case <-done:
				default:
					t.Fatal("GetRuntime still waiting after its context was cancelled")
				}
				if err != context.Canceled {
					t.Errorf("GetRuntime = %v, want context.Canceled itself", err)
				}
				if elapsed := time.Since(start); elapsed != 0 {
					t.Errorf("returned after %v of fake time, want at once", elapsed)
				}
				if calls.Load() != 1 {
					t.Errorf("server saw %d requests, want 1: no retry after cancellation", calls.Load())
				}
			})
		})
	}
}

// TestCancel_InFlight: cancelling while the server holds the request
// returns the context's error, not a transport error or an *APIError.
func TestCancel_InFlight(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var calls atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := client.Spaces.GetRuntime(ctx, "user/space")
	if err != context.Canceled {
		t.Errorf("GetRuntime = %v (%T), want context.Canceled itself", err, err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestCancel_AlreadyCancelled(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := client.Spaces.GetRuntime(ctx, "user/space"); err != context.Canceled {
		t.Errorf("GetRuntime = %v, want context.Canceled", err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent with a cancelled context", n)
	}
}

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value         string
		wantRemaining int
		wantReset     time.Duration
		wantOK        bool
	}{
		{`"api";r=0;t=7`, 0, 7 * time.Second, true},
		{`"api";r=499;t=300`, 499, 300 * time.Second, true},
		{`"api"; r=12; t=60`, 12, 60 * time.Second, true},
		{`"resolvers";r=3;t=1`, 3, time.Second, true},
		{``, 0, 0, false},
		{`garbage`, 0, 0, false},
		{`"api";r=x;t=y`, 0, 0, false},
		{`"api";r=-1;t=-5`, 0, 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("RateLimit", tt.value)
		}
		remaining, reset, ok := parseRateLimit(h)
		if ok != tt.wantOK || (ok && (remaining != tt.wantRemaining || reset != tt.wantReset)) {
			t.Errorf("parseRateLimit(%q) = %d, %v, %v; want %d, %v, %v", tt.value, remaining, reset, ok,
				tt.wantRemaining, tt.wantReset, tt.wantOK)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		tests := []struct {
			value  string
			want   time.Duration
			wantOK bool
		}{
			{"120", 120 * time.Second, true},
			{"0", 0, true},
			{" 5 ", 5 * time.Second, true},
			{now.Add(90 * time.Second).UTC().Format(http.TimeFormat), 90 * time.Second, true},
			{now.Add(-time.Hour).UTC().Format(http.TimeFormat), 0, true}, // in the past: no wait
			{"", 0, false},
			{"-1", 0, false},
			{"soon", 0, false},
			{"1.5", 0, false},
		}
		for _, tt := range tests {
			got, ok := parseRetryAfter(tt.value)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
			}
		}
	})
}

func FuzzParseRateLimit(f *testing.F) {
	for _, s := range []string{`"api";r=0;t=7`, `"api";r=499;t=300`, `;;`, `r=;t=`, `"api";r=99999999999999999999;t=99999999999999999999`,
		`"api";r=1;t=-1`, "\x00", `t=1;t=2;r=3`} {
		f.Add(s, 3, 60)
	}
	f.Fuzz(func(t *testing.T, value string, r, reset int) {
		remaining, d, ok := parseRateLimit(http.Header{"Ratelimit": {value}})
		if ok && (remaining < 0 || d < 0) {
			t.Errorf("parseRateLimit(%q) = %d, %v: negative", value, remaining, d)
		}
		if !ok && (remaining != 0 || d != 0) {
			t.Errorf("parseRateLimit(%q) = %d, %v, false: values without ok", value, remaining, d)
		}
		// A well-formed header parses to what it says.
		if r < 0 || reset < 0 || reset > 3600 {
			return
		}
		wf := fmt.Sprintf(`"api";r=%d;t=%d`, r, reset)
		remaining, d, ok = parseRateLimit(http.Header{"Ratelimit": {wf}})
		if !ok || remaining != min(r, 1<<31-1) || d != time.Duration(reset)*time.Second {
			t.Errorf("parseRateLimit(%q) = %d, %v, %v", wf, remaining, d, ok)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "", "Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "99999999999999999999", "1e3", "\xff"} {
		f.Add(s, 30)
	}
	f.Fuzz(func(t *testing.T, value string, seconds int) {
		d, ok := parseRetryAfter(value)
		if d < 0 {
			t.Errorf("parseRetryAfter(%q) = %v: negative", value, d)
		}
		if !ok && d != 0 {
			t.Errorf("parseRetryAfter(%q) = %v, false: a value without ok", value, d)
		}
		if seconds < 0 || seconds > 3600 {
			return
		}
		if d, ok := parseRetryAfter(strconv.Itoa(seconds)); !ok || d != time.Duration(seconds)*time.Second {
			t.Errorf("parseRetryAfter(%d) = %v, %v", seconds, d, ok)
		}
	})
}

// TestRetryPolicy_BackoffBounds: whatever the durations, a wait is never
// negative and never above MaxBackoff (doubling must not overflow).
func TestRetryPolicy_BackoffBounds(t *testing.T) {
	t.Parallel()
	for _, p := range []RetryPolicy{
		DefaultRetryPolicy(),
		{MinBackoff: time.Nanosecond, MaxBackoff: time.Nanosecond},
		{MinBackoff: 3 * time.Nanosecond, MaxBackoff: 1<<63 - 1},
		{MinBackoff: 5e18, MaxBackoff: 1<<63 - 1},
		{MinBackoff: time.Hour, MaxBackoff: 1<<63 - 1},
	} {
		p = p.withDefaults()
		for attempt := range 100 {
			if d := p.backoff(attempt); d < 0 || d > p.MaxBackoff {
				t.Errorf("%+v: backoff(%d) = %v, want between 0 and %v", p, attempt, d, p.MaxBackoff)
				break
			}
		}
	}
}

// TestCancel_AlreadyCancelledEveryOperation: every operation given a
// cancelled context returns the context's error itself (not wrapped) and
// sends nothing, Duplicate's own-namespace lookup included.
func TestCancel_AlreadyCancelledEveryOperation(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ops := repoIDOps()
	ops["WhoAmI"] = func(ctx context.Context, c *Client, _ string) error {
		_, err := c.WhoAmI(ctx)
		return err
	}
	ops["ListHardware"] = func(ctx context.Context, c *Client, _ string) error {
		_, err := c.Spaces.ListHardware(ctx)
		return err
	}
	ops["List"] = func(ctx context.Context, c *Client, _ string) error {
		for _, err := range c.Spaces.List(ctx, nil) {
			return err
		}
		return nil
	}
	ops["Duplicate to own namespace"] = func(ctx context.Context, c *Client, id string) error {
		_, err := c.Spaces.Duplicate(ctx, id, &DuplicateOptions{ToID: "copy"})
		return err
	}
	for name, op := range ops {
		if err := op(ctx, client, "user/space"); err != context.Canceled {
			t.Errorf("%s = %v, want context.Canceled itself", name, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent with a cancelled context", n)
	}
}
