package runtimecmd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
)

func TestNewCmdRuntimeParsing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		want     RuntimeOptions
		wantCode int
	}{
		{name: "space", args: []string{"runtime", "demo/app"}, want: RuntimeOptions{Space: "demo/app"}},
		{name: "json", args: []string{"runtime", "demo/app", "--json"}, want: RuntimeOptions{Space: "demo/app", JSON: true}},
		{name: "missing space", args: []string{"runtime"}, wantCode: 1},
		{name: "two spaces", args: []string{"runtime", "a/b", "c/d"}, wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewOffline(t, nil)
			var got *RuntimeOptions
			res := env.Run(NewCmdRuntime(env.Factory, clitest.Capture(&got)), tt.args...)
			if res.Code != tt.wantCode {
				t.Fatalf("exit code %d, want %d (stderr %q)", res.Code, tt.wantCode, res.ErrOut)
			}
			if tt.wantCode != 0 {
				return
			}
			if diff := cmp.Diff(tt.want, *got, clitest.IgnoreDeps); diff != "" {
				t.Errorf("options mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRuntimeRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		tty        bool
		args       []string
		wantCode   int
		wantOut    string
		wantErrOut string
	}{
		{name: "running, terminal", tty: true, args: []string{"runtime", "demo/gradio-app"}, wantOut: "" +
			"demo/gradio-app\n" +
			"  Stage:               RUNNING\n" +
			"  Hardware:            cpu-basic\n" +
			"  Requested hardware:  cpu-basic\n" +
			"  Sleep time:          48h\n" +
			"  Storage:             none\n" +
			"  Dev mode:            off\n"},
		{name: "running, piped", args: []string{"runtime", "demo/gpu-app"}, wantOut: "" +
			"stage\tRUNNING\nhardware\tt4-small\nrequested_hardware\tt4-small\nsleep_time\tnever\nstorage\tnone\ndev_mode\toff\n"},
		{name: "json", args: []string{"runtime", "demo/gpu-app", "--json"}, wantOut: `{
  "stage": "RUNNING",
  "hardware": "t4-small",
  "requested_hardware": "t4-small",
  "sleep_time": null,
  "storage": null,
  "dev_mode": false,
  "sdk": null,
  "error_message": null,
  "volumes": [],
  "domains": [
    {
      "domain": "demo-gpu-app.hf.space",
      "stage": "READY"
    }
  ]
}
`},
		{name: "static space", args: []string{"runtime", "demo/static-site"}, wantOut: "" +
			"stage\tRUNNING\nhardware\tnone\nrequested_hardware\tnone\nsleep_time\tnone\nstorage\tnone\ndev_mode\toff\n"},
		{name: "build error", args: []string{"runtime", "demo/broken-build"}, wantOut: "" +
			"stage\tBUILD_ERROR\nhardware\tnone\nrequested_hardware\tcpu-basic\nsleep_time\t48h\nstorage\tnone\ndev_mode\toff\nerror_message\tBuild failed with exit code: 1: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.5.1, 2.6.0)\n"},
		{name: "not found", args: []string{"runtime", "demo/nope"}, wantCode: 1,
			wantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
		{name: "someone else's private space", args: []string{"runtime", "other/private-space"}, wantCode: 1,
			wantErrOut: "error: Space other/private-space not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
		{name: "invalid id", args: []string{"runtime", "demo/bad..id"}, wantCode: 1,
			wantErrOut: "error: invalid repo id: \"demo/bad..id\" must not contain \"--\" or \"..\"\n"},
		{name: "no namespace", args: []string{"runtime", "gradio-app"}, wantCode: 1,
			wantErrOut: "error: invalid repo id: \"gradio-app\" has no namespace (want \"namespace/name\", e.g. \"your-name/gradio-app\")\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := clitest.New(t, clitest.Options{})
			env.SetTTY(tt.tty)
			res := env.Run(NewCmdRuntime(env.Factory, nil), tt.args...)
			if res.Code != tt.wantCode {
				t.Fatalf("exit code %d, want %d (stderr %q)", res.Code, tt.wantCode, res.ErrOut)
			}
			if diff := cmp.Diff(clitest.Expand(tt.wantOut, env), res.Out); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrOut, res.ErrOut); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
