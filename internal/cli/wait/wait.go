// Package wait implements `hfspaces wait`.
package wait

import (
	"context"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// WaitOptions holds what `wait` needs.
type WaitOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space        string
	Timeout      time.Duration
	PollInterval time.Duration
}

// NewCmdWait builds `hfspaces wait`.
func NewCmdWait(f *cmdutil.Factory, runF func(*WaitOptions) error) *cobra.Command {
	opts := &WaitOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "wait SPACE",
		Short: "Wait until a Space has finished building and starting",
		Long: "Wait while a Space builds or starts, showing its stage on a terminal.\n\n" +
			"Exit status: 0 when it runs; 1 when it settles in another stage (BUILD_ERROR,\n" +
			"PAUSED, …); 8 when --timeout passes while it is still building or starting;\n" +
			"2 when interrupted.",
		Example: "  $ hfspaces wait demo/gradio-app\n  $ hfspaces restart demo/gradio-app && hfspaces wait demo/gradio-app --timeout 10m",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return waitRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 5*time.Minute, "give up after this long (exit 8); 0 waits forever")
	cmd.Flags().DurationVar(&opts.PollInterval, "interval", f.WaitInterval, "how often to check at first (default 1s, slowing down to 10s)")
	return cmd
}

func waitRun(ctx context.Context, opts *WaitOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := cmdutil.WaitForSpace(ctx, opts.IO, client, opts.Space, cmdutil.WaitOptions{Timeout: opts.Timeout, PollInterval: opts.PollInterval})
	if opts.JSON && rt != nil {
		if jerr := cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt)); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil {
		return err
	}
	cmdutil.Success(opts.IO, "%s is %s on %s", opts.Space, cmdutil.StageText(opts.IO.ColorScheme(), rt.Stage), cmdutil.HardwareText(rt))
	return nil
}
