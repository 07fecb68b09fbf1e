// Package settings implements `hfspaces settings`.
package settings

import (
	"context"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// SettingsOptions holds what `settings` needs.
type SettingsOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*hfhub.Client, error)
	Prompter cmdutil.Prompter
	JSON     bool
	Yes      bool

	Space        string
	Hardware     hfhub.Hardware
	SleepTime    *int             // nil: unchanged; -1: never
	Visibility   hfhub.Visibility // "": unchanged
	Wait         bool
	Timeout      time.Duration
	PollInterval time.Duration
}

// NewCmdSettings builds `hfspaces settings`.
func NewCmdSettings(f *cmdutil.Factory, runF func(*SettingsOptions) error) *cobra.Command {
	opts := &SettingsOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter}
	var hardware, sleepTime, visibility string
	cmd := &cobra.Command{
		Use:   "settings SPACE [--hardware FLAVOR] [--sleep-time SECONDS|never] [--visibility V]",
		Short: "Change a Space's hardware, sleep time or visibility",
		Long: "Request other hardware for a Space, or change how long it idles before sleeping.\n\n" +
			"A hardware change rebuilds the Space; --wait waits until it runs on the new\n" +
			"flavor. An unknown flavor is still sent (new flavors appear often) and the Hub\n" +
			"decides; a likely typo gets a suggestion. `hfspaces hardware` lists the catalog.\n" +
			"On a terminal, hardware that costs money is requested only after a yes to a\n" +
			"question that shows its price per hour (--yes skips it; piped, no question).\n\n" +
			"--sleep-time takes seconds, a duration (30m, 2h) or never. Free cpu-basic\n" +
			"hardware always sleeps after 48 hours.\n\n" +
			"--visibility makes the Space public, private, or protected (the app is public,\n" +
			"the files are not).",
		Example: "  $ hfspaces settings demo/gradio-app --hardware t4-small --wait\n" +
			"  $ hfspaces settings demo/gradio-app --hardware cpu-basic\n" +
			"  $ hfspaces settings demo/gpu-app --sleep-time 1h\n" +
			"  $ hfspaces settings demo/gpu-app --sleep-time never\n" +
			"  $ hfspaces settings demo/gpu-app --visibility private",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			opts.Hardware = hfhub.Hardware(hardware)
			if cmd.Flags().Changed("hardware") && hardware == "" {
				return cmdutil.FlagErrorf("--hardware: empty flavor (see `hfspaces hardware`)")
			}
			if cmd.Flags().Changed("sleep-time") {
				n, err := cmdutil.ParseSleepTime(sleepTime)
				if err != nil {
					return err
				}
				opts.SleepTime = &n
			}
			if cmd.Flags().Changed("visibility") {
				v, err := cmdutil.ParseVisibility(visibility)
				if err != nil {
					return err
				}
				opts.Visibility = v
			}
			if opts.Hardware == "" && opts.SleepTime == nil && opts.Visibility == "" {
				return cmdutil.FlagErrorf("nothing to change: give --hardware FLAVOR, --sleep-time SECONDS|never and/or --visibility public|private|protected")
			}
			if opts.Wait && opts.Hardware == "" {
				return cmdutil.FlagErrorf("--wait needs --hardware: changing the sleep time does not rebuild the Space")
			}
			if runF != nil {
				return runF(opts)
			}
			return settingsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&hardware, "hardware", "", "hardware flavor, e.g. cpu-basic, t4-small, a10g-large")
	cmd.Flags().StringVar(&sleepTime, "sleep-time", "", "idle time before sleeping: seconds, a duration (1h) or never")
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "wait until the Space runs on the new hardware")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "with --wait, give up after this long (exit 8)")
	cmd.Flags().DurationVar(&opts.PollInterval, "interval", f.WaitInterval, "with --wait, how often to check at first (default 1s)")
	cmd.Flags().StringVar(&visibility, "visibility", "", "who sees the Space: public, private or protected (public app, private files)")
	cmd.RegisterFlagCompletionFunc("hardware", cmdutil.CompleteHardware)
	cmd.RegisterFlagCompletionFunc("sleep-time", cmdutil.CompleteSleepTime)
	cmd.RegisterFlagCompletionFunc("visibility", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"public", "private", "protected"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func settingsRun(ctx context.Context, opts *SettingsOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	cs := opts.IO.ColorScheme()
	if opts.Hardware != "" {
		// Asked before anything changes: a "no" leaves the Space as it was.
		if err := cmdutil.ConfirmPaidHardware(ctx, opts.IO, opts.Prompter, client, opts.Yes, opts.Hardware, opts.Space); err != nil {
			return err
		}
	}
	if opts.Visibility != "" {
		if err := client.Spaces.UpdateSettings(ctx, opts.Space, &hfhub.SettingsOptions{Visibility: opts.Visibility}); err != nil {
			return err
		}
		if !opts.JSON {
			cmdutil.Success(opts.IO, "%s is now %s", opts.Space, cs.Bold(string(opts.Visibility)))
		}
		if opts.Hardware == "" && opts.SleepTime == nil {
			if opts.JSON {
				return cmdutil.WriteJSON(opts.IO, struct {
					RepoID     string `json:"repo_id"`
					Visibility string `json:"visibility"`
				}{opts.Space, string(opts.Visibility)})
			}
			return nil
		}
	}
	var rt *hfhub.SpaceRuntime
	if opts.Hardware != "" {
		rt, err = client.Spaces.RequestHardware(ctx, opts.Space, opts.Hardware, &hfhub.HardwareOptions{SleepTime: opts.SleepTime})
		if err != nil {
			return cmdutil.HardwareError(ctx, client, opts.Hardware, err)
		}
		if !opts.Hardware.Known() && !opts.JSON {
			cmdutil.Warn(opts.IO, "%s is not a flavor this version knows; the Hub accepted it.", opts.Hardware)
		}
		cmdutil.Success(opts.IO, "Requested %s for %s (now %s, stage %s)", cs.Bold(string(opts.Hardware)), opts.Space, cmdutil.HardwareText(rt), cmdutil.StageText(cs, rt.Stage))
	} else {
		rt, err = client.Spaces.SetSleepTime(ctx, opts.Space, *opts.SleepTime)
		if err != nil {
			return err
		}
	}
	if opts.SleepTime != nil {
		hw := rt.RequestedHardware
		if hw == "" {
			hw = rt.Hardware
		}
		if hw == hfhub.HardwareCPUBasic && !opts.JSON {
			cmdutil.Warn(opts.IO, "%s runs on free cpu-basic hardware, which always sleeps after 48h; the sleep time applies on upgraded hardware.", opts.Space)
		}
		cmdutil.Success(opts.IO, "Sleep time of %s: %s", opts.Space, cmdutil.SleepTimeText(opts.SleepTime))
	}
	if !opts.Wait {
		if opts.JSON {
			return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
		}
		return nil
	}
	// Until the Space runs on the flavor asked for: a runtime read right
	// after the request may still show the old one, settled.
	return cmdutil.WaitAndReport(ctx, opts.IO, client, opts.Space, cmdutil.WaitOptions{Timeout: opts.Timeout, PollInterval: opts.PollInterval,
		Until: cmdutil.UntilHardware(opts.Hardware)}, opts.JSON)
}
