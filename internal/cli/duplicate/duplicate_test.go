package duplicate

import (
	"errors"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdDuplicateParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDuplicate, []clitest.ParseCase[DuplicateOptions]{
		{Name: "from only", Args: []string{"duplicate", "demo/app"}, Want: DuplicateOptions{From: "demo/app"}},
		{Name: "everything", Args: []string{"duplicate", "demo/app", "me/copy", "--private", "--hardware", "t4-small", "--storage", "Small",
			"--sleep-time", "1h", "-s", "K=v", "--secrets-file", "s.env", "-e", "A=1", "--env-file", "v.env", "-v", "model:demo/m:/m:ro", "--exist-ok", "--json"},
			Want: DuplicateOptions{From: "demo/app", To: "me/copy", Visibility: "private", Hardware: "t4-small", Storage: "small", SleepTime: new(3600),
				SecretPairs: []string{"K=v"}, SecretFiles: []string{"s.env"}, EnvPairs: []string{"A=1"}, EnvFiles: []string{"v.env"},
				Volumes: []hfhub.Volume{{Type: "model", Source: "demo/m", MountPath: "/m", ReadOnly: new(true)}}, ExistOK: true, JSON: true}},
		{Name: "public", Args: []string{"duplicate", "demo/app", "copy", "--public"}, Want: DuplicateOptions{From: "demo/app", To: "copy", Visibility: "public"}},
		{Name: "protected", Args: []string{"duplicate", "demo/app", "--protected"}, Want: DuplicateOptions{From: "demo/app", Visibility: "protected"}},
		{Name: "two visibilities", Args: []string{"duplicate", "demo/app", "--private", "--public"}, WantCode: 1, WantErr: "choose one of"},
		{Name: "bad storage", Args: []string{"duplicate", "demo/app", "--storage", "xl"}, WantCode: 1, WantErr: "--storage"},
		{Name: "bad volume", Args: []string{"duplicate", "demo/app", "-v", "nope"}, WantCode: 1, WantErr: "-v"},
		{Name: "missing from", Args: []string{"duplicate"}, WantCode: 1, WantErr: "missing the Space to duplicate"},
		{Name: "too many", Args: []string{"duplicate", "a/b", "c/d", "e/f"}, WantCode: 1, WantErr: "too many arguments"},
	})
}

func TestDuplicateRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdDuplicate(f, nil) }
	const secret = "dup-secret-value"
	copyIs := func(id string, check func(t *testing.T, info *hfhub.SpaceInfo)) func(*testing.T, *clitest.Env, clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			c, _ := e.Factory.Client()
			info, err := c.Spaces.GetInfo(t.Context(), id)
			if err != nil {
				t.Fatalf("the copy: %v", err)
			}
			if check != nil {
				check(t, info)
			}
			if strings.Contains(r.Out+r.ErrOut, secret) {
				t.Errorf("output leaks the secret value")
			}
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal, with everything", TTY: true, Confirm: true, Opts: clitest.Options{Env: map[string]string{"API_KEY": secret}},
			Args: []string{"duplicate", "demo/gradio-app", "demo/gpu-copy", "--private", "--hardware", "t4-small", "--storage", "small",
				"--sleep-time", "30m", "-s", "API_KEY", "-e", "MODEL_ID=demo/big"},
			WantOut: "✓ Duplicated demo/gradio-app to demo/gpu-copy\n" +
				"  with hardware t4-small, small storage, sleep time 30m, 1 secret, 1 variable\n" +
				"  {{URL}}/spaces/demo/gpu-copy\n",
			Check: copyIs("demo/gpu-copy", func(t *testing.T, info *hfhub.SpaceInfo) {
				if !info.Private || info.Runtime == nil || info.Runtime.RequestedHardware != "t4-small" || info.Runtime.Storage != "small" {
					t.Errorf("copy = private %v, runtime %+v", info.Private, info.Runtime)
				}
			})},
		{Name: "terminal, paid hardware declined", TTY: true, Args: []string{"duplicate", "demo/gradio-app", "demo/gpu-copy", "--hardware", "t4-small"},
			WantCode: 2, WantErrOut: "Cancelled.\n", Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e, "t4-small costs $0.40/hour while demo/gpu-copy runs on it (it runs until paused or asleep). Request it?")
				c, _ := e.Factory.Client()
				if _, err := c.Spaces.GetInfo(t.Context(), "demo/gpu-copy"); !errors.Is(err, hfhub.ErrNotFound) {
					t.Errorf("the copy exists after a no: %v", err)
				}
			}},
		{Name: "terminal, plurals", TTY: true, Args: []string{"duplicate", "demo/gradio-app", "demo/two", "-s", "A=1", "-s", "B=2",
			"-e", "X=1", "-e", "Y=2", "-v", "model:demo/bert:/models:ro"},
			WantOut: "✓ Duplicated demo/gradio-app to demo/two\n" +
				"  with 2 secrets, 2 variables, 1 volume\n" +
				"  {{URL}}/spaces/demo/two\n"},
		{Name: "secrets and variables land", Opts: clitest.Options{Env: map[string]string{"API_KEY": secret}},
			Args: []string{"duplicate", "demo/gradio-app", "demo/copy2", "-s", "API_KEY", "-e", "MODEL_ID=demo/big"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if v, ok := e.Server.Emulator.SecretValue("demo/copy2", "API_KEY"); !ok || v != secret {
					t.Errorf("secret in the copy = %q, %v", v, ok)
				}
				c, _ := e.Factory.Client()
				vars, err := c.Spaces.GetVariables(t.Context(), "demo/copy2")
				if err != nil {
					t.Fatal(err)
				}
				if vars["MODEL_ID"].Value != "demo/big" {
					t.Errorf("variables of the copy = %v", vars)
				}
			}},
		{Name: "piped prints the URL", Args: []string{"duplicate", "demo/gradio-app", "demo/copy"}, WantOut: "{{URL}}/spaces/demo/copy\n", Check: copyIs("demo/copy", nil)},
		{Name: "default target is my namespace", Opts: clitest.Options{Token: "hf_other_write"}, Args: []string{"duplicate", "demo/gradio-app"},
			WantOut: "{{URL}}/spaces/other/gradio-app\n", Check: copyIs("other/gradio-app", nil)},
		{Name: "json", Args: []string{"duplicate", "demo/gradio-app", "mine", "--json"},
			WantOut: "{\n  \"url\": \"{{URL}}/spaces/demo/mine\",\n  \"repo_id\": \"demo/mine\"\n}\n"},
		{Name: "target exists", Args: []string{"duplicate", "demo/gradio-app", "demo/gpu-app"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: Conflict (409)")
			}},
		{Name: "target exists, exist-ok", Args: []string{"duplicate", "demo/gradio-app", "demo/gpu-app", "--exist-ok"}, WantOut: "{{URL}}/spaces/demo/gpu-app\n"},
		{Name: "hardware typo", Args: []string{"duplicate", "demo/gradio-app", "demo/x", "--hardware", "a10g-smal"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantSuffix(t, r.ErrOut, "Did you mean a10g-small? Run `hfspaces hardware` for the catalog.\n")
			}},
		{Name: "source not found", Args: []string{"duplicate", "demo/nope", "demo/x"}, WantCode: 1,
			WantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
	})
}
