package storage

import (
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdRequestParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdRequest, []clitest.ParseCase[RequestOptions]{
		{Name: "small", Args: []string{"request", "demo/app", "small"}, Want: RequestOptions{Space: "demo/app", Tier: hfhub.StorageSmall}},
		{Name: "case", Args: []string{"request", "demo/app", "LARGE", "--json"}, Want: RequestOptions{Space: "demo/app", Tier: hfhub.StorageLarge, JSON: true}},
		{Name: "unknown tier", Args: []string{"request", "demo/app", "huge"}, WantCode: 1, WantErr: `unknown storage tier "huge"`},
		{Name: "missing tier", Args: []string{"request", "demo/app"}, WantCode: 1, WantErr: "missing arguments"},
	})
}

func TestNewCmdDeleteParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDelete, []clitest.ParseCase[DeleteOptions]{
		{Name: "space", Args: []string{"delete", "demo/app"}, Want: DeleteOptions{Space: "demo/app"}},
		{Name: "yes", Args: []string{"rm", "demo/app", "--yes"}, Want: DeleteOptions{Space: "demo/app", Yes: true}},
		{Name: "missing space", Args: []string{"delete"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestStorageRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdStorage(f) }
	storageIs := func(want hfhub.Storage) func(*testing.T, *clitest.Env, clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			c, _ := e.Factory.Client()
			rt, err := c.Spaces.GetRuntime(t.Context(), "demo/gradio-app")
			if err != nil {
				t.Fatal(err)
			}
			if rt.Storage != want {
				t.Errorf("storage = %q, want %q", rt.Storage, want)
			}
		}
	}
	withStorage := func(t *testing.T, e *clitest.Env) {
		c, _ := e.Factory.Client()
		if _, err := c.Spaces.RequestStorage(t.Context(), "demo/gradio-app", hfhub.StorageSmall); err != nil {
			t.Fatal(err)
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "request, terminal", TTY: true, Args: []string{"storage", "request", "demo/gradio-app", "medium"}, Check: storageIs("medium"),
			WantOut: "✓ Requested medium storage for demo/gradio-app\n"},
		{Name: "request, json", Args: []string{"storage", "request", "demo/gradio-app", "small", "--json"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantJSONFields(t, r.Out, map[string]any{"storage": "small"})
			}},
		{Name: "delete confirmed", TTY: true, Confirm: true, Setup: withStorage, Args: []string{"storage", "delete", "demo/gradio-app"}, Check: storageIs(""),
			WantOut: "✓ Deleted the persistent storage of demo/gradio-app\n"},
		{Name: "delete declined", TTY: true, Setup: withStorage, Args: []string{"storage", "delete", "demo/gradio-app"}, Check: storageIs("small"),
			WantCode: 2, WantErrOut: "Cancelled.\n"},
		{Name: "delete off a terminal needs --yes", Setup: withStorage, Args: []string{"storage", "delete", "demo/gradio-app"}, Check: storageIs("small"),
			WantCode: 1, WantErrOut: "error: refusing to delete the persistent storage of demo/gradio-app and all data on it without confirmation: pass --yes (standard input is not a terminal)\n" +
				"Run `hfspaces storage delete --help` for usage.\n"},
		{Name: "delete with --yes", Setup: withStorage, Args: []string{"storage", "delete", "demo/gradio-app", "--yes", "--json"}, Check: storageIs(""), AnyOut: true},
		{Name: "delete when there is none", Args: []string{"storage", "delete", "demo/gradio-app", "--yes"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: The Hub refused deleting the storage of demo/gradio-app (400 Bad Request)")
			}},
		{Name: "group without a subcommand shows help", Args: []string{"storage"}, AnyOut: true},
		{Name: "unknown subcommand", Args: []string{"storage", "add", "demo/gradio-app"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, `error: unknown command "add" for "hfspaces storage"`)
			}},
	})
}
