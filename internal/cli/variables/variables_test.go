package variables

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdAddParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdAdd, []clitest.ParseCase[AddOptions]{
		{Name: "pairs", Args: []string{"add", "demo/app", "-e", "A=1", "--env", "B", "--description", "d"},
			Want: AddOptions{Space: "demo/app", Pairs: []string{"A=1", "B"}, Description: new("d")}},
		{Name: "file", Args: []string{"add", "demo/app", "--env-file", "a.env", "--env-file", "b.env"},
			Want: AddOptions{Space: "demo/app", Files: []string{"a.env", "b.env"}}},
		{Name: "nothing", Args: []string{"add", "demo/app"}, WantCode: 1, WantErr: "no variables given"},
	})
}

func TestNewCmdDeleteParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDelete, []clitest.ParseCase[DeleteOptions]{
		{Name: "keys", Args: []string{"delete", "demo/app", "A", "B", "--yes"}, Want: DeleteOptions{Space: "demo/app", Keys: []string{"A", "B"}, Yes: true}},
		{Name: "no key", Args: []string{"rm", "demo/app"}, WantCode: 1, WantErr: "at least one KEY"},
	})
}

func TestNewCmdListParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdList, []clitest.ParseCase[ListOptions]{
		{Name: "ls", Args: []string{"ls", "demo/app", "--json"}, Want: ListOptions{Space: "demo/app", JSON: true}},
		{Name: "missing space", Args: []string{"ls"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func variablesAre(want map[string][2]string) func(*testing.T, *clitest.Env, clitest.Result) {
	return func(t *testing.T, e *clitest.Env, r clitest.Result) {
		t.Helper()
		c, _ := e.Factory.Client()
		m, err := c.Spaces.GetVariables(t.Context(), "demo/gradio-app")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]string{}
		for k, v := range m {
			got[k] = [2]string{v.Value, v.Description}
		}
		if len(got) != len(want) {
			t.Errorf("variables = %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("variable %s = %q, want %q", k, got[k], v)
			}
		}
	}
}

func TestVariablesRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdVariables(f) }
	envFile := filepath.Join(t.TempDir(), "vars.env")
	if err := os.WriteFile(envFile, []byte("MODEL_ID=demo/other\n# comment\nTHREADS='4'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	seed := map[string][2]string{"MODEL_ID": {"demo/tiny-model", ""}, "GREETING": {"Hello", ""}}
	with := func(k, v, d string) map[string][2]string {
		m := map[string][2]string{}
		for a, b := range seed {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = [2]string{v, d}
		}
		return m
	}
	withDescription := func(t *testing.T, e *clitest.Env) {
		c, _ := e.Factory.Client()
		if _, err := c.Spaces.AddVariable(t.Context(), "demo/gradio-app", "TEMPERATURE", "0.7", &hfhub.VariableOptions{Description: "sampling"}); err != nil {
			t.Fatal(err)
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "ls, terminal", TTY: true, Args: []string{"variables", "ls", "demo/gradio-app"}, WantOut: "" +
			"KEY       VALUE            DESCRIPTION  UPDATED\n" +
			"GREETING  Hello                         just now\n" +
			"MODEL_ID  demo/tiny-model               just now\n"},
		{Name: "ls, piped", Args: []string{"vars", "ls", "demo/gradio-app"}, WantOut: "" +
			"GREETING\tHello\t\t2025-03-07T12:00:00Z\nMODEL_ID\tdemo/tiny-model\t\t2025-03-07T12:00:00Z\n"},
		{Name: "ls, json", Setup: withDescription, Args: []string{"variables", "ls", "demo/gradio-app", "--json"}, WantOut: `[
  {
    "key": "GREETING",
    "value": "Hello",
    "description": "",
    "updated_at": "2025-03-07T12:00:00Z"
  },
  {
    "key": "MODEL_ID",
    "value": "demo/tiny-model",
    "description": "",
    "updated_at": "2025-03-07T12:00:00Z"
  },
  {
    "key": "TEMPERATURE",
    "value": "0.7",
    "description": "sampling",
    "updated_at": "2025-03-07T12:00:00Z"
  }
]
`},
		{Name: "ls, none", TTY: true, Args: []string{"variables", "ls", "demo/gpu-app"},
			WantOut: "demo/gpu-app has no variables. Add one with `hfspaces variables add demo/gpu-app -e KEY=VALUE`.\n"},
		{Name: "add with description", TTY: true, Args: []string{"variables", "add", "demo/gradio-app", "-e", "TEMPERATURE=0.7", "--description", "sampling"},
			WantOut: "✓ Set variable TEMPERATURE=0.7 on demo/gradio-app\n", Check: variablesAre(with("TEMPERATURE", "0.7", "sampling"))},
		{Name: "update", Args: []string{"variables", "add", "demo/gradio-app", "-e", "MODEL_ID=demo/big-model"},
			Check: variablesAre(with("MODEL_ID", "demo/big-model", ""))},
		{Name: "update keeps the description", Setup: withDescription, Args: []string{"variables", "add", "demo/gradio-app", "-e", "TEMPERATURE=0.2"},
			Check: variablesAre(with("TEMPERATURE", "0.2", "sampling"))},
		{Name: "update with an empty description clears it", Setup: withDescription, Args: []string{"variables", "add", "demo/gradio-app", "-e", "TEMPERATURE=0.2", "--description", ""},
			Check: variablesAre(with("TEMPERATURE", "0.2", ""))},
		{Name: "from the environment", Opts: clitest.Options{Env: map[string]string{"REGION": "eu"}}, Args: []string{"variables", "add", "demo/gradio-app", "-e", "REGION"},
			Check: variablesAre(with("REGION", "eu", ""))},
		{Name: "from a file", Args: []string{"variables", "add", "demo/gradio-app", "--env-file", envFile}, Check: variablesAre(map[string][2]string{
			"MODEL_ID": {"demo/other", ""}, "GREETING": {"Hello", ""}, "THREADS": {"4", ""}})},
		{Name: "add, json", Args: []string{"variables", "add", "demo/gradio-app", "-e", "A=1", "--json"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				var got []map[string]any
				clitest.DecodeJSON(t, r.Out, &got)
				if len(got) != 3 {
					t.Errorf("json = %v", got)
				}
			}},
		{Name: "key from nowhere", Args: []string{"variables", "add", "demo/gradio-app", "-e", "NOPE"}, WantCode: 1, AnyErrOut: true, Check: variablesAre(seed)},
		{Name: "delete confirmed", TTY: true, Confirm: true, Args: []string{"variables", "delete", "demo/gradio-app", "GREETING"},
			WantOut: "✓ Deleted variable GREETING from demo/gradio-app\n", Check: variablesAre(with("GREETING", "", ""))},
		{Name: "delete declined", TTY: true, Args: []string{"variables", "delete", "demo/gradio-app", "GREETING"}, WantCode: 2, WantErrOut: "Cancelled.\n", Check: variablesAre(seed)},
		{Name: "delete off a terminal needs --yes", Args: []string{"variables", "delete", "demo/gradio-app", "GREETING"}, WantCode: 1, AnyErrOut: true, Check: variablesAre(seed)},
		{Name: "delete missing key is fine", Args: []string{"variables", "delete", "demo/gradio-app", "NOT_THERE", "--yes"}, Check: variablesAre(seed)},
		{Name: "delete, json", Args: []string{"variables", "delete", "demo/gradio-app", "GREETING", "MODEL_ID", "-y", "--json"}, WantOut: "[]\n", Check: variablesAre(map[string][2]string{})},
		{Name: "not found", Args: []string{"variables", "ls", "demo/nope"}, WantCode: 1,
			WantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
	})
}
