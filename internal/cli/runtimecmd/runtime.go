// Package runtimecmd implements `hfspaces runtime`.
package runtimecmd

import (
	"context"
	"fmt"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// RuntimeOptions holds what `runtime` needs.
type RuntimeOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space string
}

// NewCmdRuntime builds `hfspaces runtime`.
func NewCmdRuntime(f *cmdutil.Factory, runF func(*RuntimeOptions) error) *cobra.Command {
	opts := &RuntimeOptions{IO: f.IOStreams, Client: f.Client}
	return &cobra.Command{
		Use:     "runtime SPACE",
		Short:   "Show a Space's stage, hardware, sleep time, storage and dev mode",
		Long:    "Show a Space's runtime: its stage, the hardware it runs on and the hardware requested,\nits sleep time, persistent storage, dev mode and volumes.",
		Example: "  $ hfspaces runtime demo/gradio-app\n  $ hfspaces runtime demo/gradio-app --json | jq -r .stage",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return runtimeRun(cmd.Context(), opts)
		},
	}
}

func runtimeRun(ctx context.Context, opts *RuntimeOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := client.Spaces.GetRuntime(ctx, opts.Space)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
	}
	if opts.IO.IsStdoutTTY() {
		fmt.Fprintln(opts.IO.Out, opts.IO.ColorScheme().Bold(opts.Space))
	}
	return cmdutil.PrintFields(opts.IO, RuntimeFields(opts.IO.ColorScheme(), rt))
}

// RuntimeFields describes a runtime as summary lines (shared with `info`).
func RuntimeFields(cs *iostreams.ColorScheme, rt *hfhub.SpaceRuntime) []cmdutil.Field {
	stage := rt.Stage
	fields := []cmdutil.Field{
		{Label: "Stage", Key: "stage", Value: string(stage), Color: func(string) string { return cmdutil.StageText(cs, stage) }},
		{Label: "Hardware", Key: "hardware", Value: orNone(string(rt.Hardware))},
		{Label: "Requested hardware", Key: "requested_hardware", Value: orNone(string(rt.RequestedHardware))},
		{Label: "Sleep time", Key: "sleep_time", Value: cmdutil.RuntimeSleepText(rt)},
		{Label: "Storage", Key: "storage", Value: cmdutil.StorageText(rt.Storage)},
		{Label: "Dev mode", Key: "dev_mode", Value: onOff(rt.DevMode)},
	}
	for i, v := range rt.Volumes {
		fields = append(fields, cmdutil.Field{Label: "Volume", Key: fmt.Sprintf("volume_%d", i+1), Value: cmdutil.VolumeText(v)})
	}
	if rt.ErrorMessage != "" {
		fields = append(fields, cmdutil.Field{Label: "Error", Key: "error_message", Value: rt.ErrorMessage, Color: cs.Red})
	}
	return fields
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
