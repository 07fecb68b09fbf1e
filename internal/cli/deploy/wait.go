package deploy

import (
	"context"
	"errors"
	"fmt"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"path/filepath"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
)

// logGrace is how long the build log may take to deliver its last lines
// once the build has settled (the Hub ends the stream of a finished build).
const logGrace = 3 * time.Second

// tailLines is how much of the log a failed deploy prints.
const tailLines = 30

// waitForBuild waits until the Space leaves the building and starting
// stages. On a terminal the build log streams by on standard output;
// elsewhere each new stage is a line on standard error. A Space that
// settles anywhere but RUNNING ends with exit code 1, after the end of its
// build log (its run log for a runtime error) when it was not streamed; a
// timeout ends with exit code 8.
//
// rebuilding says the deploy changed something that rebuilds the Space;
// otherwise the build log, an old one, is not shown.
func waitForBuild(ctx context.Context, opts *DeployOptions, client *hfhub.Client, r *reporter, rebuilding bool) (*hfhub.SpaceRuntime, error) {
	waitCtx := ctx
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		waitCtx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	cs := r.cs
	stream := opts.IO.IsStdoutTTY() && !opts.JSON && rebuilding
	logCtx, cancelLogs := context.WithCancel(ctx)
	defer cancelLogs()
	logDone := make(chan struct{})
	streamed := 0
	if stream {
		go func() {
			defer close(logDone)
			for l, err := range client.Spaces.Logs(logCtx, opts.Space, &hfhub.LogOptions{Build: true, Follow: true}) {
				if err != nil {
					return
				}
				if streamed == 0 {
					r.line(opts.IO.Out, cs.Gray(fmt.Sprintf("Build log of %s:", opts.Space)))
				}
				streamed++
				r.line(opts.IO.Out, cs.Gray("│ ")+iostreams.Sanitize(l.Text))
			}
		}()
	} else {
		close(logDone)
	}
	var (
		last     *hfhub.SpaceRuntime
		polls    int
		sawBuild bool // a building or starting stage since the deploy
	)
	onPoll := func(rt *hfhub.SpaceRuntime) {
		polls++
		sawBuild = sawBuild || rt.Stage.Transitional()
		if last == nil || rt.Stage != last.Stage {
			if opts.IO.IsStdoutTTY() && !opts.JSON {
				r.line(opts.IO.Out, cs.Gray("── ")+cmdutil.StageText(cs, rt.Stage))
			} else {
				r.line(opts.IO.ErrOut, fmt.Sprintf("%s: %s", opts.Space, rt.Stage))
			}
		}
		last = rt
	}
	// Right after a commit the runtime may still show the stage from
	// before it: a RUNNING first answer is read again before it counts.
	until := func(*hfhub.SpaceRuntime) bool { return !rebuilding || sawBuild || polls >= 2 }
	waitOpts := &hfhub.WaitOptions{PollInterval: opts.PollInterval, OnPoll: onPoll, Until: until}
	rt, err := client.Spaces.Wait(waitCtx, opts.Space, waitOpts)
	if err == nil && rebuilding && !sawBuild && polls == 1 && rt.Stage.Failed() {
		// The same for a failed stage, which ends a wait at once.
		pause := opts.PollInterval
		if pause <= 0 {
			pause = time.Second
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
			rt, err = client.Spaces.Wait(waitCtx, opts.Space, waitOpts)
		case <-waitCtx.Done():
			t.Stop()
			err = fmt.Errorf("waiting for %s: %w", opts.Space, waitCtx.Err())
		}
	}
	if rt != nil {
		last = rt
	}
	if stream {
		// The last lines of a finished build are on their way.
		if err == nil {
			select {
			case <-logDone:
			case <-time.After(logGrace):
			}
		}
		cancelLogs()
		<-logDone
	}
	if err != nil {
		if ctx.Err() != nil {
			return last, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			stage := "still building"
			if last != nil {
				stage = "still " + string(last.Stage)
			}
			return last, &cmdutil.ExitError{Code: cmdutil.ExitPending, Err: fmt.Errorf("timed out after %s: %s is %s.\nWait longer with `hfspaces wait %s`, or see `hfspaces logs %s --build`", cmdutil.CompactDuration(opts.Timeout), opts.Space, stage, opts.Space, opts.Space)}
		}
		return last, err
	}
	if rt.Stage == hfhub.StageRunning {
		return rt, nil
	}
	if rt.Stage.Failed() {
		build := rt.Stage != hfhub.StageRuntimeError
		if !stream || !build || streamed == 0 {
			printTail(ctx, opts, client, r, build)
		}
	}
	err = cmdutil.SettledError(opts.Space, rt)
	switch rt.Stage {
	case hfhub.StageNoAppFile:
		// Nothing was built, so no log says why.
		err = cmdutil.WithHint(err, appFileHint(opts.Dir))
	case hfhub.StageConfigError:
		err = cmdutil.WithHint(err, "Check the front matter of README.md: https://huggingface.co/docs/hub/spaces-config-reference")
	}
	return rt, err
}

// appFileHint names the app file the Space lacks, as README.md in dir
// configures it.
func appFileHint(dir string) string {
	fm, _ := readFrontMatter(filepath.Join(dir, "README.md"))
	if fm == nil {
		return "The Space has no app file: add the one its SDK runs (app.py, Dockerfile for docker, index.html for static) and deploy again."
	}
	file := fm.AppFile
	switch {
	case file != "":
	case fm.SDK == string(hfhub.SDKDocker):
		file = "Dockerfile"
	case fm.SDK == string(hfhub.SDKStatic):
		file = "index.html"
	default:
		file = "app.py"
	}
	return fmt.Sprintf("The Space has no app file: add %s (README.md's app_file) and deploy again.", file)
}

// printTail prints the last lines of the build (or run) log on standard
// error.
func printTail(ctx context.Context, opts *DeployOptions, client *hfhub.Client, r *reporter, build bool) {
	var lines []string
	for l, err := range client.Spaces.Logs(ctx, opts.Space, &hfhub.LogOptions{Build: build, IdleTimeout: opts.LogIdleTimeout}) {
		if err != nil {
			break
		}
		lines = append(lines, iostreams.Sanitize(l.Text))
		if len(lines) > 2*tailLines {
			lines = append(lines[:0], lines[len(lines)-tailLines:]...)
		}
	}
	if len(lines) > tailLines {
		lines = lines[len(lines)-tailLines:]
	}
	if len(lines) == 0 {
		return
	}
	kind := "build"
	if !build {
		kind = "run"
	}
	w := opts.IO.ErrOut
	r.line(w, fmt.Sprintf("End of the %s log of %s:", kind, opts.Space))
	for _, l := range lines {
		r.line(w, "  "+l)
	}
}
