package hfhub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runtimeScript answers GET …/runtime with its steps in turn (the last one
// repeats) and records when each request came. A step is a stage, or an
// HTTP status to answer with instead.
type runtimeScript struct {
	t     *testing.T
	mu    sync.Mutex
	steps []runtimeStep
	times []time.Time
}

type runtimeStep struct {
	stage  Stage
	status int               // non-zero: answer this error status
	header map[string]string // with the error
}

func stages(ss ...Stage) []runtimeStep {
	var steps []runtimeStep
	for _, s := range ss {
		steps = append(steps, runtimeStep{stage: s})
	}
	return steps
}

func (rs *runtimeScript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != "/api/spaces/user/space/runtime" {
		rs.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	rs.mu.Lock()
	rs.times = append(rs.times, time.Now())
	step := rs.steps[0]
	if len(rs.steps) > 1 {
		rs.steps = rs.steps[1:]
	}
	rs.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if step.status != 0 {
		for k, v := range step.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(step.status)
		io.WriteString(w, `{"error":"scripted failure"}`)
		return
	}
	fmt.Fprintf(w, `{"stage":%q,"hardware":{"current":null,"requested":"cpu-basic"},"storage":null,"gcTimeout":172800}`, step.stage)
}

// gaps is the time between consecutive requests.
func (rs *runtimeScript) gaps() []time.Duration {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var gaps []time.Duration
	for i := 1; i < len(rs.times); i++ {
		gaps = append(gaps, rs.times[i].Sub(rs.times[i-1]))
	}
	return gaps
}

func (rs *runtimeScript) requests() int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return len(rs.times)
}

// waitTest runs f in a synctest bubble with a client served by a script of
// the given steps.
func waitTest(t *testing.T, steps []runtimeStep, f func(t *testing.T, c *Client, rs *runtimeScript), opts ...Option) {
	t.Helper()
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rs := &runtimeScript{t: t, steps: steps}
		f(t, logsPipeClient(t, rs, opts...), rs)
	})
}

// pollRecorder is an OnPoll that keeps the stages it is shown.
type pollRecorder struct{ stages []Stage }

func (p *pollRecorder) onPoll(rt *SpaceRuntime) { p.stages = append(p.stages, rt.Stage) }

func TestWait_BuildingToRunning(t *testing.T) {
	steps := stages(StageBuilding, StageBuilding, StageBuilding, StageAppStarting, StageAppStarting, StageRunning)
	waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
		var polls pollRecorder
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{OnPoll: polls.onPoll})
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != StageRunning || rt.RequestedHardware != HardwareCPUBasic {
			t.Errorf("Wait returned %+v, want the RUNNING runtime", rt)
		}
		want := []Stage{StageBuilding, StageBuilding, StageBuilding, StageAppStarting, StageAppStarting, StageRunning}
		if diff := cmp.Diff(want, polls.stages); diff != "" {
			t.Errorf("OnPoll saw (-want +got):\n%s", diff)
		}
		// 1 s, doubling while the stage stays, back to 1 s when it changes.
		wantGaps := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, time.Second, 2 * time.Second}
		if diff := cmp.Diff(wantGaps, rs.gaps()); diff != "" {
			t.Errorf("time between polls (-want +got):\n%s", diff)
		}
	})
}

func TestWait_IntervalsOption(t *testing.T) {
	steps := stages(StageBuilding, StageBuilding, StageBuilding, StageBuilding, StageBuilding, StageBuilding, StageRunningAppStarting, StageSleeping)
	waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{PollInterval: 250 * time.Millisecond, MaxInterval: time.Second})
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != StageSleeping {
			t.Errorf("Wait returned stage %s, want SLEEPING", rt.Stage)
		}
		ms := time.Millisecond
		wantGaps := []time.Duration{250 * ms, 500 * ms, 1000 * ms, 1000 * ms, 1000 * ms, 1000 * ms, 250 * ms}
		if diff := cmp.Diff(wantGaps, rs.gaps()); diff != "" {
			t.Errorf("time between polls (-want +got):\n%s", diff)
		}
	})
}

