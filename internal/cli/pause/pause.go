// Package pause implements `hfspaces pause`.
package pause

import (
	"context"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// PauseOptions holds what `pause` needs.
type PauseOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space        string
	Wait         bool
	Timeout      time.Duration
	PollInterval time.Duration
}

// NewCmdPause builds `hfspaces pause`.
func NewCmdPause(f *cmdutil.Factory, runF func(*PauseOptions) error) *cobra.Command {
	opts := &PauseOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "pause SPACE",
		Short: "Pause a Space",
		Long: "Pause a Space: it stops running (and stops costing) until it is restarted.\n" +
			"Unlike sleeping, a paused Space does not wake up on a visit.\n\n" +
			"--wait waits until the runtime shows it PAUSED (exit 0), or --timeout passes\n" +
			"(exit 8).",
		Example: "  $ hfspaces pause demo/gradio-app\n  $ hfspaces restart demo/gradio-app   # start it again",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return pauseRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "wait until the runtime shows the Space paused")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 5*time.Minute, "with --wait, give up after this long (exit 8)")
	cmd.Flags().DurationVar(&opts.PollInterval, "interval", f.WaitInterval, "with --wait, how often to check at first (default 1s)")
	return cmd
}

func pauseRun(ctx context.Context, opts *PauseOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := client.Spaces.Pause(ctx, opts.Space)
	if err != nil {
		return err
	}
	if opts.Wait {
		return cmdutil.WaitAndReport(ctx, opts.IO, client, opts.Space, cmdutil.WaitOptions{Timeout: opts.Timeout, PollInterval: opts.PollInterval,
			Goal: hfhub.StagePaused, Until: func(rt *hfhub.SpaceRuntime) bool { return rt.Stage == hfhub.StagePaused }}, opts.JSON)
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
	}
	cmdutil.Success(opts.IO, "Paused %s (stage %s). Start it again with `hfspaces restart %s`.", opts.Space, cmdutil.StageText(opts.IO.ColorScheme(), rt.Stage), opts.Space)
	return nil
}
