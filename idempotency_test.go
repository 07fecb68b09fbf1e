package hfhub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// notOperations are the exported methods of Client and SpacesService that
// are not one request: they have their own tests.
var notOperations = map[string]string{
	"Endpoint": "no request",
	"HasToken": "no request",
	"Logs":     "a stream with its own reconnection (spaces_logs_test.go)",
	"Wait":     "polls GetRuntime (spaces_wait_test.go)",
	// Several requests each, every one declared with its own call:
	"ListFiles":  "a page at a time, each page retried (files_test.go)",
	"Download":   "a stream resumed with Range from the same commit (files_test.go)",
	"Commit":     "preupload, LFS batch, uploads and verify retried; the commit request sent once (commit_test.go)",
	"Upload":     "Commit of a folder (upload_test.go)",
	"NewRequest": "builds a request, sends nothing",
	"Do":         "retries by the request's method: idempotent methods with a replayable body (request_test.go)",
}

// TestIdempotency_EveryOperation: every exported method of Client and
// SpacesService is in retriedOps (idempotent: retried), neverRetriedOps
// (sent once; ErrOutcomeUnknown when the outcome is unknown) or
// notOperations. A new operation fails here until it is put in one of them,
// and the retry and outcome tests then check what it declares.
func TestIdempotency_EveryOperation(t *testing.T) {
	t.Parallel()
	declared := map[string]string{}
	for what, ops := range map[string][]spaceOp{"retried": retriedOps(), "never retried": neverRetriedOps()} {
		for _, op := range ops {
			name, _, _ := strings.Cut(op.name, " ")
			if prev, ok := declared[name]; ok && prev != what {
				t.Errorf("%s is both %s and %s", name, prev, what)
			}
			declared[name] = what
		}
	}
	// Client's methods, and those of every service it holds (Spaces, and
	// any added later).
	types := []reflect.Type{reflect.TypeFor[*Client]()}
	for f := range reflect.TypeFor[Client]().Fields() {
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			types = append(types, f.Type)
		}
	}
	if len(types) < 2 {
		t.Fatal("found no service in Client")
	}
	for _, typ := range types {
		for m := range typ.Methods() {
			if _, ok := declared[m.Name]; ok {
				continue
			}
			if _, ok := notOperations[m.Name]; ok {
				continue
			}
			t.Errorf("%s.%s is in no idempotency table: add it to retriedOps or neverRetriedOps (retry_test.go)", typ.Elem().Name(), m.Name)
		}
	}
	t.Logf("idempotency: %v", declared)
}

// cutAnswer writes a 2xx answer's headers and part of its body on a raw
// connection, then closes it: the client reads a cut answer.
func cutAnswer(t *testing.T, w http.ResponseWriter, r *http.Request, body string) {
	t.Helper()
	io.Copy(io.Discard, r.Body)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body)+10, body[:len(body)/2])
	buf.Flush()
}

// TestRetry_CutAnswer: a 2xx answer cut while its body is read is retried,
// for every retried operation, and the retry's answer is the result.
func TestRetry_CutAnswer(t *testing.T) {
	t.Parallel()
	for _, op := range retriedOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			client, mux, _ := setup(t)
			var calls atomic.Int64
			mux.HandleFunc(op.urlPath(), func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					cutAnswer(t, w, r, op.answer)
					return
				}
				writeJSON(w, http.StatusOK, op.answer)
			})
			if err := op.call(t.Context(), client); err != nil {
				t.Fatalf("%s after a cut answer: %v", op.name, err)
			}
			if n := calls.Load(); n != 2 {
				t.Errorf("server saw %d requests, want 2 (one retry)", n)
			}
		})
	}
}

// TestRetry_CutAnswerGivesUp: an answer cut every time ends in an error
// that says so, after the retries.
func TestRetry_CutAnswerGivesUp(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var calls atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		cutAnswer(t, w, r, `{"stage":"RUNNING"}`)
	})
	_, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	if err == nil || !strings.Contains(err.Error(), "cut while being read") {
		t.Errorf("GetRuntime = %v, want an error saying the answer was cut", err)
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("GetRuntime = %v: a read is not an unknown outcome", err)
	}
	if n := calls.Load(); n != 1+int64(fastRetry.MaxRetries) {
		t.Errorf("server saw %d requests, want %d", n, 1+fastRetry.MaxRetries)
	}
}

