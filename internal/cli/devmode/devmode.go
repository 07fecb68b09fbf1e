// Package devmode implements `hfspaces dev-mode`.
package devmode

import (
	"context"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// DevModeOptions holds what `dev-mode` needs.
type DevModeOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space string
	Stop  bool
}

// NewCmdDevMode builds `hfspaces dev-mode`.
func NewCmdDevMode(f *cmdutil.Factory, runF func(*DevModeOptions) error) *cobra.Command {
	opts := &DevModeOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "dev-mode SPACE [--stop]",
		Short: "Turn a Space's dev mode on or off",
		Long: "Turn dev mode on (or off with --stop). In dev mode you can connect to the running\n" +
			"container over SSH or VS Code and restart the app without rebuilding the Space.",
		Example: "  $ hfspaces dev-mode demo/gradio-app\n  $ hfspaces dev-mode demo/gradio-app --stop",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return devModeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Stop, "stop", false, "turn dev mode off")
	return cmd
}

func devModeRun(ctx context.Context, opts *DevModeOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	var rt *hfhub.SpaceRuntime
	if opts.Stop {
		rt, err = client.Spaces.DisableDevMode(ctx, opts.Space)
	} else {
		rt, err = client.Spaces.EnableDevMode(ctx, opts.Space)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
	}
	if opts.Stop {
		cmdutil.Success(opts.IO, "Dev mode off for %s", opts.Space)
	} else {
		cmdutil.Success(opts.IO, "Dev mode on for %s (stage %s)", opts.Space, cmdutil.StageText(opts.IO.ColorScheme(), rt.Stage))
	}
	return nil
}
