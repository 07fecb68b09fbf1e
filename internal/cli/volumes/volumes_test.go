package volumes

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdSetParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdSet, []clitest.ParseCase[SetOptions]{
		{Name: "one", Args: []string{"set", "demo/app", "-v", "model:demo/bert:/models:ro"},
			Want: SetOptions{Space: "demo/app", Volumes: []hfhub.Volume{{Type: "model", Source: "demo/bert", MountPath: "/models", ReadOnly: new(true)}}}},
		{Name: "two and hf form", Args: []string{"set", "demo/app", "--volume", "dataset:demo/data@v2:/data", "-v", "hf://buckets/demo/b:/scratch:rw"},
			Want: SetOptions{Space: "demo/app", Volumes: []hfhub.Volume{
				{Type: "dataset", Source: "demo/data", Revision: "v2", MountPath: "/data"},
				{Type: "bucket", Source: "demo/b", MountPath: "/scratch", ReadOnly: new(false)}}}},
		{Name: "none", Args: []string{"set", "demo/app"}, WantCode: 1, WantErr: "no volumes given"},
		{Name: "malformed", Args: []string{"set", "demo/app", "-v", "model:demo/bert"}, WantCode: 1, WantErr: "missing ':/MOUNT'"},
		{Name: "relative mount", Args: []string{"set", "demo/app", "-v", "model:demo/bert:models"}, WantCode: 1, WantErr: "-v"},
	})
}

func TestNewCmdListParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdList, []clitest.ParseCase[ListOptions]{
		{Name: "ls", Args: []string{"ls", "demo/app"}, Want: ListOptions{Space: "demo/app"}},
		{Name: "list json", Args: []string{"list", "demo/app", "--json"}, Want: ListOptions{Space: "demo/app", JSON: true}},
		{Name: "missing", Args: []string{"ls"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestNewCmdDeleteParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDelete, []clitest.ParseCase[DeleteOptions]{
		{Name: "space", Args: []string{"delete", "demo/app", "--yes"}, Want: DeleteOptions{Space: "demo/app", Yes: true}},
		{Name: "missing", Args: []string{"delete"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestVolumesRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdVolumes(f) }
	mounted := func(t *testing.T, e *clitest.Env) {
		c, _ := e.Factory.Client()
		err := c.Spaces.SetVolumes(t.Context(), "demo/gradio-app", []hfhub.Volume{
			{Type: "model", Source: "demo/bert", MountPath: "/models", ReadOnly: new(true)},
			{Type: "dataset", Source: "demo/data", Revision: "v2", MountPath: "/data"},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	volumesAre := func(want []hfhub.Volume) func(*testing.T, *clitest.Env, clitest.Result) {
		return func(t *testing.T, e *clitest.Env, r clitest.Result) {
			c, _ := e.Factory.Client()
			rt, err := c.Spaces.GetRuntime(t.Context(), "demo/gradio-app")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, rt.Volumes); diff != "" {
				t.Errorf("volumes mismatch (-want +got):\n%s", diff)
			}
		}
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "ls, terminal", TTY: true, Setup: mounted, Args: []string{"volumes", "ls", "demo/gradio-app"}, WantOut: "" +
			"TYPE     SOURCE     REVISION  PATH  MOUNT    ACCESS\n" +
			"model    demo/bert  -         -     /models  read-only\n" +
			"dataset  demo/data  v2        -     /data    read-write\n"},
		{Name: "ls, piped", Setup: mounted, Args: []string{"volumes", "ls", "demo/gradio-app"}, WantOut: "" +
			"model\tdemo/bert\t-\t-\t/models\tread-only\ndataset\tdemo/data\tv2\t-\t/data\tread-write\n"},
		{Name: "ls, json", Setup: mounted, Args: []string{"volumes", "ls", "demo/gradio-app", "--json"}, WantOut: `[
  {
    "type": "model",
    "source": "demo/bert",
    "mount_path": "/models",
    "revision": null,
    "read_only": true,
    "path": null
  },
  {
    "type": "dataset",
    "source": "demo/data",
    "mount_path": "/data",
    "revision": "v2",
    "read_only": false,
    "path": null
  }
]
`},
		{Name: "ls, none", TTY: true, Args: []string{"volumes", "ls", "demo/gradio-app"},
			WantOut: "demo/gradio-app has no volumes. Mount one with `hfspaces volumes set demo/gradio-app -v model:NAMESPACE/NAME:/models:ro`.\n"},
		{Name: "ls, none, json", Args: []string{"volumes", "ls", "demo/gradio-app", "--json"}, WantOut: "[]\n"},
		{Name: "set", TTY: true, Args: []string{"volumes", "set", "demo/gradio-app", "-v", "model:demo/bert:/models:ro"},
			WantOut: "✓ Mounted model:demo/bert:/models:ro on demo/gradio-app\n",
			Check:   volumesAre([]hfhub.Volume{{Type: "model", Source: "demo/bert", MountPath: "/models", ReadOnly: new(true)}})},
		{Name: "set replaces", Setup: mounted, Args: []string{"volumes", "set", "demo/gradio-app", "-v", "bucket:demo/b:/scratch"},
			Check: volumesAre([]hfhub.Volume{{Type: "bucket", Source: "demo/b", MountPath: "/scratch"}})},
		{Name: "delete confirmed", TTY: true, Confirm: true, Setup: mounted, Args: []string{"volumes", "delete", "demo/gradio-app"},
			WantOut: "✓ Removed all volumes from demo/gradio-app\n", Check: volumesAre(nil)},
		{Name: "delete off a terminal needs --yes", Setup: mounted, Args: []string{"volumes", "delete", "demo/gradio-app"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if len(e.Prompter.Asked) != 0 {
					t.Errorf("asked %q off a terminal", e.Prompter.Asked)
				}
			}},
		{Name: "delete with --yes, json", Setup: mounted, Args: []string{"volumes", "delete", "demo/gradio-app", "--yes", "--json"}, WantOut: "[]\n", Check: volumesAre(nil)},
		{Name: "delete when there are none", Args: []string{"volumes", "delete", "demo/gradio-app", "--yes"}, WantCode: 1, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				clitest.WantPrefix(t, r.ErrOut, "error: The Hub refused deleting the volumes of demo/gradio-app (400 Bad Request)")
			}},
	})
}
