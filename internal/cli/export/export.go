// Package export implements `hfspaces export`.
package export

import (
	"context"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/fleet"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// ExportOptions holds what `export` needs.
type ExportOptions struct {
	IO          *iostreams.IOStreams
	Client      func() (*hfhub.Client, error)
	Spaces      []string
	Author      string
	Concurrency int
	JSON        bool
}

// header opens every export.
const header = `# Exported by hfspaces export. Secrets are references to environment variables
# named as their keys; set them before plan or apply. Secrets set outside
# hfspaces have no marker and are rewritten by the first apply unless
# --keep-unmarked-secrets is given.
`

// NewCmdExport builds `hfspaces export`.
func NewCmdExport(f *cmdutil.Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "export [SPACE... | --author NAMESPACE]",
		Short: "Print Spaces as a fleet file (spaces.yaml)",
		Long: "Read Spaces and print their settings as a fleet file for `hfspaces plan` and\n" +
			"`apply`: sdk, visibility, hardware, sleep time, dev mode, paused, variables,\n" +
			"volumes, and secrets as ${KEY} references (the Hub never returns a secret's\n" +
			"value). With every ${KEY} set, `plan --keep-unmarked-secrets` on the export\n" +
			"shows nothing to change.",
		Example: "  $ hfspaces export demo/gradio-app demo/gpu-app > spaces.yaml\n" +
			"  $ hfspaces export --author my-org > spaces.yaml",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Spaces = args
			opts.JSON = f.Globals.JSON
			if len(args) == 0 && opts.Author == "" {
				return cmdutil.FlagErrorf("name the Spaces to export, or pass --author NAMESPACE")
			}
			if len(args) > 0 && opts.Author != "" {
				return cmdutil.FlagErrorf("pass Space ids or --author, not both")
			}
			for _, id := range args {
				if err := hfhub.ValidateRepoID(id); err != nil {
					return cmdutil.FlagErrorWrap(err)
				}
			}
			if opts.Concurrency < 1 || opts.Concurrency > 64 {
				return cmdutil.FlagErrorf("--concurrency %d: want 1 to 64", opts.Concurrency)
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Author, "author", "", "export every Space of this user or organization")
	cmd.Flags().IntVar(&opts.Concurrency, "concurrency", 8, "how many Spaces to read at once")
	return cmd
}

func exportRun(ctx context.Context, opts *ExportOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	opts.IO.StartProgressIndicator("Reading Spaces")
	f, readErr := fleet.Export(ctx, client, opts.Spaces, &fleet.ExportOptions{Author: opts.Author, Options: fleet.Options{Concurrency: opts.Concurrency}})
	opts.IO.StopProgressIndicator()
	if f == nil || len(f.Spaces) == 0 {
		return readErr
	}
	// What was read is printed even when some Spaces could not be; their
	// errors follow, and the exit code says the export is not whole.
	if err := writeExport(opts, f); err != nil {
		return err
	}
	return readErr
}

func writeExport(opts *ExportOptions, f *fleet.File) error {
	data, err := fleet.Marshal(f)
	if err != nil {
		return err
	}
	if opts.JSON {
		// The same document as JSON (a YAML file's JSON equivalent, which
		// plan -f also reads).
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return err
		}
		return cmdutil.WriteJSON(opts.IO, doc)
	}
	if _, err := opts.IO.Out.Write([]byte(header)); err != nil {
		return err
	}
	_, err = opts.IO.Out.Write(data)
	return err
}
