// Package restart implements `hfspaces restart`.
package restart

import (
	"context"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// RestartOptions holds what `restart` needs.
type RestartOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*hfhub.Client, error)
	Prompter cmdutil.Prompter
	JSON     bool
	Yes      bool

	Space         string
	FactoryReboot bool
	Wait          bool
	Timeout       time.Duration
	PollInterval  time.Duration
}

// NewCmdRestart builds `hfspaces restart`.
func NewCmdRestart(f *cmdutil.Factory, runF func(*RestartOptions) error) *cobra.Command {
	opts := &RestartOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter}
	cmd := &cobra.Command{
		Use:   "restart SPACE",
		Short: "Restart a Space (also starts a paused one)",
		Long: "Restart a Space. It rebuilds and starts again; a paused Space starts.\n\n" +
			"--factory-reboot rebuilds from scratch without the build cache; it asks for\n" +
			"confirmation on a terminal and needs --yes otherwise.\n" +
			"--wait waits until the Space has rebuilt and runs (exit 0), settles in another\n" +
			"stage (exit 1) or --timeout passes (exit 8).",
		Example: "  $ hfspaces restart demo/gradio-app --wait\n  $ hfspaces restart demo/gradio-app --factory-reboot --yes",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return restartRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.FactoryReboot, "factory-reboot", false, "rebuild from scratch, without the build cache")
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "wait until the Space settles")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "with --wait, give up after this long (exit 8)")
	cmd.Flags().DurationVar(&opts.PollInterval, "interval", f.WaitInterval, "with --wait, how often to check at first (default 1s)")
	return cmd
}

func restartRun(ctx context.Context, opts *RestartOptions) error {
	if opts.FactoryReboot {
		if err := cmdutil.ConfirmDestructive(ctx, opts.IO, opts.Prompter, opts.Yes, "factory-reboot "+opts.Space+" (a full rebuild without the cache)"); err != nil {
			return err
		}
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := client.Spaces.Restart(ctx, opts.Space, &hfhub.RestartOptions{FactoryReboot: opts.FactoryReboot})
	if err != nil {
		return cmdutil.OutcomeUnknown(err, "hfspaces runtime "+opts.Space)
	}
	what := "Restarted"
	if opts.FactoryReboot {
		what = "Factory-rebooted"
	}
	cs := opts.IO.ColorScheme()
	if !opts.Wait {
		if opts.JSON {
			return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
		}
		cmdutil.Success(opts.IO, "%s %s (stage %s). Follow it with `hfspaces wait %s`.", what, opts.Space, cmdutil.StageText(cs, rt.Stage), opts.Space)
		return nil
	}
	cmdutil.Success(opts.IO, "%s %s", what, opts.Space)
	// A runtime read right after the restart may show the Space as it was
	// before (settled): wait until it has been seen rebuilding.
	return cmdutil.WaitAndReport(ctx, opts.IO, client, opts.Space, cmdutil.WaitOptions{Timeout: opts.Timeout, PollInterval: opts.PollInterval,
		AfterRebuild: true}, opts.JSON)
}