func TestWait_AlreadySettled(t *testing.T) {
	waitTest(t, stages(StagePaused), func(t *testing.T, c *Client, rs *runtimeScript) {
		start := time.Now()
		rt, err := c.Spaces.Wait(t.Context(), "user/space", nil)
		if err != nil || rt.Stage != StagePaused {
			t.Fatalf("Wait = %+v, %v; want PAUSED", rt, err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("Wait took %s for a settled Space, want no wait", waited)
		}
	})
}

func TestWait_BuildError(t *testing.T) {
	waitTest(t, stages(StageBuilding, StageBuilding, StageBuildError), func(t *testing.T, c *Client, rs *runtimeScript) {
		var polls pollRecorder
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{OnPoll: polls.onPoll})
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != StageBuildError || !rt.Stage.Failed() {
			t.Errorf("Wait returned stage %s, want BUILD_ERROR (Failed)", rt.Stage)
		}
		if diff := cmp.Diff([]Stage{StageBuilding, StageBuilding, StageBuildError}, polls.stages); diff != "" {
			t.Errorf("OnPoll saw (-want +got):\n%s", diff)
		}
	})
}

// A stage this library does not know is not one it knows to be moving:
// Wait returns it rather than polling for ever.
func TestWait_UnknownStageIsSettled(t *testing.T) {
	waitTest(t, stages(StageBuilding, "WARMING_UP"), func(t *testing.T, c *Client, rs *runtimeScript) {
		rt, err := c.Spaces.Wait(t.Context(), "user/space", nil)
		if err != nil || rt.Stage != "WARMING_UP" {
			t.Fatalf("Wait = %+v, %v; want stage WARMING_UP", rt, err)
		}
	})
}

// A 429 that outlasts the client's own retries makes Wait wait what the
// rate-limit headers say, not fail.
func TestWait_RateLimited(t *testing.T) {
	limited := runtimeStep{status: http.StatusTooManyRequests, header: map[string]string{
		"RateLimit":        `"api";r=0;t=30`,
		"RateLimit-Policy": `"fixed window";"api";q=500;w=300`,
		"Retry-After":      "30",
	}}
	// The client sends each poll 4 times (3 retries): two polls are refused.
	steps := append(stages(StageBuilding), limited, limited, limited, limited, limited, limited, limited, limited)
	steps = append(steps, stages(StageRunning)...)
	waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
		var polls pollRecorder
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{OnPoll: polls.onPoll})
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != StageRunning {
			t.Errorf("Wait returned stage %s, want RUNNING", rt.Stage)
		}
		if diff := cmp.Diff([]Stage{StageBuilding, StageRunning}, polls.stages); diff != "" {
			t.Errorf("OnPoll saw (-want +got):\n%s", diff)
		}
		gaps := rs.gaps()
		if len(gaps) != 9 {
			t.Fatalf("%d requests, want 10", len(gaps)+1)
		}
		// The client's retries of a poll came no sooner than the 30 s the
		// 429 asked for; between polls, Wait waits at most MaxInterval.
		for i, gap := range gaps[1:] {
			want := 30 * time.Second
			if i == 3 || i == 7 {
				want = defaultMaxInterval
			}
			if gap != want && !(want == 30*time.Second && gap >= want) {
				t.Errorf("request %d came %s after a 429, want %s", i+3, gap, want)
			}
		}
	})
}

// A 429 asks for 45 s: Wait waits that long only if MaxInterval allows it.
func TestWait_RateLimitedWithoutClientRetries(t *testing.T) {
	t.Parallel()
	limited := runtimeStep{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "45"}}
	steps := append(stages(StageBuilding), limited, limited)
	steps = append(steps, stages(StageRunning)...)
	for _, tc := range []struct {
		maxInterval, want time.Duration
	}{{0, defaultMaxInterval}, {5 * time.Second, 5 * time.Second}, {time.Minute, 45 * time.Second}} {
		t.Run(fmt.Sprint("MaxInterval=", tc.maxInterval), func(t *testing.T) {
			waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
				rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{MaxInterval: tc.maxInterval})
				if err != nil || rt.Stage != StageRunning {
					t.Fatalf("Wait = %+v, %v; want RUNNING", rt, err)
				}
				if diff := cmp.Diff([]time.Duration{time.Second, tc.want, tc.want}, rs.gaps()); diff != "" {
					t.Errorf("time between polls (-want +got):\n%s", diff)
				}
			}, WithRetry(RetryPolicy{MaxRetries: 0}))
		})
	}
}

