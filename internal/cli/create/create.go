// Package create implements `hfspaces create`.
package create

import (
	"context"
	"fmt"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// CreateOptions holds what `create` needs.
type CreateOptions struct {
	IO        *iostreams.IOStreams
	Client    func() (*hfhub.Client, error)
	Prompter  cmdutil.Prompter
	Yes       bool
	LookupEnv func(string) (string, bool)
	JSON      bool

	Space      string
	SDK        hfhub.SDK
	Visibility hfhub.Visibility
	Storage    hfhub.Storage
	Config     cmdutil.SpaceConfigFlags
	ExistOK    bool
}

// NewCmdCreate builds `hfspaces create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter, LookupEnv: f.LookupEnv}
	var (
		sdk, storage string
		vis          cmdutil.VisibilityFlags
	)
	cmd := &cobra.Command{
		Use:   "create SPACE --sdk SDK [--private|--protected] [flags]",
		Short: "Create a Space",
		Long: "Create a Space with an SDK (gradio, docker, static or streamlit); a SPACE without a\n" +
			"namespace goes to yours. It is public unless --private (nobody else sees it) or\n" +
			"--protected (the app is public, the files are not). It can start with its\n" +
			"hardware, sleep time, storage, secrets (-s, --secrets-file) and variables (-e,\n" +
			"--env-file).\n\n" +
			"The Hub gives a new Space the files of its SDK's template; ship your own with\n" +
			"`hfspaces deploy`, which also creates the Space when it is missing.",
		Example: "  $ hfspaces create demo/my-app --sdk gradio\n" +
			"  $ hfspaces create demo/gpu-app --sdk docker --private --hardware t4-small \\\n" +
			"      --sleep-time 1h -s HF_TOKEN -e MODEL_ID=gpt2",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			if !cmd.Flags().Changed("sdk") {
				return cmdutil.FlagErrorf("missing --sdk: one of %s", strings.Join(cmdutil.SDKNames, ", "))
			}
			var err error
			if opts.SDK, err = cmdutil.ParseSDK(sdk); err != nil {
				return err
			}
			if opts.Visibility, err = vis.Visibility(); err != nil {
				return err
			}
			if storage != "" {
				opts.Storage = hfhub.Storage(strings.ToLower(storage))
				switch opts.Storage {
				case hfhub.StorageSmall, hfhub.StorageMedium, hfhub.StorageLarge:
				default:
					return cmdutil.FlagErrorf("--storage %q: want small, medium or large", storage)
				}
			}
			if err := opts.Config.Parse(cmd.Flags()); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return createRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sdk, "sdk", "", "the Space's SDK: gradio, docker, static or streamlit")
	vis.Bind(cmd, "the Space")
	fl.StringVar(&storage, "storage", "", "persistent storage tier: small, medium or large")
	opts.Config.Bind(cmd)
	fl.BoolVar(&opts.ExistOK, "exist-ok", false, "succeed if the Space exists already (it is left as it is)")
	cmd.RegisterFlagCompletionFunc("sdk", cmdutil.CompleteSDK)
	cmd.RegisterFlagCompletionFunc("storage", cmdutil.CompleteStorage)
	return cmd
}

type resultJSON struct {
	URL    string `json:"url"`
	RepoID string `json:"repo_id"`
}

func createRun(ctx context.Context, opts *CreateOptions) error {
	if err := hfhub.ValidateRepoID(opts.Space); err != nil { // before any prompt for a secret
		return err
	}
	secrets, vars, err := opts.Config.Collect(ctx, opts.IO, opts.Prompter, opts.LookupEnv)
	if err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Space, err = cmdutil.QualifySpaceID(ctx, client, opts.Space); err != nil {
		return err
	}
	if opts.Config.Hardware != "" {
		if err := cmdutil.ConfirmPaidHardware(ctx, opts.IO, opts.Prompter, client, opts.Yes, opts.Config.Hardware, opts.Space); err != nil {
			return err
		}
	}
	opts.IO.StartProgressIndicator("Creating " + opts.Space)
	repo, err := client.Spaces.Create(ctx, opts.Space, &hfhub.CreateOptions{
		SDK: opts.SDK, Visibility: opts.Visibility, Hardware: opts.Config.Hardware, Storage: opts.Storage,
		SleepTime: opts.Config.SleepTime, Secrets: cmdutil.EnvMap(secrets), Variables: cmdutil.EnvMap(vars), ExistOK: opts.ExistOK,
	})
	opts.IO.StopProgressIndicator()
	if err != nil {
		if opts.Config.Hardware != "" {
			err = cmdutil.HardwareError(ctx, client, opts.Config.Hardware, err)
		}
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, resultJSON{URL: repo.URL, RepoID: repo.RepoID})
	}
	if !opts.IO.IsStdoutTTY() {
		_, err := fmt.Fprintln(opts.IO.Out, repo.URL)
		return err
	}
	cs := opts.IO.ColorScheme()
	vis := opts.Visibility
	if vis == "" {
		vis = hfhub.VisibilityPublic
	}
	if opts.ExistOK {
		// A 409 is a success here, and the Hub's answer does not say which.
		cmdutil.Success(opts.IO, "Space %s exists (created now or before; an existing one is left as it was)", cs.Bold(repo.RepoID))
	} else {
		cmdutil.Success(opts.IO, "Created %s Space %s (%s)", vis, cs.Bold(repo.RepoID), opts.SDK)
	}
	var extras []string
	if opts.Config.Hardware != "" {
		extras = append(extras, "hardware "+string(opts.Config.Hardware))
	}
	if opts.Storage != "" {
		extras = append(extras, string(opts.Storage)+" storage")
	}
	if opts.Config.SleepTime != nil {
		extras = append(extras, "sleep time "+cmdutil.SleepTimeText(opts.Config.SleepTime))
	}
	if len(secrets) > 0 {
		extras = append(extras, cmdutil.Plural(len(secrets), "secret"))
	}
	if len(vars) > 0 {
		extras = append(extras, cmdutil.Plural(len(vars), "variable"))
	}
	if len(extras) > 0 {
		fmt.Fprintf(opts.IO.Out, "  with %s\n", strings.Join(extras, ", "))
	}
	fmt.Fprintf(opts.IO.Out, "  %s\n", cs.Cyan(repo.URL))
	return nil
}