// TestOutcomeUnknown: an operation that is not safe to repeat is sent once;
// when its request may have been applied the error wraps ErrOutcomeUnknown
// and says so, otherwise it does not.
func TestOutcomeUnknown(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name    string
		handle  func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request)
		unknown bool
		also    error // another sentinel the error must match
	}{
		{"connection dropped after the request", func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close()
		}, true, nil},
		{"2xx answer cut", func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request) {
			cutAnswer(t, w, r, op.answer)
		}, true, nil},
		{"502 from a gateway", func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusBadGateway, `{"error":"upstream"}`)
		}, true, ErrServer},
		{"504 from a gateway", func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusGatewayTimeout, `{"error":"upstream"}`)
		}, true, ErrServer},
		{"503 refused", func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusServiceUnavailable, `{"error":"busy"}`)
		}, false, ErrServer},
		{"429 refused", func(t *testing.T, op spaceOp, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusTooManyRequests, `{"error":"slow down"}`)
		}, false, ErrRateLimited},
	}
	for _, op := range neverRetriedOps() {
		for _, f := range faults {
			t.Run(op.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				client, mux, _ := setup(t)
				var calls atomic.Int64
				mux.HandleFunc(op.urlPath(), func(w http.ResponseWriter, r *http.Request) {
					calls.Add(1)
					f.handle(t, op, w, r)
				})
				err := op.call(t.Context(), client)
				if err == nil {
					t.Fatalf("%s succeeded", op.name)
				}
				t.Log(err)
				if got := errors.Is(err, ErrOutcomeUnknown); got != f.unknown {
					t.Errorf("errors.Is(%v, ErrOutcomeUnknown) = %v, want %v", err, got, f.unknown)
				}
				if f.unknown && !strings.Contains(err.Error(), "may have been applied") {
					t.Errorf("error %q does not say the request may have been applied", err)
				}
				if f.also != nil && !errors.Is(err, f.also) {
					t.Errorf("error %v does not match %v", err, f.also)
				}
				if strings.Contains(err.Error(), testToken) {
					t.Errorf("error holds the token: %v", err)
				}
				if n := calls.Load(); n != 1 {
					t.Errorf("server saw %d requests, want 1: %s is never sent twice", n, op.name)
				}
			})
		}
	}
}

// TestOutcomeUnknown_NothingSent: a connection that cannot be made (refused,
// or a name that does not resolve) sent nothing: not an unknown outcome.
func TestOutcomeUnknown_NothingSent(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	dnsFailure := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "hub.invalid", IsNotFound: true}}
		},
	}}
	for _, tt := range []struct {
		name string
		opts []Option
	}{
		{"connection refused", []Option{WithEndpoint(refused)}},
		{"DNS failure", []Option{WithEndpoint("http://hub.invalid"), WithHTTPClient(dnsFailure)}},
	} {
		for _, op := range neverRetriedOps() {
			t.Run(tt.name+"/"+op.name, func(t *testing.T) {
				t.Parallel()
				client, err := NewClient(append([]Option{WithToken(testToken), WithRetry(fastRetry)}, tt.opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				err = op.call(t.Context(), client)
				if err == nil {
					t.Fatalf("%s succeeded", op.name)
				}
				if errors.Is(err, ErrOutcomeUnknown) {
					t.Errorf("%s = %v: nothing was sent, the outcome is known", op.name, err)
				}
			})
		}
	}
}

// TestOutcomeUnknown_CancelledAfterSending: a context that ends while the Hub
// holds the request of an operation not safe to repeat leaves its outcome
// unknown; the error matches both.
func TestOutcomeUnknown_CancelledAfterSending(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	arrived := make(chan struct{}, 1)
	mux.HandleFunc("/api/spaces/user/space/restart", func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := client.Spaces.Restart(ctx, "user/space", nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Restart = %v, want context.Canceled and ErrOutcomeUnknown", err)
	}
}

// storageServer is a Space whose persistent storage and volumes a test can
// see; its handlers apply each change, then answer as the test says.
type storageServer struct {
	mu      sync.Mutex
	storage string
	volumes bool
	calls   map[string]int // "METHOD path" → requests seen
}

func (s *storageServer) count(r *http.Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	k := r.Method + " " + r.URL.Path
	s.calls[k]++
	return s.calls[k]
}

func (s *storageServer) runtime() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := "null"
	if s.storage != "" {
		st = `"` + s.storage + `"`
	}
	vol := ""
	if s.volumes {
		vol = `,"volumes":[{"type":"dataset","source":"u/d","mountPath":"/d"}]`
	}
	return `{"stage":"RUNNING","storage":` + st + vol + `}`
}

// register serves the Space's runtime, storage and volumes. lose(n) says
// how the nth request of a change loses its answer after applying it:
// "drop" (no answer), "cut" (2xx cut), "503" (refused, not applied) or ""
// (answered).
func (s *storageServer) register(t *testing.T, mux *http.ServeMux, lose func(n int) string) {
	mux.HandleFunc("GET /api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.runtime())
	})
	change := func(apply func() (status int, msg string)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			how := lose(s.count(r))
			if how == "503" {
				writeJSON(w, http.StatusServiceUnavailable, `{"error":"busy"}`)
				return
			}
			s.mu.Lock()
			status, msg := apply()
			s.mu.Unlock()
			if status != http.StatusOK {
				writeJSON(w, status, `{"error":"`+msg+`"}`)
				return
			}
			switch how {
			case "drop":
				io.Copy(io.Discard, r.Body)
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					conn.Close()
				}
			case "cut":
				cutAnswer(t, w, r, s.runtime())
			default:
				writeJSON(w, http.StatusOK, s.runtime())
			}
		}
	}
	mux.HandleFunc("DELETE /api/spaces/user/space/storage", change(func() (int, string) {
		if s.storage == "" {
			return http.StatusBadRequest, "This Space has no persistent storage"
		}
		s.storage = ""
		return http.StatusOK, ""
	}))
	mux.HandleFunc("POST /api/spaces/user/space/storage", change(func() (int, string) {
		if s.storage != "" {
			// What a Hub that refuses to repeat a storage request might say.
			return http.StatusBadRequest, "This Space already has persistent storage"
		}
		s.storage = "small"
		return http.StatusOK, ""
	}))
	mux.HandleFunc("DELETE /api/spaces/user/space/volumes", change(func() (int, string) {
		if !s.volumes {
			return http.StatusBadRequest, "This Space has no volumes"
		}
		s.volumes = false
		return http.StatusOK, ""
	}))
}