// A 429 that asks for longer than the context has left: Wait returns at
// the deadline, not after the wait the Hub asked for.
func TestWait_RateLimitedNeverSleepsPastTheDeadline(t *testing.T) {
	limited := runtimeStep{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "3600"}}
	waitTest(t, append(stages(StageBuilding), limited), func(t *testing.T, c *Client, rs *runtimeScript) {
		ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
		defer cancel()
		start := time.Now()
		rt, err := c.Spaces.Wait(ctx, "user/space", &WaitOptions{MaxInterval: 2 * time.Hour})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait error %v, want context.DeadlineExceeded", err)
		}
		if rt == nil || rt.Stage != StageBuilding {
			t.Errorf("Wait returned %+v, want the last runtime read", rt)
		}
		if waited := time.Since(start); waited != 4*time.Second {
			t.Errorf("Wait returned after %s, want at the deadline (4s)", waited)
		}
	})
}

func TestWait_ToleratesTransientErrors(t *testing.T) {
	unavailable := runtimeStep{status: http.StatusServiceUnavailable}
	// Twice, three polls in a row fail (each after the client's 3
	// retries); a good poll in between starts the count again.
	var steps []runtimeStep
	for range 2 {
		steps = append(steps, stages(StageBuilding)...)
		for range 3 * 4 {
			steps = append(steps, unavailable)
		}
	}
	steps = append(steps, stages(StageRunning)...)
	waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
		rt, err := c.Spaces.Wait(t.Context(), "user/space", nil)
		if err != nil || rt.Stage != StageRunning {
			t.Fatalf("Wait = %+v, %v; want RUNNING", rt, err)
		}
	})
}

func TestWait_GivesUpAfterTooManyTransientErrors(t *testing.T) {
	steps := append(stages(StageBuilding), runtimeStep{status: http.StatusBadGateway})
	waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
		rt, err := c.Spaces.Wait(t.Context(), "user/space", nil)
		if !errors.Is(err, ErrServer) {
			t.Fatalf("Wait error %v, want ErrServer", err)
		}
		if rt == nil || rt.Stage != StageBuilding {
			t.Errorf("Wait returned %+v, want the last runtime read (BUILDING)", rt)
		}
		// 1 good poll, then 4 failed polls of 4 requests each.
		if n := rs.requests(); n != 17 {
			t.Errorf("%d requests, want 17", n)
		}
	})
}

func TestWait_OtherErrorsReturnAtOnce(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status int
		header map[string]string
		want   error
	}{
		{http.StatusNotFound, map[string]string{"X-Error-Code": "RepoNotFound"}, ErrNotFound},
		{http.StatusUnauthorized, map[string]string{"X-Error-Message": invalidCredentials}, ErrUnauthorized},
		{http.StatusForbidden, nil, ErrForbidden},
		{http.StatusBadRequest, nil, ErrBadRequest},
	} {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			steps := append(stages(StageBuilding), runtimeStep{status: tt.status, header: tt.header})
			waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
				_, err := c.Spaces.Wait(t.Context(), "user/space", nil)
				if !errors.Is(err, tt.want) {
					t.Fatalf("Wait error %v, want %v", err, tt.want)
				}
				if n := rs.requests(); n != 2 {
					t.Errorf("%d requests, want 2", n)
				}
			})
		})
	}
}

func TestWait_ContextDeadline(t *testing.T) {
	waitTest(t, stages(StageBuilding, StageBuilding, StageAppStarting), func(t *testing.T, c *Client, rs *runtimeScript) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		var polls pollRecorder
		start := time.Now()
		rt, err := c.Spaces.Wait(ctx, "user/space", &WaitOptions{OnPoll: polls.onPoll})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait error %v, want context.DeadlineExceeded", err)
		}
		if !strings.Contains(err.Error(), "user/space is still APP_STARTING") {
			t.Errorf("error %q does not name the last stage seen", err)
		}
		if rt == nil || rt.Stage != StageAppStarting {
			t.Errorf("Wait returned %+v, want the last runtime read", rt)
		}
		if waited := time.Since(start); waited != time.Minute {
			t.Errorf("Wait returned after %s, want at the deadline (1m0s)", waited)
		}
		if len(polls.stages) < 5 {
			t.Errorf("OnPoll saw %v: too few polls in a minute", polls.stages)
		}
	})
}

func TestWait_DeadlineBeforeAnyRuntime(t *testing.T) {
	waitTest(t, []runtimeStep{{status: http.StatusServiceUnavailable}}, func(t *testing.T, c *Client, rs *runtimeScript) {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		rt, err := c.Spaces.Wait(ctx, "user/space", nil)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no runtime read") {
			t.Fatalf("Wait error %v, want context.DeadlineExceeded saying no runtime was read", err)
		}
		if rt != nil {
			t.Errorf("Wait returned %+v, want nil", rt)
		}
		if n := rs.requests(); n != 2 {
			t.Errorf("%d requests, want 2 (at 0 s and 1 s)", n)
		}
	}, WithRetry(RetryPolicy{MaxRetries: 0}))
}

