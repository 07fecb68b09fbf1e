package demo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/demo"
	"github.com/hfhub-go/hfhub/internal/cli/root"
)

func TestNewCmdDemoParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, demo.NewCmdDemo, []clitest.ParseCase[demo.DemoOptions]{
		{Name: "defaults", Args: []string{"demo"}, Want: demo.DemoOptions{Build: 300_000_000, Start: 200_000_000}},
		{Name: "durations", Args: []string{"demo", "--build-time", "1s", "--start-time", "0s", "--debug"}, Want: demo.DemoOptions{Build: 1_000_000_000, Debug: true}},
		{Name: "argument", Args: []string{"demo", "now"}, WantCode: 1, WantErr: "unexpected argument"},
	})
}

// TestDemoExitsZero runs `hfspaces demo` as a user would, piped and on a
// terminal, and checks it exits 0 with every step as expected.
func TestDemoExitsZero(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		t.Run(map[bool]string{false: "piped", true: "terminal"}[tty], func(t *testing.T) {
			t.Parallel()
			e := clitest.NewOffline(t, nil)
			e.SetTTY(tty)
			code := root.Run(t.Context(), e.Factory, []string{"demo"})
			if code != 0 {
				t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", code, e.Out, e.Err)
			}
			out := e.Out.String()
			for _, want := range []string{
				"$ hfspaces whoami\n",
				"$ hfspaces settings demo/gradio-app --hardware t4-small --wait --yes   # on a terminal, paid hardware asks first, showing its price\n",
				"$ hfspaces volumes set demo/gradio-app -v model:demo/bert:/models:ro -v dataset:demo/data:/data\n",
				"$ hfspaces restart demo/gradio-app --factory-reboot --yes --wait\n",
				"$ hfspaces duplicate demo/gradio-app demo/gradio-gpu --private --hardware t4-small --storage small",
				// The file the demo writes is shown by its name, not by the
				// path of a temporary directory.
				"$ hfspaces secrets add demo/gradio-app --secrets-file secrets.env   # a .env file holding OPENAI_API_KEY=…\n",
				"(exit code 1, as expected)",
				"(exit code 4, as expected)",
				"$ hfspaces plan -f spaces.yaml   # spaces.yaml: change one Space, create one, keep one paused; exit 2: changes pending\n",
				"$ hfspaces apply -f spaces.yaml --yes --wait\n",
				"Plan: 0 to create, 0 to change, 3 unchanged.\n",
				"Done: 43 commands in",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("demo output lacks %q", want)
				}
			}
			if tty && !strings.Contains(out, "✓ demo/gradio-app is RUNNING on t4-small") {
				t.Errorf("terminal demo output lacks the wait's result:\n%s", out)
			}
			if !strings.Contains(e.Err.String(), "Did you mean t4-small?") {
				t.Errorf("the mistyped flavor step lacks its hint:\n%s", e.Err)
			}
			// (The emulated build log names /tmp/requirements.txt, as the
			// Hub's does: only the demo's own folder must not show.)
			if strings.Contains(out, filepath.Join(os.TempDir(), "hfspaces-demo-")) {
				t.Errorf("the demo shows a temporary path:\n%s", out)
			}
			if strings.Contains(out+e.Err.String(), "sk-demo-not-a-real-key") {
				t.Errorf("the demo printed a secret value")
			}
		})
	}
}

// TestDemoSteps checks each step ended with the exit code it announces.
func TestDemoSteps(t *testing.T) {
	t.Parallel()
	e := clitest.NewOffline(t, nil)
	var codes []int
	runF := func(o *demo.DemoOptions) error {
		o.Build, o.Start = 0, 0
		o.StepHook = func(s demo.Step, code int) {
			if code != s.WantExit {
				t.Errorf("hfspaces %s: exit %d, want %d", strings.Join(s.Args, " "), code, s.WantExit)
			}
			codes = append(codes, code)
		}
		return demo.RunDemo(t.Context(), o)
	}
	e.Factory.Execute = root.Run
	if r := e.Run(demo.NewCmdDemo(e.Factory, runF), "demo"); r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.ErrOut)
	}
	if len(codes) != 43 {
		t.Errorf("%d steps ran, want 43", len(codes))
	}
}
