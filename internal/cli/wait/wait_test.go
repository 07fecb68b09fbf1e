package wait

import (
	"strings"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdWaitParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdWait, []clitest.ParseCase[WaitOptions]{
		{Name: "defaults", Args: []string{"wait", "demo/app"}, Want: WaitOptions{Space: "demo/app", Timeout: 5 * time.Minute}},
		{Name: "timeout", Args: []string{"wait", "demo/app", "--timeout", "30s", "--interval", "2s", "--json"},
			Want: WaitOptions{Space: "demo/app", Timeout: 30 * time.Second, PollInterval: 2 * time.Second, JSON: true}},
		{Name: "no limit", Args: []string{"wait", "demo/app", "--timeout", "0"}, Want: WaitOptions{Space: "demo/app"}},
		{Name: "bad timeout", Args: []string{"wait", "demo/app", "--timeout", "soon"}, WantCode: 1, WantErr: "invalid argument"},
		{Name: "negative timeout", Args: []string{"wait", "demo/app", "--timeout", "-1s"}, WantCode: 1, WantErr: "--timeout"},
		{Name: "missing space", Args: []string{"wait"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

// building is an emulator whose builds and starts take a moment of real
// time, so that a wait sees the stages go by.
func building(build time.Duration) clitest.Options {
	return clitest.Options{Config: &emulator.Config{Seed: emulator.DemoSeed, BuildDuration: build, StartDuration: build}}
}

// stepped is an emulator on a fake clock whose build and start take a
// minute each, and a client that moves the clock a minute after each
// runtime read: a wait sees every stage, one per poll.
func stepped() clitest.Options {
	o := clitest.Frozen()
	o.Transport = clitest.AdvanceOnRuntime(time.Minute)
	return o
}

func TestWaitRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdWait(f, nil) }
	restart := func(id string) func(*testing.T, *clitest.Env) {
		return func(t *testing.T, e *clitest.Env) {
			c, err := e.Factory.Client()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Spaces.Restart(t.Context(), id, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "already running", TTY: true, Args: []string{"wait", "demo/gradio-app"},
			WantOut: "✓ demo/gradio-app is RUNNING on cpu-basic\n", WantErrOut: "demo/gradio-app: RUNNING\n"},
		{Name: "through building and starting", Opts: stepped(), Setup: restart("demo/gradio-app"), TTY: true,
			Args: []string{"wait", "demo/gradio-app", "--interval", "1ms"},
			// Off a terminal, each new stage is a line on stderr.
			WantErrOut: "demo/gradio-app: BUILDING\ndemo/gradio-app: APP_STARTING\ndemo/gradio-app: RUNNING\n",
			WantOut:    "✓ demo/gradio-app is RUNNING on cpu-basic\n"},
		{Name: "json", Opts: building(20 * time.Millisecond), Setup: restart("demo/gradio-app"),
			Args: []string{"wait", "demo/gradio-app", "--interval", "5ms", "--json"}, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "RUNNING", "hardware": "cpu-basic"})
			}},
		{Name: "build error exits 1", Args: []string{"wait", "demo/broken-build"}, WantCode: 1,
			WantErrOut: "demo/broken-build: BUILD_ERROR\n" +
				"error: demo/broken-build settled in BUILD_ERROR, not RUNNING: Build failed with exit code: 1: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.5.1, 2.6.0).\n" +
				"See the build logs: `hfspaces logs demo/broken-build --build`\n"},
		{Name: "paused exits 1", Setup: func(t *testing.T, e *clitest.Env) {
			c, _ := e.Factory.Client()
			if _, err := c.Spaces.Pause(t.Context(), "demo/gpu-app"); err != nil {
				t.Fatal(err)
			}
		}, Args: []string{"wait", "demo/gpu-app"}, WantCode: 1,
			WantErrOut: "demo/gpu-app: PAUSED\nerror: demo/gpu-app settled in PAUSED, not RUNNING.\nStart it with `hfspaces restart demo/gpu-app`\n"},
		{Name: "timeout exits 8", Opts: building(time.Hour), Setup: restart("demo/gradio-app"),
			Args: []string{"wait", "demo/gradio-app", "--timeout", "100ms", "--interval", "10ms"}, WantCode: 8, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				// "still BUILDING", or "still moving" on a machine so slow
				// that no answer came within the timeout.
				clitest.WantSuffix(t, r.ErrOut, ".\nWait longer with --timeout, or see `hfspaces logs demo/gradio-app --build`\n")
				if !strings.Contains(r.ErrOut, "error: timed out after 100ms: demo/gradio-app is still ") {
					t.Errorf("stderr %q", r.ErrOut)
				}
			}},
		{Name: "timeout with json prints the last runtime", Opts: clitest.Frozen(), Setup: restart("demo/gradio-app"),
			Args: []string{"wait", "demo/gradio-app", "--timeout", "500ms", "--interval", "10ms", "--json"}, WantCode: 8, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "BUILDING"})
			}},
		{Name: "not found", Args: []string{"wait", "demo/nope"}, WantCode: 1,
			WantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
	})
}
