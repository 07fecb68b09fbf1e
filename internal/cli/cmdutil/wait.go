package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// WaitOptions configures WaitForSpace.
type WaitOptions struct {
	Timeout      time.Duration // 0: no limit but the caller's context
	PollInterval time.Duration // 0: the library's default
	MaxInterval  time.Duration // 0: the library's default

	// Until is what a change asked for, checked on every settled runtime
	// (hfhub.WaitOptions.Until): a read that does not show it yet (the
	// change has not reached the runtime, or a replica answered from
	// before it) is not the answer. A failed stage ends the wait anyway.
	Until func(*hfhub.SpaceRuntime) bool
	// AfterRebuild: the change rebuilds the Space (restart), so a settled
	// stage is taken for the answer only once a poll has seen the Space
	// build or start, or after StaleReads settled reads in a row (a
	// rebuild quicker than the polls).
	AfterRebuild bool
	// Goal is the stage that counts as success (default RUNNING).
	Goal hfhub.Stage
}

// StaleReads is how many settled runtimes in a row a wait with
// AfterRebuild reads before it believes the Space rebuilt between two
// polls. At the default pace (1 s, 2 s, 4 s…) that is 7 s, far less than
// a build on the Hub, far more than a lagging replica.
const StaleReads = 3

// UntilHardware is the Until of a hardware request: the Space runs on
// flavor, or (paused, asleep or stopped) has it as the requested flavor.
func UntilHardware(flavor hfhub.Hardware) func(*hfhub.SpaceRuntime) bool {
	return func(rt *hfhub.SpaceRuntime) bool {
		switch rt.Stage {
		case hfhub.StagePaused, hfhub.StageSleeping, hfhub.StageStopped:
			return rt.RequestedHardware == flavor || rt.Hardware == flavor
		}
		return rt.Hardware == flavor
	}
}

// WaitForSpace polls until the Space leaves the transitional stages
// (building, starting) and shows what o.Until asks for. On a terminal a
// spinner on standard error shows the stage; off a terminal (or with
// --debug) each new stage is a line on standard error.
//
// It returns the settled runtime with a nil error when the Space is in
// o.Goal (RUNNING by default); an *ExitError with code 1 when it settled
// elsewhere (BUILD_ERROR, PAUSED…); code 8 when the timeout passed first;
// the context's error when interrupted.
func WaitForSpace(ctx context.Context, ios *iostreams.IOStreams, client *hfhub.Client, id string, o WaitOptions) (*hfhub.SpaceRuntime, error) {
	waitCtx := ctx
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		waitCtx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	var (
		last         *hfhub.SpaceRuntime
		lastStage    hfhub.Stage
		rebuilt      bool // a poll saw the Space build or start
		settledReads int  // before that
	)
	cs := ios.ErrColorScheme() // the spinner is on standard error
	// The spinner counts the time a person waits: the wall clock's.
	waitingSince := time.Now()
	until := func(rt *hfhub.SpaceRuntime) bool {
		if o.AfterRebuild && !rebuilt {
			if settledReads++; settledReads <= StaleReads {
				return false
			}
		}
		return o.Until == nil || o.Until(rt)
	}
	onPoll := func(rt *hfhub.SpaceRuntime) {
		if rt.Stage.Transitional() {
			rebuilt = true
		}
		last = rt
		if ios.ProgressIndicatorEnabled() {
			ios.StartProgressIndicatorSince(fmt.Sprintf("Waiting for %s: %s", id, StageText(cs, rt.Stage)), waitingSince)
		} else if rt.Stage != lastStage {
			fmt.Fprintf(ios.ErrOut, "%s: %s\n", id, iostreams.Sanitize(string(rt.Stage)))
		}
		lastStage = rt.Stage
	}
	if ios.ProgressIndicatorEnabled() {
		ios.StartProgressIndicatorSince(fmt.Sprintf("Waiting for %s", id), waitingSince)
	}
	rt, err := client.Spaces.Wait(waitCtx, id, &hfhub.WaitOptions{PollInterval: o.PollInterval, MaxInterval: o.MaxInterval, OnPoll: onPoll, Until: until})
	ios.StopProgressIndicator()
	if rt != nil {
		last = rt
	}
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			stage := "still moving"
			if last != nil {
				stage = "still " + iostreams.Sanitize(string(last.Stage)) + " on " + HardwareText(last)
			}
			return last, &ExitError{Code: ExitPending, Err: fmt.Errorf("timed out after %s: %s is %s.\nWait longer with --timeout, or see `hfspaces logs %s --build`", CompactDuration(o.Timeout), id, stage, id)}
		}
		if ctx.Err() != nil {
			return last, ctx.Err()
		}
		return last, err
	}
	return rt, settledError(id, rt, o.Goal)
}

// SettledError is nil for a running Space, and otherwise says where it
// settled and what to look at next.
func SettledError(id string, rt *hfhub.SpaceRuntime) error {
	return settledError(id, rt, hfhub.StageRunning)
}

func settledError(id string, rt *hfhub.SpaceRuntime, goal hfhub.Stage) error {
	if goal == "" {
		goal = hfhub.StageRunning
	}
	if rt.Stage == goal {
		return nil
	}
	msg := fmt.Sprintf("%s settled in %s, not %s", id, rt.Stage, goal)
	if rt.ErrorMessage != "" {
		msg += ": " + rt.ErrorMessage
	}
	switch {
	case rt.Stage == hfhub.StageBuildError:
		msg += fmt.Sprintf(".\nSee the build logs: `hfspaces logs %s --build`", id)
	case rt.Stage.Failed():
		msg += fmt.Sprintf(".\nSee the logs: `hfspaces logs %s`", id)
	case rt.Stage == hfhub.StagePaused || rt.Stage == hfhub.StageSleeping || rt.Stage == hfhub.StageStopped:
		msg += fmt.Sprintf(".\nStart it with `hfspaces restart %s`", id)
	}
	return &ExitError{Code: ExitFailure, Err: errors.New(msg)}
}

// WaitAndReport is the tail of every `--wait`: wait for the Space, print
// the runtime it settled in as JSON when asked (also when it settled badly,
// so scripts see the stage), and say where it runs.
func WaitAndReport(ctx context.Context, ios *iostreams.IOStreams, client *hfhub.Client, id string, o WaitOptions, asJSON bool) error {
	settled, err := WaitForSpace(ctx, ios, client, id, o)
	if asJSON && settled != nil {
		if jerr := WriteJSON(ios, NewRuntimeJSON(settled)); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil {
		return err
	}
	Success(ios, "%s is %s on %s", id, StageText(ios.ColorScheme(), settled.Stage), HardwareText(settled))
	return nil
}
