package settings

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdSettingsParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdSettings, []clitest.ParseCase[SettingsOptions]{
		{Name: "hardware", Args: []string{"settings", "demo/app", "--hardware", "t4-small"},
			Want: SettingsOptions{Space: "demo/app", Hardware: "t4-small", Timeout: 10 * time.Minute}},
		{Name: "hardware and wait", Args: []string{"settings", "demo/app", "--hardware", "a10g-large", "--wait", "--timeout", "2m"},
			Want: SettingsOptions{Space: "demo/app", Hardware: "a10g-large", Wait: true, Timeout: 2 * time.Minute}},
		{Name: "sleep seconds", Args: []string{"settings", "demo/app", "--sleep-time", "3600"},
			Want: SettingsOptions{Space: "demo/app", SleepTime: new(3600), Timeout: 10 * time.Minute}},
		{Name: "sleep duration", Args: []string{"settings", "demo/app", "--sleep-time", "30m"},
			Want: SettingsOptions{Space: "demo/app", SleepTime: new(1800), Timeout: 10 * time.Minute}},
		{Name: "never sleep", Args: []string{"settings", "demo/app", "--sleep-time", "never", "--json"},
			Want: SettingsOptions{Space: "demo/app", SleepTime: new(-1), Timeout: 10 * time.Minute, JSON: true}},
		{Name: "both", Args: []string{"settings", "demo/app", "--hardware", "t4-medium", "--sleep-time", "-1"},
			Want: SettingsOptions{Space: "demo/app", Hardware: "t4-medium", SleepTime: new(-1), Timeout: 10 * time.Minute}},
		{Name: "unknown flavor still parses", Args: []string{"settings", "demo/app", "--hardware", "b200x16"},
			Want: SettingsOptions{Space: "demo/app", Hardware: "b200x16", Timeout: 10 * time.Minute}},
		{Name: "nothing to change", Args: []string{"settings", "demo/app"}, WantCode: 1, WantErr: "nothing to change"},
		{Name: "empty hardware", Args: []string{"settings", "demo/app", "--hardware", ""}, WantCode: 1, WantErr: "empty flavor"},
		{Name: "bad sleep time", Args: []string{"settings", "demo/app", "--sleep-time", "later"}, WantCode: 1, WantErr: "--sleep-time"},
		{Name: "negative sleep time", Args: []string{"settings", "demo/app", "--sleep-time", "-5"}, WantCode: 1, WantErr: "--sleep-time"},
		{Name: "wait without hardware", Args: []string{"settings", "demo/app", "--sleep-time", "60", "--wait"}, WantCode: 1, WantErr: "--wait needs --hardware"},
		{Name: "missing space", Args: []string{"settings", "--hardware", "t4-small"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestSettingsRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdSettings(f, nil) }
	runtimeOf := func(t *testing.T, e *clitest.Env, id string) *hfhub.SpaceRuntime {
		c, _ := e.Factory.Client()
		rt, err := c.Spaces.GetRuntime(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return rt
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "request a GPU", Opts: clitest.Frozen(), TTY: true, Confirm: true, Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-small"},
			WantOut: "✓ Requested t4-small for demo/gradio-app (now cpu-basic → t4-small, stage RUNNING_BUILDING)\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e, "t4-small costs $0.40/hour while demo/gradio-app runs on it (it runs until paused or asleep). Request it?")
				if rt := runtimeOf(t, e, "demo/gradio-app"); rt.RequestedHardware != "t4-small" {
					t.Errorf("requested hardware = %q", rt.RequestedHardware)
				}
			}},
		{Name: "a GPU declined at the price", Opts: clitest.Frozen(), TTY: true, Confirm: false, Args: []string{"settings", "demo/gradio-app", "--hardware", "a100-large"},
			WantCode: 2, WantErrOut: "Cancelled.\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e, "a100-large costs $2.50/hour while demo/gradio-app runs on it (it runs until paused or asleep). Request it?")
				if rt := runtimeOf(t, e, "demo/gradio-app"); rt.RequestedHardware != "cpu-basic" {
					t.Errorf("requested hardware = %q after a no", rt.RequestedHardware)
				}
			}},
		{Name: "a GPU with --yes is not asked", Opts: clitest.Frozen(), TTY: true, Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-small", "--yes"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e)
				if rt := runtimeOf(t, e, "demo/gradio-app"); rt.RequestedHardware != "t4-small" {
					t.Errorf("requested hardware = %q", rt.RequestedHardware)
				}
			}},
		{Name: "a GPU piped is not asked", Opts: clitest.Frozen(), Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-small"},
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e)
				if rt := runtimeOf(t, e, "demo/gradio-app"); rt.RequestedHardware != "t4-small" {
					t.Errorf("requested hardware = %q", rt.RequestedHardware)
				}
			}},
		{Name: "free hardware is not asked", Opts: clitest.Frozen(), TTY: true, Args: []string{"settings", "demo/gpu-app", "--hardware", "cpu-basic"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) { clitest.WantAsked(t, e) }},
		{Name: "request a GPU and wait", TTY: true, Confirm: true, Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-small", "--wait"},
			AnyErrOut: true, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantSuffix(t, r.Out, "✓ demo/gradio-app is RUNNING on t4-small\n")
			}},
		{Name: "wait json", Args: []string{"settings", "demo/gpu-app", "--hardware", "cpu-basic", "--wait", "--json"}, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "RUNNING", "hardware": "cpu-basic", "requested_hardware": "cpu-basic"})
			}},
		{Name: "downgrade, piped", Args: []string{"settings", "demo/gpu-app", "--hardware", "cpu-basic"}, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			if rt := runtimeOf(t, e, "demo/gpu-app"); rt.RequestedHardware != "cpu-basic" {
				t.Errorf("requested hardware = %q", rt.RequestedHardware)
			}
		}},
		{Name: "sleep time", TTY: true, Args: []string{"settings", "demo/gpu-app", "--sleep-time", "2h"},
			WantOut: "✓ Sleep time of demo/gpu-app: 2h\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if rt := runtimeOf(t, e, "demo/gpu-app"); rt.SleepTime == nil || *rt.SleepTime != 7200 {
					t.Errorf("sleep time = %v", rt.SleepTime)
				}
			}},
		{Name: "never sleep, json", Args: []string{"settings", "demo/gpu-app", "--sleep-time", "never", "--json"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				// The Hub reports "never" as null: the default of upgraded hardware.
				clitest.WantJSONFields(t, r.Out, map[string]any{"sleep_time": nil, "requested_hardware": "t4-small"})
			}},
		{Name: "sleep time on free hardware warns", TTY: true, Args: []string{"settings", "demo/gradio-app", "--sleep-time", "3600"}, AnyOut: true,
			WantErrOut: "! demo/gradio-app runs on free cpu-basic hardware, which always sleeps after 48h; the sleep time applies on upgraded hardware.\n"},
		{Name: "hardware with sleep time", Args: []string{"settings", "demo/gradio-app", "--hardware", "a10g-small", "--sleep-time", "600", "--json"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantJSONFields(t, r.Out, map[string]any{"requested_hardware": "a10g-small", "sleep_time": 600.0})
			}},
		{Name: "typo gets a hint", Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-smal"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: The Hub refused the hardware request for demo/gradio-app (400 Bad Request): Invalid hardware flavor \"t4-smal\"")
				clitest.WantSuffix(t, r.ErrOut, "\nDid you mean t4-small? Run `hfspaces hardware` for the catalog.\n")
			}},
		{Name: "unknown flavor is sent, the Hub's 400 shown", Args: []string{"settings", "demo/gradio-app", "--hardware", "quantum-xxl"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if !strings.Contains(r.ErrOut, "(400 Bad Request): Invalid hardware flavor \"quantum-xxl\"") || !strings.HasSuffix(r.ErrOut, "Run `hfspaces hardware` for the catalog of flavors.\n") {
					t.Errorf("stderr %q", r.ErrOut)
				}
			}},
		{Name: "malformed flavor refused before sending", Args: []string{"settings", "demo/gradio-app", "--hardware", "T4 small"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: invalid hardware flavor: ")
				clitest.WantSuffix(t, r.ErrOut, "\nDid you mean t4-small? Run `hfspaces hardware` for the catalog.\n")
			}},
		{Name: "read token", Opts: clitest.Options{Token: "hf_demo_read"}, Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-small"}, WantCode: 4, AnyErrOut: true},
	})
}

// TestSettingsWaitReadsPastAStaleRuntime: right after a hardware request the
// Hub may still answer with the runtime from before it, settled on the old
// flavor; --wait must not take that for the answer.
func TestSettingsWaitReadsPastAStaleRuntime(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := clitest.New(t, clitest.Options{Config: clitest.Slow(), Transport: clitest.StaleRuntime("/hardware", 2, time.Minute, &reads)})
	e.SetTTY(true)
	r := e.Run(NewCmdSettings(e.Factory, nil), "settings", "demo/gradio-app", "--hardware", "t4-small", "--wait", "--yes")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Out, r.ErrOut)
	}
	if !strings.HasSuffix(r.Out, "✓ demo/gradio-app is RUNNING on t4-small\n") {
		t.Errorf("stdout does not end with the Space running on t4-small:\n%s", r.Out)
	}
	if got := e.Server.Emulator.Stage("demo/gradio-app"); got != "RUNNING" {
		t.Errorf("the emulator has the Space %s: the wait ended before it ran", got)
	}
	if n := reads.Load(); n < 3 {
		t.Errorf("%d runtime reads: the wait believed a stale one", n)
	}
}