// TestStorage_RetryAfterAppliedAttempt: the first attempt of DeleteStorage,
// DeleteVolumes or RequestStorage is applied but its answer is lost; the
// retry is refused with 400 ("nothing to delete"): the earlier attempt did
// it, so the operation succeeds. Without an earlier attempt that may have
// been applied, the same 400 is an error.
func TestStorage_RetryAfterAppliedAttempt(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name    string
		storage string
		volumes bool
		call    func(ctx context.Context, c *Client) (*SpaceRuntime, error)
		check   func(rt *SpaceRuntime) bool
	}{
		{"DeleteStorage", "small", false, func(ctx context.Context, c *Client) (*SpaceRuntime, error) {
			return c.Spaces.DeleteStorage(ctx, "user/space")
		}, func(rt *SpaceRuntime) bool { return rt != nil && rt.Storage == "" }},
		{"DeleteVolumes", "", true, func(ctx context.Context, c *Client) (*SpaceRuntime, error) {
			return nil, c.Spaces.DeleteVolumes(ctx, "user/space")
		}, func(rt *SpaceRuntime) bool { return rt == nil }},
		{"RequestStorage", "", false, func(ctx context.Context, c *Client) (*SpaceRuntime, error) {
			return c.Spaces.RequestStorage(ctx, "user/space", StorageSmall)
		}, func(rt *SpaceRuntime) bool { return rt != nil && rt.Storage == StorageSmall }},
	}
	for _, op := range ops {
		for _, lost := range []string{"drop", "cut"} {
			t.Run(op.name+"/answer "+lost, func(t *testing.T) {
				t.Parallel()
				client, mux, _ := setup(t)
				srv := &storageServer{storage: op.storage, volumes: op.volumes}
				srv.register(t, mux, func(n int) string {
					if n == 1 {
						return lost
					}
					return ""
				})
				rt, err := op.call(t.Context(), client)
				if err != nil {
					t.Fatalf("%s = %v, want success: the first attempt did it", op.name, err)
				}
				if !op.check(rt) {
					t.Errorf("%s returned runtime %+v", op.name, rt)
				}
				srv.mu.Lock()
				defer srv.mu.Unlock()
				if op.name == "DeleteStorage" && srv.storage != "" || srv.volumes {
					t.Errorf("the Space still has storage %q / volumes %v", srv.storage, srv.volumes)
				}
			})
		}
	}
	t.Run("DeleteStorage/nothing to delete from the start", func(t *testing.T) {
		t.Parallel()
		client, mux, _ := setup(t)
		srv := &storageServer{}
		srv.register(t, mux, func(int) string { return "" })
		if _, err := client.Spaces.DeleteStorage(t.Context(), "user/space"); !errors.Is(err, ErrBadRequest) {
			t.Errorf("DeleteStorage = %v, want ErrBadRequest", err)
		}
	})
	t.Run("DeleteStorage/503 then nothing to delete", func(t *testing.T) {
		// A 503 was not applied: the 400 of the retry is the Space's own
		// state, an error.
		t.Parallel()
		client, mux, _ := setup(t)
		srv := &storageServer{}
		srv.register(t, mux, func(n int) string {
			if n == 1 {
				return "503"
			}
			return ""
		})
		if _, err := client.Spaces.DeleteStorage(t.Context(), "user/space"); !errors.Is(err, ErrBadRequest) {
			t.Errorf("DeleteStorage = %v, want ErrBadRequest", err)
		}
	})
	t.Run("DeleteStorage/refused retry while the storage is still there", func(t *testing.T) {
		// The retry is refused for another reason and the runtime still
		// shows the storage: the 400 stands.
		t.Parallel()
		client, mux, _ := setup(t)
		var calls atomic.Int64
		mux.HandleFunc("GET /api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, `{"stage":"RUNNING","storage":"small"}`)
		})
		mux.HandleFunc("DELETE /api/spaces/user/space/storage", func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				cutAnswer(t, w, r, `{"stage":"RUNNING","storage":null}`)
				return
			}
			writeJSON(w, http.StatusBadRequest, `{"error":"Storage is being provisioned"}`)
		})
		if _, err := client.Spaces.DeleteStorage(t.Context(), "user/space"); !errors.Is(err, ErrBadRequest) {
			t.Errorf("DeleteStorage = %v, want ErrBadRequest", err)
		}
	})
}
