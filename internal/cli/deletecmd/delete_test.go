package deletecmd

import (
	"errors"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdDeleteParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDelete, []clitest.ParseCase[DeleteOptions]{
		{Name: "space", Args: []string{"delete", "demo/app"}, Want: DeleteOptions{Space: "demo/app"}},
		{Name: "yes, missing ok, json", Args: []string{"delete", "demo/app", "--yes", "--missing-ok", "--json"},
			Want: DeleteOptions{Space: "demo/app", Yes: true, MissingOK: true, JSON: true}},
		{Name: "short yes", Args: []string{"delete", "demo/app", "-y"}, Want: DeleteOptions{Space: "demo/app", Yes: true}},
		{Name: "missing space", Args: []string{"delete"}, WantCode: 1, WantErr: "missing the Space id"},
		{Name: "too many", Args: []string{"delete", "a/b", "c/d"}, WantCode: 1, WantErr: "too many arguments"},
	})
}

func TestDeleteRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdDelete(f, nil) }
	gone := func(id string, want bool) func(t *testing.T, e *clitest.Env, r clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			t.Helper()
			c, _ := e.Factory.Client()
			_, err := c.Spaces.GetInfo(t.Context(), id)
			if got := errors.Is(err, hfhub.ErrNotFound); got != want {
				t.Errorf("%s gone = %v (%v), want %v", id, got, err, want)
			}
		}
	}
	const question = "This will delete the Space demo/gradio-app, and cannot be undone. Type demo/gradio-app to confirm:"
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal, typed the id", TTY: true, Args: []string{"delete", "demo/gradio-app"},
			Setup:   func(t *testing.T, e *clitest.Env) { e.Prompter.Typed = "demo/gradio-app" },
			WantOut: "✓ Deleted demo/gradio-app\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e, question)
				gone("demo/gradio-app", true)(t, e, r)
			}},
		{Name: "terminal, typed something else", TTY: true, Args: []string{"delete", "demo/gradio-app"}, WantCode: 2,
			Setup:      func(t *testing.T, e *clitest.Env) { e.Prompter.Typed = "gradio-app" },
			WantErrOut: "! \"gradio-app\" is not demo/gradio-app: nothing was done.\nCancelled.\n",
			Check:      gone("demo/gradio-app", false)},
		{Name: "terminal with --yes asks nothing", TTY: true, Args: []string{"delete", "demo/gradio-app", "--yes"}, WantOut: "✓ Deleted demo/gradio-app\n",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e)
				gone("demo/gradio-app", true)(t, e, r)
			}},
		{Name: "piped without --yes refuses", Args: []string{"delete", "demo/gradio-app"}, WantCode: 1,
			WantErrOut: "error: refusing to delete the Space demo/gradio-app without confirmation: pass --yes (standard input is not a terminal)\nRun `hfspaces delete --help` for usage.\n",
			Check:      gone("demo/gradio-app", false)},
		{Name: "piped with --yes", Args: []string{"delete", "demo/gradio-app", "--yes"}, Check: gone("demo/gradio-app", true)},
		{Name: "json", Args: []string{"delete", "demo/gradio-app", "--yes", "--json"},
			WantOut: "{\n  \"repo_id\": \"demo/gradio-app\",\n  \"deleted\": true\n}\n"},
		{Name: "missing", Args: []string{"delete", "demo/nope", "--yes"}, WantCode: 1,
			WantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`; --missing-ok makes this a success\n"},
		{Name: "bad id: refused before asking", TTY: true, Args: []string{"delete", "demo/bad..id"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantAsked(t, e)
				clitest.WantPrefix(t, r.ErrOut, "error: invalid repo id")
			}},
		{Name: "missing, missing-ok", Args: []string{"delete", "demo/nope", "--yes", "--missing-ok"}},
		{Name: "missing, missing-ok, json: not deleted", Args: []string{"delete", "demo/nope", "--yes", "--missing-ok", "--json"},
			WantOut: "{\n  \"repo_id\": \"demo/nope\",\n  \"deleted\": false\n}\n"},
		{Name: "read-only token", Opts: clitest.Options{Token: "hf_demo_read"}, Args: []string{"delete", "demo/gradio-app", "--yes"}, WantCode: 4, AnyErrOut: true,
			Check: gone("demo/gradio-app", false)},
	})
}
