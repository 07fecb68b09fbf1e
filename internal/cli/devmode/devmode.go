// Package devmode implements `hfspaces dev-mode`.
package devmode

import (
	"context"
	"time"

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

	Space        string
	Stop         bool
	Wait         bool
	Timeout      time.Duration
	PollInterval time.Duration
}

// NewCmdDevMode builds `hfspaces dev-mode`.
func NewCmdDevMode(f *cmdutil.Factory, runF func(*DevModeOptions) error) *cobra.Command {
	opts := &DevModeOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "dev-mode SPACE [--stop]",
		Short: "Turn a Space's dev mode on or off",
		Long: "Turn dev mode on (or off with --stop). In dev mode you can connect to the running\n" +
			"container over SSH or VS Code and restart the app without rebuilding the Space.\n\n" +
			"--wait waits until the runtime shows the change and the Space runs (exit 0),\n" +
			"settles in another stage (exit 1) or --timeout passes (exit 8).",
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
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "wait until the runtime shows the change and the Space runs")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "with --wait, give up after this long (exit 8)")
	cmd.Flags().DurationVar(&opts.PollInterval, "interval", f.WaitInterval, "with --wait, how often to check at first (default 1s)")
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
	if opts.Wait {
		want := !opts.Stop
		return cmdutil.WaitAndReport(ctx, opts.IO, client, opts.Space, cmdutil.WaitOptions{Timeout: opts.Timeout, PollInterval: opts.PollInterval,
			Until: func(rt *hfhub.SpaceRuntime) bool { return rt.DevMode == want }}, opts.JSON)
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