func TestWait_Cancelled(t *testing.T) {
	waitTest(t, stages(StageBuilding), func(t *testing.T, c *Client, rs *runtimeScript) {
		ctx, cancel := context.WithCancel(t.Context())
		polls := 0
		_, err := c.Spaces.Wait(ctx, "user/space", &WaitOptions{OnPoll: func(*SpaceRuntime) {
			if polls++; polls == 3 {
				cancel()
			}
		}})
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "BUILDING") {
			t.Errorf("Wait error %v, want context.Canceled naming BUILDING", err)
		}
		if n := rs.requests(); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
}

func TestWait_RefusedBeforeSending(t *testing.T) {
	waitTest(t, stages(StageRunning), func(t *testing.T, c *Client, rs *runtimeScript) {
		for _, tt := range []struct {
			repoID string
			opts   *WaitOptions
			want   error
		}{
			{"not a/valid id", nil, ErrInvalidRepoID},
			{"user/space", &WaitOptions{PollInterval: -time.Second}, ErrInvalidOption},
			{"user/space", &WaitOptions{MaxInterval: -time.Second}, ErrInvalidOption},
		} {
			if _, err := c.Spaces.Wait(t.Context(), tt.repoID, tt.opts); !errors.Is(err, tt.want) {
				t.Errorf("Wait(%q, %+v): error %v, want %v", tt.repoID, tt.opts, err, tt.want)
			}
		}
		if n := rs.requests(); n != 0 {
			t.Errorf("%d requests sent, want none", n)
		}
	})
}

// cancelOnEOF cancels a context once the body of the nth answer has been
// read to its end: the call then succeeds, and the context is done by the
// time it returns.
type cancelOnEOF struct {
	rt     http.RoundTripper
	nth    int
	cancel context.CancelFunc
	mu     sync.Mutex
	seen   int
}

func (c *cancelOnEOF) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.seen++
	last := c.seen == c.nth
	c.mu.Unlock()
	if last {
		resp.Body = &eofHook{ReadCloser: resp.Body, hook: c.cancel}
	}
	return resp, nil
}

type eofHook struct {
	io.ReadCloser
	hook func()
}

func (b *eofHook) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.hook()
	}
	return n, err
}

// A runtime read as the context ends is not thrown away: OnPoll sees it,
// and a settled one is the answer.
func TestWait_RuntimeReadAsTheContextEnds(t *testing.T) {
	waitTest(t, stages(StageBuilding, StageRunning), func(t *testing.T, _ *Client, rs *runtimeScript) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		c := logsPipeClient(t, rs, WithHTTPClient(&http.Client{Transport: &cancelOnEOF{rt: pipeTransport{rs}, nth: 2, cancel: cancel}}))
		var polls pollRecorder
		rt, err := c.Spaces.Wait(ctx, "user/space", &WaitOptions{OnPoll: polls.onPoll})
		if err != nil || rt == nil || rt.Stage != StageRunning {
			t.Fatalf("Wait = %+v, %v; want the RUNNING runtime read before the context ended", rt, err)
		}
		if diff := cmp.Diff([]Stage{StageBuilding, StageRunning}, polls.stages); diff != "" {
			t.Errorf("OnPoll saw (-want +got):\n%s", diff)
		}
	})
}

// Still moving when the context ends: the error names the stage just read.
func TestWait_TransitionalRuntimeReadAsTheContextEnds(t *testing.T) {
	waitTest(t, stages(StageBuilding, StageAppStarting), func(t *testing.T, _ *Client, rs *runtimeScript) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		c := logsPipeClient(t, rs, WithHTTPClient(&http.Client{Transport: &cancelOnEOF{rt: pipeTransport{rs}, nth: 2, cancel: cancel}}))
		var polls pollRecorder
		rt, err := c.Spaces.Wait(ctx, "user/space", &WaitOptions{OnPoll: polls.onPoll})
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "still APP_STARTING") {
			t.Errorf("Wait error %v, want context.Canceled naming APP_STARTING", err)
		}
		if rt == nil || rt.Stage != StageAppStarting {
			t.Errorf("Wait returned %+v, want the APP_STARTING runtime", rt)
		}
		if diff := cmp.Diff([]Stage{StageBuilding, StageAppStarting}, polls.stages); diff != "" {
			t.Errorf("OnPoll saw (-want +got):\n%s", diff)
		}
	})
}

