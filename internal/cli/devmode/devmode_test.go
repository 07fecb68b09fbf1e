package devmode

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdDevModeParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDevMode, []clitest.ParseCase[DevModeOptions]{
		{Name: "enable", Args: []string{"dev-mode", "demo/app"}, Want: DevModeOptions{Space: "demo/app", Timeout: 10 * time.Minute}},
		{Name: "stop", Args: []string{"dev-mode", "demo/app", "--stop", "--json"}, Want: DevModeOptions{Space: "demo/app", Stop: true, JSON: true, Timeout: 10 * time.Minute}},
		{Name: "wait", Args: []string{"dev-mode", "demo/app", "--wait"}, Want: DevModeOptions{Space: "demo/app", Wait: true, Timeout: 10 * time.Minute}},
		{Name: "missing space", Args: []string{"dev-mode"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestDevModeRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdDevMode(f, nil) }
	devMode := func(want bool) func(*testing.T, *clitest.Env, clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			c, _ := e.Factory.Client()
			rt, err := c.Spaces.GetRuntime(t.Context(), "demo/gradio-app")
			if err != nil {
				t.Fatal(err)
			}
			if rt.DevMode != want {
				t.Errorf("dev mode = %v, want %v", rt.DevMode, want)
			}
		}
	}
	enabled := func(t *testing.T, e *clitest.Env) {
		c, _ := e.Factory.Client()
		if _, err := c.Spaces.EnableDevMode(t.Context(), "demo/gradio-app"); err != nil {
			t.Fatal(err)
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "enable, terminal", TTY: true, Args: []string{"dev-mode", "demo/gradio-app"}, Check: devMode(true),
			WantOut: "✓ Dev mode on for demo/gradio-app (stage RUNNING)\n"},
		{Name: "enable, piped", Args: []string{"dev-mode", "demo/gradio-app"}, Check: devMode(true)},
		{Name: "stop, terminal", TTY: true, Setup: enabled, Args: []string{"dev-mode", "demo/gradio-app", "--stop"}, Check: devMode(false),
			WantOut: "✓ Dev mode off for demo/gradio-app\n"},
		{Name: "json", Args: []string{"dev-mode", "demo/gradio-app", "--json"}, AnyOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			clitest.WantJSONFields(t, r.Out, map[string]any{"dev_mode": true})
		}},
		{Name: "static space", Args: []string{"dev-mode", "demo/static-site"}, WantCode: 1, AnyErrOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			clitest.WantPrefix(t, r.ErrOut, "error: The Hub refused dev mode for demo/static-site (400 Bad Request)")
		}},
	})
}

// TestDevModeWaitReadsPastAStaleRuntime: a runtime read right after the
// change may still show dev mode off; --wait waits until it shows it on.
func TestDevModeWaitReadsPastAStaleRuntime(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := clitest.New(t, clitest.Options{Transport: clitest.StaleRuntime("/dev-mode", 2, 0, &reads)})
	r := e.Run(NewCmdDevMode(e.Factory, nil), "dev-mode", "demo/gradio-app", "--wait", "--json")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Out, r.ErrOut)
	}
	clitest.WantJSONFields(t, r.Out, map[string]any{"dev_mode": true, "stage": "RUNNING"})
	if n := reads.Load(); n != 3 {
		t.Errorf("%d runtime reads, want 3 (2 stale, then the change)", n)
	}
}
