// Package storage implements `hfspaces storage request|delete`.
package storage

import (
	"context"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// NewCmdStorage builds `hfspaces storage`.
func NewCmdStorage(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "storage <command>",
		Short: "Request or delete a Space's persistent storage",
		Long: "Persistent storage keeps /data across restarts. Tiers: small, medium, large.\n\n" +
			"Deprecated upstream: huggingface_hub deprecates request_space_storage and\n" +
			"delete_space_storage and removes them in version 2.0, in favour of volumes.\n" +
			"Prefer mounting a bucket or a dataset with `hfspaces volumes set`.",
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(NewCmdRequest(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// RequestOptions holds what `storage request` needs.
type RequestOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space string
	Tier  hfhub.Storage
}

// NewCmdRequest builds `hfspaces storage request`.
func NewCmdRequest(f *cmdutil.Factory, runF func(*RequestOptions) error) *cobra.Command {
	opts := &RequestOptions{IO: f.IOStreams, Client: f.Client}
	return &cobra.Command{
		Use:   "request SPACE small|medium|large",
		Short: "Request persistent storage (deprecated upstream: prefer volumes)",
		Long: "Request persistent storage for a Space: small, medium or large.\n\n" +
			"Deprecated upstream: removed in huggingface_hub 2.0 in favour of volumes\n" +
			"(`hfspaces volumes set`).",
		Example: "  $ hfspaces storage request demo/gradio-app small",
		Args:    cmdutil.ExactArgs(2, "missing arguments: SPACE and a tier (small, medium or large)"),
		// The tier is the second argument; cobra's ValidArgs would offer it
		// in place of the Space id.
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) != 1 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return cmdutil.CompleteStorage(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.Tier = hfhub.Storage(strings.ToLower(args[1]))
			opts.JSON = f.Globals.JSON
			switch opts.Tier {
			case hfhub.StorageSmall, hfhub.StorageMedium, hfhub.StorageLarge:
			default:
				return cmdutil.FlagErrorf("unknown storage tier %q: want small, medium or large", args[1])
			}
			if runF != nil {
				return runF(opts)
			}
			return requestRun(cmd.Context(), opts)
		},
	}
}

func requestRun(ctx context.Context, opts *RequestOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := client.Spaces.RequestStorage(ctx, opts.Space, opts.Tier)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
	}
	cmdutil.Success(opts.IO, "Requested %s storage for %s", opts.Tier, opts.Space)
	return nil
}

// DeleteOptions holds what `storage delete` needs.
type DeleteOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*hfhub.Client, error)
	Prompter cmdutil.Prompter
	JSON     bool
	Yes      bool

	Space string
}

// NewCmdDelete builds `hfspaces storage delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter}
	return &cobra.Command{
		Use:     "delete SPACE",
		Aliases: []string{"rm"},
		Short:   "Delete persistent storage, and the data on it",
		Long:    "Delete a Space's persistent storage. Its data is lost. Asks for confirmation on a\nterminal; needs --yes otherwise.",
		Example: "  $ hfspaces storage delete demo/gradio-app\n  $ hfspaces storage delete demo/gradio-app --yes",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(cmd.Context(), opts)
		},
	}
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	if err := cmdutil.ConfirmDestructive(ctx, opts.IO, opts.Prompter, opts.Yes, "delete the persistent storage of "+opts.Space+" and all data on it"); err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := client.Spaces.DeleteStorage(ctx, opts.Space)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewRuntimeJSON(rt))
	}
	cmdutil.Success(opts.IO, "Deleted the persistent storage of %s", opts.Space)
	return nil
}
