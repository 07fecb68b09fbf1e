package hfhub

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// WaitOptions paces Wait. The zero value polls after 1 s, slowing to one
// poll every 10 s while nothing changes.
type WaitOptions struct {
	// PollInterval is the first wait between polls, and the wait again
	// after each change of stage (default 1 s).
	PollInterval time.Duration
	// MaxInterval is the longest wait between polls (default 10 s); a
	// PollInterval above it is used as the longest wait instead. A 429
	// answer waits what the Hub asks, but no longer than MaxInterval.
	MaxInterval time.Duration
	// OnPoll, when set, is called with every runtime Wait reads, the last
	// one included, from the goroutine that called Wait (for progress
	// display).
	OnPoll func(*SpaceRuntime)
	// Until, when set, is what the caller waits for beyond a settled
	// stage: Wait returns once the stage is settled and Until holds (for
	// example, the hardware just requested is the hardware in use). A
	// failed stage always ends the wait, whatever Until says. Until is
	// called from the goroutine that called Wait.
	Until func(*SpaceRuntime) bool
}

const (
	defaultPollInterval = time.Second
	defaultMaxInterval  = 10 * time.Second
	// waitTransientErrors is how many failed polls in a row (after the
	// client's own retries) Wait tolerates.
	waitTransientErrors = 3
)

// Wait polls a Space's runtime until its stage is no longer transitional
// (building or starting) and returns that runtime: check its Stage, and
// Stage.Failed for an error stage. Wait has no time limit of its own; give
// ctx a deadline.
//
// Polling starts at opts.PollInterval and doubles towards
// opts.MaxInterval while the stage stays the same. A rate-limited poll
// (429) waits what the Hub's rate-limit headers say, but never longer than
// opts.MaxInterval, nor past ctx's deadline, then polls again (the
// client's own retries of a poll are paced by its RetryPolicy, whose
// MaxWait and ctx's deadline bound them); up
// to 3 failed polls in a row for a transient reason (5xx, a connection
// error, a runtime without a stage) are tolerated. Any other error is
// returned at once. A stage this package does not know is settled.
//
// When ctx is done, Wait returns the last runtime it read (nil if none)
// and an error that wraps ctx.Err() (errors.Is(err,
// context.DeadlineExceeded)) and names the last stage seen.
func (s *SpacesService) Wait(ctx context.Context, repoID string, opts *WaitOptions) (*SpaceRuntime, error) {
	if ctx == nil {
		return nil, nilContextError("Wait")
	}
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if err := o.valid(); err != nil {
		return nil, err
	}
	if o.PollInterval == 0 {
		o.PollInterval = defaultPollInterval
	}
	if o.MaxInterval == 0 {
		o.MaxInterval = max(defaultMaxInterval, o.PollInterval)
	}
	if o.MaxInterval < o.PollInterval {
		o.MaxInterval = o.PollInterval
	}

	var last *SpaceRuntime
	interval := o.PollInterval
	failures := 0
	start := time.Now()
	for {
		rt, err := s.GetRuntime(ctx, repoID)
		if err != nil && ctx.Err() != nil {
			return last, waitGaveUp(ctx, repoID, last, time.Since(start))
		}
		// A runtime read as ctx ends is still shown and judged: it may be
		// the settled one. The wait below sees ctx done.
		wait := interval
		switch {
		case err == nil && rt.Stage == "":
			// No stage (absent, null or empty) says nothing about the
			// Space; it must not pass for a settled one.
			if o.OnPoll != nil {
				o.OnPoll(rt)
			}
			failures++
			if failures > waitTransientErrors {
				return last, fmt.Errorf("hfhub: Wait: %s: %d runtimes in a row had no stage", repoID, failures)
			}
			interval = min(interval*2, o.MaxInterval)
		case err == nil:
			failures = 0
			if o.OnPoll != nil {
				o.OnPoll(rt)
			}
			if !rt.Stage.Transitional() && (o.Until == nil || rt.Stage.Failed() || o.Until(rt)) {
				return rt, nil
			}
			if last != nil && rt.Stage != last.Stage {
				interval = o.PollInterval
				wait = interval
			}
			last = rt
			interval = min(interval*2, o.MaxInterval)
		case errors.Is(err, ErrRateLimited):
			// The client has already waited and retried; keep waiting, at
			// the pace the Hub asks for within the caller's bound. The
			// wait below ends at ctx's deadline.
			var apiErr *APIError
			if errors.As(err, &apiErr) && apiErr.RetryAfter > wait {
				wait = min(apiErr.RetryAfter, o.MaxInterval)
			}
			interval = min(interval*2, o.MaxInterval)
		case transientWaitError(err):
			failures++
			if failures > waitTransientErrors {
				return last, fmt.Errorf("hfhub: Wait: %d polls failed in a row: %w", failures, err)
			}
			interval = min(interval*2, o.MaxInterval)
		default:
			return last, err
		}
		s.client.logger.DebugContext(ctx, "hfhub: waiting for the Space", "repo", repoID, "stage", stageOf(last), "wait", wait)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return last, waitGaveUp(ctx, repoID, last, time.Since(start))
		case <-timer.C:
		}
	}
}

// transientWaitError: a 5xx or 408 answer, or no answer at all.
func transientWaitError(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return retryableStatus(apiErr.StatusCode)
	}
	return true
}

func stageOf(rt *SpaceRuntime) Stage {
	if rt == nil {
		return ""
	}
	return rt.Stage
}

func waitGaveUp(ctx context.Context, repoID string, last *SpaceRuntime, waited time.Duration) error {
	waited = waited.Round(time.Millisecond)
	if last == nil {
		return fmt.Errorf("hfhub: Wait: %s: no runtime read in %s: %w", repoID, waited, ctx.Err())
	}
	return fmt.Errorf("hfhub: Wait: %s is still %s after %s: %w", repoID, last.Stage, waited, ctx.Err())
}
