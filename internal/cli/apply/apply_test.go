package apply

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/plan"
	"github.com/spf13/cobra"
)

const secretValue = "sk-never-show-me-42"

var secretEnv = map[string]string{"OPENAI_API_KEY": secretValue}

const fleetFile = `version: 1
spaces:
  demo/gradio-app:
    hardware: t4-small
    sleep_time: 1h
    variables:
      MODEL_ID: gpt2
    secrets:
      OPENAI_API_KEY: ${OPENAI_API_KEY}
  demo/gpu-app:
    paused: true
`

// writes counts the requests the emulator answered that are not reads.
type writes struct {
	mu sync.Mutex
	n  []string
}

func (w *writes) Enabled(context.Context, slog.Level) bool { return true }
func (w *writes) WithAttrs([]slog.Attr) slog.Handler       { return w }
func (w *writes) WithGroup(string) slog.Handler            { return w }
func (w *writes) Handle(_ context.Context, r slog.Record) error {
	var method, path string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		}
		return true
	})
	if method != "" && method != http.MethodGet {
		w.mu.Lock()
		w.n = append(w.n, method+" "+path)
		w.mu.Unlock()
	}
	return nil
}

func (w *writes) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.n
	w.n = nil
	return out
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spaces.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewCmdApplyParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdApply, []clitest.ParseCase[ApplyOptions]{
		{Name: "file", Args: []string{"apply", "-f", "s.yaml"}, Want: ApplyOptions{Timeout: 30 * 60e9, FleetFlags: plan.FleetFlags{File: "s.yaml", Concurrency: 8}}},
		{Name: "all", Args: []string{"apply", "-f", "-", "--yes", "--wait", "--prune", "--timeout", "1m"},
			Want: ApplyOptions{Yes: true, Wait: true, Timeout: 60e9, FleetFlags: plan.FleetFlags{File: "-", Prune: true, Concurrency: 8}}},
		{Name: "stdin needs yes", Args: []string{"apply", "-f", "-"}, WantCode: 1, WantErr: "pass --yes"},
		{Name: "no file", Args: []string{"apply"}, WantCode: 1, WantErr: "missing the fleet file"},
	})
}

func TestApplyRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdApply(f, nil) }
	file := writeFile(t, fleetFile)
	noSecret := func(t *testing.T, r clitest.Result) {
		t.Helper()
		if strings.Contains(r.Out+r.ErrOut, secretValue) {
			t.Errorf("a secret value was printed:\n%s\n%s", r.Out, r.ErrOut)
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "piped without --yes", Opts: clitest.Options{Env: secretEnv}, Args: []string{"apply", "-f", file}, WantCode: 1, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: refusing to create 0 and change 2 Spaces without confirmation")
				if got := e.Server.Emulator.Stage("demo/gpu-app"); got != "RUNNING" {
					t.Errorf("gpu-app changed without confirmation: %s", got)
				}
			}},
		{Name: "terminal, confirmed", TTY: true, Confirm: true, Opts: clitest.Options{Env: secretEnv}, Args: []string{"apply", "-f", file}, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				noSecret(t, r)
				if len(e.Prompter.Asked) != 1 {
					t.Errorf("asked %v", e.Prompter.Asked)
				}
				if !strings.Contains(r.Out, "Applied: 2 changed, 0 failed.") {
					t.Errorf("no summary:\n%s", r.Out)
				}
				if got := e.Server.Emulator.Stage("demo/gpu-app"); got != "PAUSED" {
					t.Errorf("gpu-app %s", got)
				}
			}},
		{Name: "stdin", Opts: clitest.Options{Env: secretEnv}, Args: []string{"apply", "-f", "-", "--yes"}, Stdin: fleetFile, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if got := e.Server.Emulator.Stage("demo/gpu-app"); got != "PAUSED" {
					t.Errorf("gpu-app %s", got)
				}
			}},
		{Name: "terminal, declined", TTY: true, Confirm: false, Opts: clitest.Options{Env: secretEnv}, Args: []string{"apply", "-f", file}, WantCode: 2, AnyOut: true, AnyErrOut: true},
		{Name: "debug and json show no secret", Opts: clitest.Options{Env: secretEnv}, Args: []string{"apply", "-f", file, "--yes", "--debug", "--json"}, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				noSecret(t, r)
				if !strings.Contains(r.ErrOut, "/secrets") {
					t.Errorf("the trace lacks the secrets request:\n%s", r.ErrOut)
				}
				if v, _ := e.Server.Emulator.SecretValue("demo/gradio-app", "OPENAI_API_KEY"); v != secretValue {
					t.Errorf("secret on the Hub: %q", v)
				}
			}},
	})
}

func TestApplyTwiceSecondSendsNoWrite(t *testing.T) {
	t.Parallel()
	w := &writes{}
	cfg := emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(clitest.Epoch), Logger: slog.New(w)}
	e := clitest.New(t, clitest.Options{Config: &cfg, Env: secretEnv})
	file := writeFile(t, fleetFile)
	r := e.Run(NewCmdApply(e.Factory, nil), "apply", "-f", file, "--yes", "--wait")
	if r.Code != 0 {
		t.Fatalf("first apply: %d\n%s\n%s", r.Code, r.Out, r.ErrOut)
	}
	if len(w.take()) == 0 {
		t.Fatal("the first apply sent no write")
	}
	r = e.Run(NewCmdApply(e.Factory, nil), "apply", "-f", file, "--yes")
	if r.Code != 0 || !strings.Contains(r.Out, "Nothing to change.") {
		t.Fatalf("second apply: %d\n%s\n%s", r.Code, r.Out, r.ErrOut)
	}
	if got := w.take(); len(got) != 0 {
		t.Fatalf("the second apply sent writes: %v", got)
	}
}

func TestApplyCarriesOnAfterAFailure(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(clitest.Epoch),
		Faults: []emulator.Fault{{Route: "hardware", Status: 400}}}
	e := clitest.New(t, clitest.Options{Config: &cfg, Env: secretEnv})
	r := e.Run(NewCmdApply(e.Factory, nil), "apply", "-f", writeFile(t, fleetFile), "--yes")
	if r.Code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.Code, r.Out, r.ErrOut)
	}
	if !strings.Contains(r.Out, "Applied: 1 changed, 1 failed.") || !strings.Contains(r.ErrOut, "demo/gradio-app: The Hub refused the hardware request") {
		t.Errorf("output:\n%s\n%s", r.Out, r.ErrOut)
	}
	if got := e.Server.Emulator.Stage("demo/gpu-app"); got != "PAUSED" {
		t.Errorf("gpu-app %s", got)
	}
}

func TestApplyWaitTimesOut(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(clitest.Epoch), BuildDuration: time.Hour}
	e := clitest.New(t, clitest.Options{Config: &cfg})
	file := writeFile(t, "version: 1\nspaces:\n  demo/gradio-app:\n    hardware: t4-small\n")
	r := e.Run(NewCmdApply(e.Factory, nil), "apply", "-f", file, "--yes", "--wait", "--timeout", "300ms")
	if r.Code != cmdutil.ExitPending {
		t.Fatalf("exit %d, want %d\n%s\n%s", r.Code, cmdutil.ExitPending, r.Out, r.ErrOut)
	}
}
