package plan

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const secretValue = "sk-never-show-me-42"

var secretEnv = map[string]string{"OPENAI_API_KEY": secretValue, "HF_API_KEY": "demo-secret-value"}

const fleetFile = `version: 1
defaults:
  dev_mode: false
spaces:
  demo/gradio-app:
    hardware: t4-small
    sleep_time: 1h
    variables:
      MODEL_ID: gpt2
    secrets:
      OPENAI_API_KEY: ${OPENAI_API_KEY}
    volumes:
      - {type: model, source: org/model, mount_path: /data}
  demo/gpu-app:
    paused: true
  demo/static-site:
    hardware: t4-small
`

const quietFile = `version: 1
spaces:
  demo/gradio-app:
    hardware: cpu-basic
    variables:
      GREETING: Hello
  demo/gpu-app:
    hardware: t4-small
`

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spaces.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s mismatch:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

func TestNewCmdPlanParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdPlan, []clitest.ParseCase[PlanOptions]{
		{Name: "file", Args: []string{"plan", "-f", "spaces.yaml"}, Want: PlanOptions{FleetFlags: FleetFlags{File: "spaces.yaml", Concurrency: 8}}},
		{Name: "flags", Args: []string{"plan", "-f", "-", "--prune", "--keep-unmarked-secrets", "--concurrency", "2", "--json"},
			Want: PlanOptions{JSON: true, FleetFlags: FleetFlags{File: "-", Prune: true, KeepUnmarkedSecrets: true, Concurrency: 2}}},
		{Name: "no file", Args: []string{"plan"}, WantCode: 1, WantErr: "missing the fleet file"},
		{Name: "bad concurrency", Args: []string{"plan", "-f", "x", "--concurrency", "0"}, WantCode: 1, WantErr: "--concurrency 0"},
	})
}

func TestPlanRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdPlan(f, nil) }
	changes := writeFile(t, fleetFile)
	quiet := writeFile(t, quietFile)
	bad := writeFile(t, "version: 1\nspaces:\n  demo/gradio-app:\n    sleep-time: 1h\n")
	literal := writeFile(t, "version: 1\nspaces:\n  demo/gradio-app:\n    secrets:\n      K: "+secretValue+"\n")
	noSecret := func(t *testing.T, e *clitest.Env, r clitest.Result) {
		if strings.Contains(r.Out+r.ErrOut, secretValue) {
			t.Errorf("a secret value was printed:\n%s\n%s", r.Out, r.ErrOut)
		}
	}
	app := t.TempDir()
	for name, content := range map[string]string{"README.md": "---\nsdk: gradio\napp_file: app.py\n---\n", "app.py": "import gradio\n", "debug.log": "x\n", ".gitignore": "*.log\n"} {
		if err := os.WriteFile(filepath.Join(app, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	create := writeFile(t, "version: 1\nspaces:\n  demo/new-app:\n    sdk: gradio\n    hardware: t4-small\n    sleep_time: 30m\n    variables:\n      THEME: dark\n"+
		"    secrets:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n    source: "+app+"\n  demo/site:\n    sdk: static\n    hardware: t4-small\n  demo/missing:\n    hardware: t4-small\n")
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "create", Opts: clitest.Options{Env: secretEnv}, Args: []string{"plan", "-f", create}, WantCode: 1, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) { noSecret(t, e, r); golden(t, "create", r.Out) }},
		{Name: "changes", Opts: clitest.Options{Env: secretEnv}, Args: []string{"plan", "-f", changes}, WantCode: ExitPending, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) { noSecret(t, e, r); golden(t, "changes", r.Out) }},
		{Name: "nothing to change", Args: []string{"plan", "-f", quiet}, WantCode: 0, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) { golden(t, "nothing", r.Out) }},
		{Name: "stdin", Args: []string{"plan", "-f", "-"}, Stdin: quietFile, WantCode: 0, AnyOut: true},
		{Name: "json", Opts: clitest.Options{Env: secretEnv}, Args: []string{"plan", "-f", changes, "--json"}, WantCode: ExitPending, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				noSecret(t, e, r)
				clitest.WantJSONFields(t, r.Out, map[string]any{"create": 0.0, "update": 2.0, "unchanged": 1.0, "errors": 0.0})
			}},
		{Name: "debug trace", Opts: clitest.Options{Env: secretEnv}, Args: []string{"plan", "-f", changes, "--debug"}, WantCode: ExitPending, AnyOut: true, AnyErrOut: true, Check: noSecret},
		{Name: "unknown key", Args: []string{"plan", "-f", bad}, WantCode: 1,
			WantErrOut: "error: " + bad + ":4: unknown key \"sleep-time\" in demo/gradio-app; did you mean \"sleep_time\"?\n"},
		{Name: "literal secret", Args: []string{"plan", "-f", literal}, WantCode: 1, AnyErrOut: true, Check: noSecret},
		{Name: "missing file", Args: []string{"plan", "-f", "/nonexistent/spaces.yaml"}, WantCode: 1, AnyErrOut: true},
	})
}
