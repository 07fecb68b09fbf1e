package info

import (
	"testing"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdInfoParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdInfo, []clitest.ParseCase[InfoOptions]{
		{Name: "space", Args: []string{"info", "demo/app"}, Want: InfoOptions{Space: "demo/app"}},
		{Name: "json", Args: []string{"info", "--json", "demo/app"}, Want: InfoOptions{Space: "demo/app", JSON: true}},
		{Name: "missing space", Args: []string{"info"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestInfoRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdInfo(f, nil) }
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal", TTY: true, Args: []string{"info", "demo/gradio-app"}, WantOut: "" +
			"demo/gradio-app\n" +
			"  URL:                 {{URL}}/spaces/demo/gradio-app\n" +
			"  Author:              demo\n" +
			"  SDK:                 gradio\n" +
			"  Visibility:          public\n" +
			"  Likes:               3\n" +
			"  Updated:             just now\n" +
			"  Stage:               RUNNING\n" +
			"  Hardware:            cpu-basic\n" +
			"  Requested hardware:  cpu-basic\n" +
			"  Sleep time:          48h\n" +
			"  Storage:             none\n" +
			"  Dev mode:            off\n"},
		{Name: "piped", Args: []string{"info", "demo/gpu-app"}, WantOut: "" +
			"url\t{{URL}}/spaces/demo/gpu-app\nauthor\tdemo\nsdk\tgradio\nvisibility\tprivate\nlikes\t0\nlast_modified\t2025-03-07T12:00:00Z\n" +
			"stage\tRUNNING\nhardware\tt4-small\nrequested_hardware\tt4-small\nsleep_time\tnever\nstorage\tnone\ndev_mode\toff\n"},
		{Name: "json", Args: []string{"info", "demo/gradio-app", "--json"}, WantOut: `{
  "id": "demo/gradio-app",
  "author": "demo",
  "sdk": "gradio",
  "private": false,
  "likes": 3,
  "last_modified": "2025-03-07T12:00:00Z",
  "subdomain": "demo-gradio-app",
  "url": "{{URL}}/spaces/demo/gradio-app",
  "runtime": {
    "stage": "RUNNING",
    "hardware": "cpu-basic",
    "requested_hardware": "cpu-basic",
    "sleep_time": 172800,
    "storage": null,
    "dev_mode": false,
    "sdk": null,
    "error_message": null,
    "volumes": [],
    "domains": [
      {
        "domain": "demo-gradio-app.hf.space",
        "stage": "READY"
      }
    ]
  }
}
`},
		{Name: "not found", Args: []string{"info", "demo/missing"}, WantCode: 1,
			WantErrOut: "error: Space demo/missing not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
	})
}