// A PollInterval above MaxInterval (given, or the 10 s default) wins: the
// polls keep its pace.
func TestWait_PollIntervalAboveMaxInterval(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts WaitOptions
		want time.Duration
	}{
		{"given max", WaitOptions{PollInterval: 3 * time.Second, MaxInterval: 2 * time.Second}, 3 * time.Second},
		{"default max", WaitOptions{PollInterval: 30 * time.Second}, 30 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			waitTest(t, stages(StageBuilding, StageBuilding, StageBuilding, StageRunning), func(t *testing.T, c *Client, rs *runtimeScript) {
				if _, err := c.Spaces.Wait(t.Context(), "user/space", &tt.opts); err != nil {
					t.Fatalf("Wait: %v", err)
				}
				if diff := cmp.Diff([]time.Duration{tt.want, tt.want, tt.want}, rs.gaps()); diff != "" {
					t.Errorf("time between polls (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// The rate-limit header alone (no Retry-After) sets the wait after a 429.
func TestWait_RateLimitHeaderOnly(t *testing.T) {
	limited := runtimeStep{status: http.StatusTooManyRequests, header: map[string]string{
		"RateLimit":        `"api";r=0;t=20`,
		"RateLimit-Policy": `"fixed window";"api";q=500;w=300`,
	}}
	steps := append(stages(StageBuilding), limited, limited)
	steps = append(steps, stages(StageRunning)...)
	waitTest(t, steps, func(t *testing.T, c *Client, rs *runtimeScript) {
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{MaxInterval: time.Minute})
		if err != nil || rt.Stage != StageRunning {
			t.Fatalf("Wait = %+v, %v; want RUNNING", rt, err)
		}
		if diff := cmp.Diff([]time.Duration{time.Second, 20 * time.Second, 20 * time.Second}, rs.gaps()); diff != "" {
			t.Errorf("time between polls (-want +got):\n%s", diff)
		}
	}, WithRetry(RetryPolicy{MaxRetries: 0}))
}

// An OnPoll that panics is the caller's bug: the panic reaches the caller,
// and Wait leaves no timer or goroutine behind (synctest.Test fails on a
// goroutine left blocked in the bubble).
func TestWait_OnPollPanics(t *testing.T) {
	waitTest(t, stages(StageBuilding, StageRunning), func(t *testing.T, c *Client, rs *runtimeScript) {
		defer func() {
			if v := recover(); v != "caller's bug" {
				t.Errorf("recovered %v, want OnPoll's panic", v)
			}
		}()
		c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{OnPoll: func(*SpaceRuntime) { panic("caller's bug") }})
		t.Error("Wait returned; want OnPoll's panic")
	})
}

// A runtime without a stage says nothing about the Space: it is a failed
// poll (OnPoll still sees it), tolerated a few times in a row, not a
// settled Space.
func TestWait_RuntimeWithoutStage(t *testing.T) {
	t.Parallel()
	t.Run("then running", func(t *testing.T) {
		waitTest(t, stages(StageBuilding, "", "", StageRunning), func(t *testing.T, c *Client, rs *runtimeScript) {
			var polls pollRecorder
			rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{OnPoll: polls.onPoll})
			if err != nil || rt.Stage != StageRunning {
				t.Fatalf("Wait = %+v, %v; want RUNNING", rt, err)
			}
			if diff := cmp.Diff([]Stage{StageBuilding, "", "", StageRunning}, polls.stages); diff != "" {
				t.Errorf("OnPoll saw (-want +got):\n%s", diff)
			}
		})
	})
	t.Run("for ever", func(t *testing.T) {
		waitTest(t, stages(StageBuilding, ""), func(t *testing.T, c *Client, rs *runtimeScript) {
			rt, err := c.Spaces.Wait(t.Context(), "user/space", nil)
			if err == nil || !strings.Contains(err.Error(), "no stage") {
				t.Fatalf("Wait = %+v, %v; want an error saying the runtime has no stage", rt, err)
			}
			if rt == nil || rt.Stage != StageBuilding {
				t.Errorf("Wait returned %+v, want the last runtime with a stage (BUILDING)", rt)
			}
			if n := rs.requests(); n != 5 {
				t.Errorf("%d requests, want 5 (1 good poll, 4 without a stage)", n)
			}
		})
	})
}

// hardwareScript answers GET …/runtime with runtimes in turn (the last one
// repeats): a stage with the hardware current and requested.
type hardwareScript struct {
	mu    sync.Mutex
	steps [][3]string // stage, current, requested
	n     int
}

func (hs *hardwareScript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hs.mu.Lock()
	step := hs.steps[min(hs.n, len(hs.steps)-1)]
	hs.n++
	hs.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"stage":%q,"hardware":{"current":%q,"requested":%q},"storage":null,"gcTimeout":172800}`, step[0], step[1], step[2])
}

func (hs *hardwareScript) polls() int {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.n
}

// Right after a hardware request the Hub may still answer with the old
// runtime, settled: RUNNING on cpu-basic. A wait whose Until checks the
// new hardware does not end there; it ends once the Space runs on it.
func TestWait_UntilIgnoresAStaleRuntime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hs := &hardwareScript{steps: [][3]string{
			{"RUNNING", "cpu-basic", "cpu-basic"}, // stale: the request is not seen yet
			{"RUNNING", "cpu-basic", "t4-small"},  // seen, not acted on yet
			{"RUNNING_BUILDING", "cpu-basic", "t4-small"},
			{"RUNNING_APP_STARTING", "cpu-basic", "t4-small"},
			{"RUNNING", "t4-small", "t4-small"},
		}}
		c := logsPipeClient(t, hs)
		var polls pollRecorder
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{
			OnPoll: polls.onPoll,
			Until:  func(rt *SpaceRuntime) bool { return rt.Hardware == "t4-small" },
		})
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != StageRunning || rt.Hardware != "t4-small" {
			t.Errorf("Wait returned %s on %s, want RUNNING on t4-small", rt.Stage, rt.Hardware)
		}
		if n := hs.polls(); n != 5 {
			t.Errorf("%d polls, want 5 (the stale runtimes do not end the wait)", n)
		}
		want := []Stage{StageRunning, StageRunning, StageRunningBuilding, StageRunningAppStarting, StageRunning}
		if diff := cmp.Diff(want, polls.stages); diff != "" {
			t.Errorf("OnPoll saw (-want +got):\n%s", diff)
		}
	})
}

// A failed stage ends the wait whatever Until says: the change asked for
// will not happen by itself.
func TestWait_FailedStageEndsTheWaitDespiteUntil(t *testing.T) {
	t.Parallel()
	for _, failed := range []Stage{StageBuildError, StageRuntimeError, StageConfigError, StageNoAppFile} {
		t.Run(string(failed), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				hs := &hardwareScript{steps: [][3]string{
					{"RUNNING", "cpu-basic", "t4-small"},
					{"RUNNING_BUILDING", "cpu-basic", "t4-small"},
					{string(failed), "cpu-basic", "t4-small"},
					{"RUNNING", "t4-small", "t4-small"}, // never reached
				}}
				c := logsPipeClient(t, hs)
				called := 0
				rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{
					Until: func(rt *SpaceRuntime) bool { called++; return rt.Hardware == "t4-small" },
				})
				if err != nil {
					t.Fatalf("Wait: %v", err)
				}
				if rt.Stage != failed || !rt.Stage.Failed() {
					t.Errorf("Wait returned stage %s, want %s", rt.Stage, failed)
				}
				if n := hs.polls(); n != 3 {
					t.Errorf("%d polls, want 3", n)
				}
				if called != 1 {
					t.Errorf("Until called %d times, want once (the settled RUNNING on cpu-basic)", called)
				}
			})
		})
	}
}

// Until is asked only of settled runtimes: one that holds while the
// Space is still building does not end the wait.
func TestWait_UntilAskedOnlyOfSettledStages(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hs := &hardwareScript{steps: [][3]string{
			{"BUILDING", "", "t4-small"},
			{"APP_STARTING", "t4-small", "t4-small"},
			{"RUNNING", "t4-small", "t4-small"},
		}}
		c := logsPipeClient(t, hs)
		var asked []Stage
		rt, err := c.Spaces.Wait(t.Context(), "user/space", &WaitOptions{
			Until: func(rt *SpaceRuntime) bool { asked = append(asked, rt.Stage); return true },
		})
		if err != nil || rt.Stage != StageRunning {
			t.Fatalf("Wait = %+v, %v; want RUNNING", rt, err)
		}
		if diff := cmp.Diff([]Stage{StageRunning}, asked); diff != "" {
			t.Errorf("Until asked of (-want +got):\n%s", diff)
		}
	})
}
