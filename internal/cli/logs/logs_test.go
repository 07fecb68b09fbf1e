package logs

import (
	"strings"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdLogsParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdLogs, []clitest.ParseCase[LogsOptions]{
		{Name: "run logs", Args: []string{"logs", "demo/app"}, Want: LogsOptions{Space: "demo/app"}},
		{Name: "build, follow, tail", Args: []string{"logs", "demo/app", "--build", "-f", "-n", "20"},
			Want: LogsOptions{Space: "demo/app", Build: true, Follow: true, Tail: 20}},
		{Name: "long flags", Args: []string{"logs", "demo/app", "--follow", "--tail", "5", "--idle-timeout", "1s", "--json"},
			Want: LogsOptions{Space: "demo/app", Follow: true, Tail: 5, IdleTimeout: time.Second, JSON: true}},
		{Name: "negative tail", Args: []string{"logs", "demo/app", "-n", "-1"}, WantCode: 1, WantErr: "--tail"},
		{Name: "missing space", Args: []string{"logs"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

// The broken build's log, as the emulator's demo seed has it.
var brokenBuild = []string{
	"===== Build Queued at 2025-03-07 12:00:00 / Commit SHA: ",
	"",
	"--> FROM docker.io/library/python:3.10@sha256:d2b4b4e5a4ba9e3d5fc3ac9c1a2c3e7d0f1b2a3c4d5e6f708192a3b4c5d6e7f8",
	"DONE 0.0s",
	"--> RUN apt-get update && apt-get install -y git git-lfs ffmpeg libsm6 libxext6 cmake rsync libgl1-mesa-glx",
	"DONE 4.1s",
	"--> RUN --mount=target=/tmp/requirements.txt,source=requirements.txt pip install --no-cache-dir -r /tmp/requirements.txt",
	"Collecting gradio",
	"ERROR: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.5.1, 2.6.0)",
	"--> ERROR: process \"/bin/sh -c pip install --no-cache-dir -r requirements.txt\" did not complete successfully: exit code: 1",
}

func wantLines(want []string) func(*testing.T, *clitest.Env, clitest.Result) {
	return func(t *testing.T, e *clitest.Env, r clitest.Result) {
		t.Helper()
		got := strings.Split(strings.TrimSuffix(r.Out, "\n"), "\n")
		if len(got) != len(want) {
			t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), r.Out)
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("line %d = %q, want it to start with %q", i+1, got[i], want[i])
			}
		}
	}
}

func TestLogsRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdLogs(f, nil) }
	appended := func(t *testing.T, e *clitest.Env) {
		e.Server.Emulator.AppendLog("demo/gradio-app", false, "request 1 served")
		e.Server.Emulator.AppendLog("demo/gradio-app", false, "request 2 served")
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "build logs, piped", Args: []string{"logs", "demo/broken-build", "--build"}, AnyOut: true, Check: wantLines(brokenBuild)},
		{Name: "build logs, terminal has times", TTY: true, Args: []string{"logs", "demo/broken-build", "--build", "-n", "2"}, AnyOut: true,
			Check: wantLines([]string{"12:00:00 ERROR: Could not find", "12:00:00 --> ERROR: process"})},
		{Name: "tail", Args: []string{"logs", "demo/broken-build", "--build", "--tail", "3"}, AnyOut: true, Check: wantLines(brokenBuild[7:])},
		{Name: "tail longer than the log", Args: []string{"logs", "demo/broken-build", "--build", "--tail", "100"}, AnyOut: true, Check: wantLines(brokenBuild)},
		{Name: "run logs of a live Space end after a silence", Setup: appended, Args: []string{"logs", "demo/gradio-app", "-n", "2", "--idle-timeout", "100ms"},
			WantOut: "request 1 served\nrequest 2 served\n"},
		{Name: "json lines", Setup: appended, Args: []string{"logs", "demo/gradio-app", "-n", "1", "--idle-timeout", "100ms", "--json"},
			WantOut: "{\"timestamp\":\"2025-03-07T12:00:00Z\",\"text\":\"request 2 served\"}\n"},
		{Name: "no run logs hints at the build logs", Opts: clitest.Options{Config: &emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(clitest.Epoch)}},
			Setup: func(t *testing.T, e *clitest.Env) { e.IO.SetStderrTTY(true) },
			Args:  []string{"logs", "demo/broken-build", "--idle-timeout", "100ms"}, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if !strings.Contains(r.ErrOut, "No run logs for demo/broken-build yet. Try the build logs: `hfspaces logs demo/broken-build --build`.") {
					t.Errorf("stderr %q", r.ErrOut)
				}
			}},
		{Name: "follow a build until it ends", Opts: clitest.Options{Config: &emulator.Config{Seed: emulator.DemoSeed, BuildDuration: 100 * time.Millisecond}},
			Setup: func(t *testing.T, e *clitest.Env) {
				c, _ := e.Factory.Client()
				if _, err := c.Spaces.Restart(t.Context(), "demo/gradio-app", nil); err != nil {
					t.Fatal(err)
				}
			},
			Args: []string{"logs", "demo/gradio-app", "--build", "-f"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.Out, "===== Build Queued at ")
				if strings.Count(r.Out, "===== Build Queued") != 1 {
					t.Errorf("a line was delivered twice:\n%s", r.Out)
				}
			}},
		{Name: "follow with tail", Args: []string{"logs", "demo/broken-build", "--build", "-f", "-n", "2"}, AnyOut: true, Check: wantLines(brokenBuild[8:])},
		{Name: "not found", Args: []string{"logs", "demo/nope"}, WantCode: 1,
			WantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
	})
}
