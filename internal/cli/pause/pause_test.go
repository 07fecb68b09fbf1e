package pause

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdPauseParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdPause, []clitest.ParseCase[PauseOptions]{
		{Name: "space", Args: []string{"pause", "demo/app"}, Want: PauseOptions{Space: "demo/app", Timeout: 5 * time.Minute}},
		{Name: "json", Args: []string{"pause", "demo/app", "--json"}, Want: PauseOptions{Space: "demo/app", JSON: true, Timeout: 5 * time.Minute}},
		{Name: "wait", Args: []string{"pause", "demo/app", "--wait", "--timeout", "1m"}, Want: PauseOptions{Space: "demo/app", Wait: true, Timeout: time.Minute}},
		{Name: "missing space", Args: []string{"pause"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestPauseRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdPause(f, nil) }
	stageIs := func(want string) func(*testing.T, *clitest.Env, clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			if got := e.Server.Emulator.Stage("demo/gradio-app"); got != want {
				t.Errorf("stage after the command = %s, want %s", got, want)
			}
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal", TTY: true, Args: []string{"pause", "demo/gradio-app"}, Check: stageIs("PAUSED"),
			WantOut: "✓ Paused demo/gradio-app (stage PAUSED). Start it again with `hfspaces restart demo/gradio-app`.\n"},
		{Name: "piped prints nothing", Args: []string{"pause", "demo/gradio-app"}, Check: stageIs("PAUSED")},
		{Name: "json", Args: []string{"pause", "demo/gradio-app", "--json"}, AnyOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "PAUSED", "requested_hardware": "cpu-basic"})
		}},
		{Name: "read token", Opts: clitest.Options{Token: "hf_demo_read"}, Args: []string{"pause", "demo/gradio-app"}, WantCode: 4, Check: stageIs("RUNNING"), AnyErrOut: true},
		{Name: "someone else's space", Opts: clitest.Options{Token: "hf_other_write"}, Args: []string{"pause", "demo/gradio-app"}, WantCode: 4, Check: stageIs("RUNNING"),
			AnyErrOut: true},
		{Name: "static space cannot pause", Args: []string{"pause", "demo/static-site"}, WantCode: 1, AnyErrOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			clitest.WantPrefix(t, r.ErrOut, "error: The Hub refused pausing demo/static-site (400 Bad Request)")
		}},
	})
}

// TestPauseWaitReadsPastAStaleRuntime: a runtime read right after the
// pause may still show the Space RUNNING; --wait waits until it is PAUSED.
func TestPauseWaitReadsPastAStaleRuntime(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := clitest.New(t, clitest.Options{Transport: clitest.StaleRuntime("/pause", 2, 0, &reads)})
	e.SetTTY(true)
	r := e.Run(NewCmdPause(e.Factory, nil), "pause", "demo/gradio-app", "--wait")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Out, r.ErrOut)
	}
	if !strings.HasSuffix(r.Out, "✓ demo/gradio-app is PAUSED on cpu-basic (requested)\n") {
		t.Errorf("stdout:\n%s", r.Out)
	}
	if n := reads.Load(); n != 3 {
		t.Errorf("%d runtime reads, want 3 (2 stale, then PAUSED)", n)
	}
}
