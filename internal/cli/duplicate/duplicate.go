// Package duplicate implements `hfspaces duplicate`.
package duplicate

import (
	"context"
	"fmt"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// DuplicateOptions holds what `duplicate` needs.
type DuplicateOptions struct {
	IO        *iostreams.IOStreams
	Client    func() (*hfhub.Client, error)
	Prompter  cmdutil.Prompter
	LookupEnv func(string) (string, bool)
	JSON      bool
	Yes       bool

	From        string
	To          string
	Visibility  string // "", "public", "private" or "protected"
	Hardware    hfhub.Hardware
	Storage     hfhub.Storage
	SleepTime   *int
	SecretPairs []string
	SecretFiles []string
	EnvPairs    []string
	EnvFiles    []string
	Volumes     []hfhub.Volume
	ExistOK     bool
}

// NewCmdDuplicate builds `hfspaces duplicate`.
func NewCmdDuplicate(f *cmdutil.Factory, runF func(*DuplicateOptions) error) *cobra.Command {
	opts := &DuplicateOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter, LookupEnv: f.LookupEnv}
	var (
		private, public, protected bool
		hardware, storage, sleep   string
		volumeSpecs                []string
	)
	cmd := &cobra.Command{
		Use:   "duplicate FROM [TO]",
		Short: "Copy a Space, optionally onto other hardware and with its own secrets",
		Long: "Duplicate a Space. TO defaults to FROM's name in your own namespace; a TO without a\n" +
			"namespace goes to your namespace too. The copy can get its own hardware, storage,\n" +
			"sleep time, secrets (-s, --secrets-file), variables (-e, --env-file) and volumes (-v).\n\n" +
			"Secrets of the original are not copied: give them again with -s.\n\n" +
			"On a terminal, --hardware that costs money is requested only after a yes to a\n" +
			"question that shows its price per hour (--yes skips it; piped, no question).\n\n" +
			"--storage: persistent storage is deprecated upstream and will be removed in\n" +
			"huggingface_hub 2.0 in favour of volumes (-v); prefer a bucket or dataset volume.",
		Example: "  $ hfspaces duplicate demo/gradio-app demo/my-copy --private\n" +
			"  $ hfspaces duplicate demo/gradio-app my-gpu-copy --hardware t4-small --storage small \\\n" +
			"      -s OPENAI_API_KEY -e MODEL_ID=gpt2 --sleep-time 1h",
		Args: cmdutil.RangeArgs(1, 2, "missing the Space to duplicate, e.g. demo/gradio-app"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.From = args[0]
			if len(args) > 1 {
				opts.To = args[1]
			}
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			n := 0
			for v, name := range map[*bool]string{&private: "private", &public: "public", &protected: "protected"} {
				if *v {
					n++
					opts.Visibility = name
				}
			}
			if n > 1 {
				return cmdutil.FlagErrorf("choose one of --private, --public and --protected")
			}
			if cmd.Flags().Changed("hardware") && hardware == "" {
				return cmdutil.FlagErrorf("--hardware: empty flavor (see `hfspaces hardware`)")
			}
			opts.Hardware = hfhub.Hardware(hardware)
			if storage != "" {
				opts.Storage = hfhub.Storage(strings.ToLower(storage))
				switch opts.Storage {
				case hfhub.StorageSmall, hfhub.StorageMedium, hfhub.StorageLarge:
				default:
					return cmdutil.FlagErrorf("--storage %q: want small, medium or large", storage)
				}
			}
			if cmd.Flags().Changed("sleep-time") {
				s, err := cmdutil.ParseSleepTime(sleep)
				if err != nil {
					return err
				}
				opts.SleepTime = &s
			}
			opts.Volumes = nil
			for _, s := range volumeSpecs {
				v, err := cmdutil.ParseVolume(s)
				if err != nil {
					return err
				}
				opts.Volumes = append(opts.Volumes, v)
			}
			if runF != nil {
				return runF(opts)
			}
			return duplicateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&private, "private", false, "make the copy private")
	fl.BoolVar(&public, "public", false, "make the copy public")
	fl.BoolVar(&protected, "protected", false, "make the copy protected (public app, private files)")
	fl.StringVar(&hardware, "hardware", "", "hardware flavor of the copy, e.g. t4-small")
	fl.StringVar(&storage, "storage", "", "persistent storage tier of the copy: small, medium or large (deprecated upstream: prefer volumes, -v)")
	fl.StringVar(&sleep, "sleep-time", "", "sleep time of the copy: seconds, a duration (1h) or never")
	fl.StringArrayVarP(&opts.SecretPairs, "secret", "s", nil, "secret as KEY=VALUE, or KEY to read $KEY or prompt (repeatable)")
	fl.StringArrayVar(&opts.SecretFiles, "secrets-file", nil, "read secrets from a .env file (repeatable)")
	fl.StringArrayVarP(&opts.EnvPairs, "env", "e", nil, "variable as KEY=VALUE, or KEY to read $KEY (repeatable)")
	fl.StringArrayVar(&opts.EnvFiles, "env-file", nil, "read variables from a .env file (repeatable)")
	fl.StringArrayVarP(&volumeSpecs, "volume", "v", nil, "volume as TYPE:SOURCE:/MOUNT[:ro] (repeatable)")
	fl.BoolVar(&opts.ExistOK, "exist-ok", false, "succeed if the target exists already")
	cmd.RegisterFlagCompletionFunc("hardware", cmdutil.CompleteHardware)
	cmd.RegisterFlagCompletionFunc("storage", cmdutil.CompleteStorage)
	cmd.RegisterFlagCompletionFunc("sleep-time", cmdutil.CompleteSleepTime)
	return cmd
}

type resultJSON struct {
	URL    string `json:"url"`
	RepoID string `json:"repo_id"`
}

func duplicateRun(ctx context.Context, opts *DuplicateOptions) error {
	secretSpec := cmdutil.EnvSpec{Kind: "secret", Flag: "-s", Pairs: opts.SecretPairs, Files: opts.SecretFiles, LookupEnv: opts.LookupEnv, Stdin: opts.IO.In}
	if opts.IO.IsStdinTTY() {
		secretSpec.Ask = func(key string) (string, error) {
			return opts.Prompter.Password(ctx, fmt.Sprintf("Value of secret %s (hidden):", key))
		}
	}
	secrets, err := secretSpec.Collect()
	if err != nil {
		return err
	}
	vars, err := cmdutil.EnvSpec{Kind: "variable", Flag: "-e", Pairs: opts.EnvPairs, Files: opts.EnvFiles, LookupEnv: opts.LookupEnv, Stdin: opts.IO.In}.Collect()
	if err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Hardware != "" {
		if err := cmdutil.ConfirmPaidHardware(ctx, opts.IO, opts.Prompter, client, opts.Yes, opts.Hardware, duplicateTarget(opts)); err != nil {
			return err
		}
	}
	opts.IO.StartProgressIndicator("Duplicating " + opts.From)
	repo, err := client.Spaces.Duplicate(ctx, opts.From, &hfhub.DuplicateOptions{
		ToID: opts.To, Visibility: opts.Visibility, Hardware: opts.Hardware, Storage: opts.Storage, SleepTime: opts.SleepTime,
		Secrets: secrets, Variables: vars, Volumes: opts.Volumes, ExistOK: opts.ExistOK,
	})
	opts.IO.StopProgressIndicator()
	if err != nil {
		if opts.Hardware != "" {
			err = cmdutil.HardwareError(ctx, client, opts.Hardware, err)
		}
		return cmdutil.OutcomeUnknown(err, "hfspaces info "+duplicateTarget(opts))
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, resultJSON{URL: repo.URL, RepoID: repo.RepoID})
	}
	if !opts.IO.IsStdoutTTY() {
		_, err := fmt.Fprintln(opts.IO.Out, iostreams.Sanitize(repo.URL))
		return err
	}
	cs := opts.IO.ColorScheme()
	cmdutil.Success(opts.IO, "Duplicated %s to %s", opts.From, cs.Bold(repo.RepoID))
	var extras []string
	if opts.Hardware != "" {
		extras = append(extras, "hardware "+string(opts.Hardware))
	}
	if opts.Storage != "" {
		extras = append(extras, string(opts.Storage)+" storage")
	}
	if opts.SleepTime != nil {
		extras = append(extras, "sleep time "+cmdutil.SleepTimeText(opts.SleepTime))
	}
	if len(secrets) > 0 {
		extras = append(extras, count(len(secrets), "secret"))
	}
	if len(vars) > 0 {
		extras = append(extras, count(len(vars), "variable"))
	}
	if len(opts.Volumes) > 0 {
		extras = append(extras, count(len(opts.Volumes), "volume"))
	}
	if len(extras) > 0 {
		fmt.Fprintf(opts.IO.Out, "  with %s\n", strings.Join(extras, ", "))
	}
	fmt.Fprintf(opts.IO.Out, "  %s\n", cs.Cyan(repo.URL))
	return nil
}

// duplicateTarget names the copy for a message: TO, or what the Hub makes
// of an empty TO (your namespace, FROM's name).
func duplicateTarget(opts *DuplicateOptions) string {
	if opts.To != "" {
		return opts.To
	}
	_, name, _ := strings.Cut(opts.From, "/")
	return "YOUR_NAMESPACE/" + name
}

// count writes "1 secret", "2 secrets".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
