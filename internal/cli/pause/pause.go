// Package pause implements `hfspaces pause`.
package pause

import (
	"context"

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

	Space string
}

// NewCmdPause builds `hfspaces pause`.
func NewCmdPause(f *cmdutil.Factory, runF func(*PauseOptions) error) *cobra.Command {
	opts := &PauseOptions{IO: f.IOStreams, Client: f.Client}
	return &cobra.Command{
		Use:   "pause SPACE",
		Short: "Pause a Space",
		Long: "Pause a Space: it stops running (and stops costing) until it is restarted.\n" +
			"Unlike sleeping, a paused Space does not wake up on a visit.",
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
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
	}
	cmdutil.Success(opts.IO, "Paused %s (stage %s). Start it again with `hfspaces restart %s`.", opts.Space, cmdutil.StageText(opts.IO.ColorScheme(), rt.Stage), opts.Space)
	return nil
}
