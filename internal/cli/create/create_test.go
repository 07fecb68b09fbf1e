package create

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdCreateParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdCreate, []clitest.ParseCase[CreateOptions]{
		{Name: "sdk only", Args: []string{"create", "demo/app", "--sdk", "gradio"}, Want: CreateOptions{Space: "demo/app", SDK: "gradio"}},
		{Name: "everything", Args: []string{"create", "demo/app", "--sdk", "Docker", "--private", "--hardware", "t4-small", "--storage", "small",
			"--sleep-time", "1h", "-s", "K=v", "--secrets-file", "s.env", "-e", "A=1", "--env-file", "v.env", "--exist-ok", "--json"},
			Want: CreateOptions{Space: "demo/app", SDK: "docker", Visibility: "private", Storage: "small", ExistOK: true, JSON: true,
				Config: cmdutil.SpaceConfigFlags{Hardware: "t4-small", SleepTime: new(3600), SecretPairs: []string{"K=v"}, SecretFiles: []string{"s.env"},
					EnvPairs: []string{"A=1"}, EnvFiles: []string{"v.env"}}}},
		{Name: "protected", Args: []string{"create", "demo/app", "--sdk", "static", "--protected"}, Want: CreateOptions{Space: "demo/app", SDK: "static", Visibility: "protected"}},
		{Name: "never sleeps", Args: []string{"create", "demo/app", "--sdk", "streamlit", "--sleep-time", "never"},
			Want: CreateOptions{Space: "demo/app", SDK: "streamlit", Config: cmdutil.SpaceConfigFlags{SleepTime: new(-1)}}},
		{Name: "missing sdk", Args: []string{"create", "demo/app"}, WantCode: 1, WantErr: "missing --sdk: one of gradio, docker, static, streamlit"},
		{Name: "unknown sdk", Args: []string{"create", "demo/app", "--sdk", "flask"}, WantCode: 1, WantErr: `--sdk "flask": want one of gradio, docker, static, streamlit`},
		{Name: "two visibilities", Args: []string{"create", "demo/app", "--sdk", "gradio", "--private", "--protected"}, WantCode: 1, WantErr: "choose one of"},
		{Name: "bad storage", Args: []string{"create", "demo/app", "--sdk", "gradio", "--storage", "xl"}, WantCode: 1, WantErr: "--storage"},
		{Name: "empty hardware", Args: []string{"create", "demo/app", "--sdk", "gradio", "--hardware", ""}, WantCode: 1, WantErr: "empty flavor"},
		{Name: "bad sleep time", Args: []string{"create", "demo/app", "--sdk", "gradio", "--sleep-time", "soon"}, WantCode: 1, WantErr: "--sleep-time"},
		{Name: "missing space", Args: []string{"create", "--sdk", "gradio"}, WantCode: 1, WantErr: "missing the Space id"},
		{Name: "too many", Args: []string{"create", "a/b", "c/d", "--sdk", "gradio"}, WantCode: 1, WantErr: "too many arguments"},
	}, cmpIgnoreUnexported)
}

func TestCreateRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdCreate(f, nil) }
	const secret = "create-secret-value"
	infoOf := func(t *testing.T, e *clitest.Env, id string) *hfhub.SpaceInfo {
		t.Helper()
		c, _ := e.Factory.Client()
		info, err := c.Spaces.GetInfo(t.Context(), id)
		if err != nil {
			t.Fatalf("GetInfo(%s): %v", id, err)
		}
		return info
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "paid hardware on a terminal asks first; no creates nothing", TTY: true,
			Args:     []string{"create", "demo/declined-app", "--sdk", "gradio", "--hardware", "t4-small"},
			WantCode: 2, AnyOut: true, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if e.Server.Emulator.Stage("demo/declined-app") != "" {
					t.Error("the Space was created after a no")
				}
			}},
		{Name: "terminal, with everything", TTY: true, Opts: clitest.Options{Env: map[string]string{"API_KEY": secret}},
			Args: []string{"create", "demo/new-app", "--sdk", "gradio", "--private", "--hardware", "t4-small", "--sleep-time", "30m",
				"-s", "API_KEY", "-e", "MODEL_ID=demo/big", "--yes"},
			WantOut: "✓ Created private Space demo/new-app (gradio)\n" +
				"  with hardware t4-small, sleep time 30m, 1 secret, 1 variable\n" +
				"  {{URL}}/spaces/demo/new-app\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				info := infoOf(t, e, "demo/new-app")
				if !info.Private || info.SDK != "gradio" {
					t.Errorf("new Space: private %v, sdk %q", info.Private, info.SDK)
				}
				if v, ok := e.Server.Emulator.SecretValue("demo/new-app", "API_KEY"); !ok || v != secret {
					t.Errorf("secret = %q, %v", v, ok)
				}
				if strings.Contains(r.Out+r.ErrOut, secret) {
					t.Error("output leaks the secret value")
				}
			}},
		{Name: "piped prints the URL", Args: []string{"create", "demo/static-new", "--sdk", "static"}, WantOut: "{{URL}}/spaces/demo/static-new\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if info := infoOf(t, e, "demo/static-new"); info.Private {
					t.Error("a Space created without --private is private")
				}
			}},
		{Name: "no namespace: mine", Opts: clitest.Options{Token: "hf_other_write"}, Args: []string{"create", "mine", "--sdk", "static"},
			WantOut: "{{URL}}/spaces/other/mine\n"},
		{Name: "json", Args: []string{"create", "demo/j", "--sdk", "docker", "--json"},
			WantOut: "{\n  \"url\": \"{{URL}}/spaces/demo/j\",\n  \"repo_id\": \"demo/j\"\n}\n"},
		{Name: "exists", Args: []string{"create", "demo/gradio-app", "--sdk", "gradio"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: Conflict (409)")
			}},
		{Name: "exists, exist-ok", TTY: true, Args: []string{"create", "demo/gradio-app", "--sdk", "gradio", "--exist-ok"},
			WantOut: "✓ Space demo/gradio-app exists (created now or before; an existing one is left as it was)\n  {{URL}}/spaces/demo/gradio-app\n"},
		{Name: "hardware typo", Args: []string{"create", "demo/x", "--sdk", "gradio", "--hardware", "a10g-smal"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantSuffix(t, r.ErrOut, "Did you mean a10g-small? Run `hfspaces hardware` for the catalog.\n")
			}},
		{Name: "bad variable file, nothing sent", Args: []string{"create", "demo/y", "--sdk", "gradio", "--env-file", "/nonexistent/v.env"}, WantCode: 1,
			WantErrOut: "error: the variable file /nonexistent/v.env does not exist\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				c, _ := e.Factory.Client()
				if _, err := c.Spaces.GetInfo(t.Context(), "demo/y"); !errors.Is(err, hfhub.ErrNotFound) {
					t.Errorf("demo/y after a refused create: %v", err)
				}
			}},
		{Name: "no token", Opts: clitest.Options{NoToken: true}, Args: []string{"create", "demo/z", "--sdk", "gradio"}, WantCode: 4, AnyErrOut: true},
	})
}

// cmpIgnoreUnexported leaves the flag buffers of SpaceConfigFlags out.
var cmpIgnoreUnexported = cmpopts.IgnoreUnexported(cmdutil.SpaceConfigFlags{})
