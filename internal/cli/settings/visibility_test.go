package settings

import (
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdSettingsVisibilityParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdSettings, []clitest.ParseCase[SettingsOptions]{
		{Name: "visibility", Args: []string{"settings", "demo/app", "--visibility", "Private"},
			Want: SettingsOptions{Space: "demo/app", Visibility: "private", Timeout: 10 * time.Minute}},
		{Name: "visibility and hardware", Args: []string{"settings", "demo/app", "--visibility", "protected", "--hardware", "t4-small"},
			Want: SettingsOptions{Space: "demo/app", Visibility: "protected", Hardware: "t4-small", Timeout: 10 * time.Minute}},
		{Name: "unknown visibility", Args: []string{"settings", "demo/app", "--visibility", "secret"}, WantCode: 1,
			WantErr: `--visibility "secret": want public, private or protected`},
		{Name: "empty visibility", Args: []string{"settings", "demo/app", "--visibility", ""}, WantCode: 1, WantErr: "--visibility"},
		{Name: "nothing to change names visibility", Args: []string{"settings", "demo/app"}, WantCode: 1, WantErr: "--visibility public|private|protected"},
	})
}

func TestSettingsVisibilityRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdSettings(f, nil) }
	private := func(id string, want bool) func(t *testing.T, e *clitest.Env, r clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			t.Helper()
			c, _ := e.Factory.Client()
			info, err := c.Spaces.GetInfo(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if info.Private != want {
				t.Errorf("%s private = %v, want %v", id, info.Private, want)
			}
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "make private", TTY: true, Args: []string{"settings", "demo/gradio-app", "--visibility", "private"},
			WantOut: "✓ demo/gradio-app is now private\n", Check: private("demo/gradio-app", true)},
		{Name: "piped says nothing", Args: []string{"settings", "demo/gradio-app", "--visibility", "private"}, Check: private("demo/gradio-app", true)},
		{Name: "json", Args: []string{"settings", "demo/gradio-app", "--visibility", "protected", "--json"},
			WantOut: "{\n  \"repo_id\": \"demo/gradio-app\",\n  \"visibility\": \"protected\"\n}\n"},
		{Name: "with a sleep time", TTY: true, Args: []string{"settings", "demo/gpu-app", "--visibility", "public", "--sleep-time", "1h"},
			WantOut: "✓ demo/gpu-app is now public\n✓ Sleep time of demo/gpu-app: 1h\n", Check: private("demo/gpu-app", false)},
		{Name: "missing space", Args: []string{"settings", "demo/nope", "--visibility", "private"}, WantCode: 1, AnyErrOut: true},
	})
}
