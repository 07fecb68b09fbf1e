package restart

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdRestartParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdRestart, []clitest.ParseCase[RestartOptions]{
		{Name: "defaults", Args: []string{"restart", "demo/app"}, Want: RestartOptions{Space: "demo/app", Timeout: 10 * time.Minute}},
		{Name: "factory reboot", Args: []string{"restart", "demo/app", "--factory-reboot", "--yes"},
			Want: RestartOptions{Space: "demo/app", FactoryReboot: true, Yes: true, Timeout: 10 * time.Minute}},
		{Name: "short yes", Args: []string{"restart", "-y", "demo/app", "--factory-reboot"},
			Want: RestartOptions{Space: "demo/app", FactoryReboot: true, Yes: true, Timeout: 10 * time.Minute}},
		{Name: "wait", Args: []string{"restart", "demo/app", "--wait", "--timeout", "1m", "--json"},
			Want: RestartOptions{Space: "demo/app", Wait: true, Timeout: time.Minute, JSON: true}},
		{Name: "missing space", Args: []string{"restart"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestRestartRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdRestart(f, nil) }
	paused := func(t *testing.T, e *clitest.Env) {
		c, _ := e.Factory.Client()
		if _, err := c.Spaces.Pause(t.Context(), "demo/gradio-app"); err != nil {
			t.Fatal(err)
		}
	}
	stageIs := func(want string) func(*testing.T, *clitest.Env, clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			if got := e.Server.Emulator.Stage("demo/gradio-app"); got != want {
				t.Errorf("stage = %s, want %s", got, want)
			}
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal", Opts: clitest.Frozen(), TTY: true, Setup: paused, Args: []string{"restart", "demo/gradio-app"}, Check: stageIs("BUILDING"),
			WantOut: "✓ Restarted demo/gradio-app (stage BUILDING). Follow it with `hfspaces wait demo/gradio-app`.\n"},
		{Name: "piped", Setup: paused, Args: []string{"restart", "demo/gradio-app"}, Check: stageIs("RUNNING")},
		{Name: "json", Opts: clitest.Frozen(), Args: []string{"restart", "demo/gradio-app", "--json"}, AnyOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "BUILDING"})
		}},
		{Name: "wait", TTY: true, Setup: paused, Args: []string{"restart", "demo/gradio-app", "--wait"},
			WantOut:    "✓ Restarted demo/gradio-app\n✓ demo/gradio-app is RUNNING on cpu-basic\n",
			WantErrOut: "demo/gradio-app: RUNNING\n"},
		{Name: "wait json", Args: []string{"restart", "demo/gradio-app", "--wait", "--json"}, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "RUNNING"})
			}},
		{Name: "wait on a broken build exits 1", Args: []string{"restart", "demo/broken-build", "--wait"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantSuffix(t, r.ErrOut, "See the build logs: `hfspaces logs demo/broken-build --build`\n")
			}},
		{Name: "factory reboot confirmed on a terminal", Opts: clitest.Frozen(), TTY: true, Confirm: true, Args: []string{"restart", "demo/gradio-app", "--factory-reboot"},
			WantOut: "✓ Factory-rebooted demo/gradio-app (stage BUILDING). Follow it with `hfspaces wait demo/gradio-app`.\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e, "This will factory-reboot demo/gradio-app (a full rebuild without the cache). Continue?")
			}},
		{Name: "factory reboot declined", TTY: true, Confirm: false, Setup: paused, Args: []string{"restart", "demo/gradio-app", "--factory-reboot"},
			WantCode: 2, WantErrOut: "Cancelled.\n", Check: stageIs("PAUSED")},
		{Name: "factory reboot refused off a terminal", Setup: paused, Args: []string{"restart", "demo/gradio-app", "--factory-reboot"}, WantCode: 1,
			WantErrOut: "error: refusing to factory-reboot demo/gradio-app (a full rebuild without the cache) without confirmation: pass --yes (standard input is not a terminal)\n" +
				"Run `hfspaces restart --help` for usage.\n",
			Check: stageIs("PAUSED")},
		{Name: "factory reboot with yes", Args: []string{"restart", "demo/gradio-app", "--factory-reboot", "--yes"}, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			if len(e.Prompter.Asked) != 0 {
				t.Errorf("asked %q despite --yes", e.Prompter.Asked)
			}
		}},
		{Name: "static space", Args: []string{"restart", "demo/static-site"}, WantCode: 1, AnyErrOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			clitest.WantPrefix(t, r.ErrOut, "error: The Hub refused restarting demo/static-site (400 Bad Request)")
		}},
	})
}

// TestRestartWaitReadsPastAStaleRuntime: right after a restart the Hub may
// still answer with the runtime from before it, RUNNING; --wait must wait
// for the rebuild, not report that.
func TestRestartWaitReadsPastAStaleRuntime(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := clitest.New(t, clitest.Options{Config: clitest.Slow(), Transport: clitest.StaleRuntime("/restart", 2, time.Minute, &reads)})
	r := e.Run(NewCmdRestart(e.Factory, nil), "restart", "demo/gradio-app", "--wait")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Out, r.ErrOut)
	}
	if got := e.Server.Emulator.Stage("demo/gradio-app"); got != "RUNNING" {
		t.Errorf("the emulator has the Space %s: the wait ended before it ran again", got)
	}
	if !strings.Contains(r.ErrOut, "demo/gradio-app: BUILDING\n") {
		t.Errorf("the wait did not see the rebuild:\n%s", r.ErrOut)
	}
}

// TestRestartWaitQuickerThanThePolls: a rebuild finished between two polls
// (never seen building) is believed after a few settled reads.
func TestRestartWaitQuickerThanThePolls(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := clitest.New(t, clitest.Options{Transport: clitest.StaleRuntime("/restart", 0, 0, &reads)})
	r := e.Run(NewCmdRestart(e.Factory, nil), "restart", "demo/gradio-app", "--wait")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Out, r.ErrOut)
	}
	if n := reads.Load(); n != cmdutil.StaleReads+1 {
		t.Errorf("%d runtime reads, want %d", n, cmdutil.StaleReads+1)
	}
}
